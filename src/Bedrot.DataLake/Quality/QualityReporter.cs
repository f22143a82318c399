using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Quality;

/// <summary>What the report needs to know beyond the recorded state of the steps.</summary>
/// <param name="AsOf">The day freshness is judged against.</param>
/// <param name="Freshness">Each staging dataset's freshness rule (platform/dataset), overrides applied.</param>
/// <param name="UnifiedFrom">Each unified dataset's staging datasets (platform/dataset).</param>
/// <param name="OverlapRule">How repeated periods of a staging dataset are resolved downstream, by dataset.</param>
/// <param name="Parallelism">How many datasets are scored at once.</param>
public sealed record QualityContext(
    DateOnly AsOf,
    IReadOnlyDictionary<string, FreshnessRule> Freshness,
    IReadOnlyDictionary<string, IReadOnlyList<string>> UnifiedFrom,
    IReadOnlyDictionary<string, string> OverlapRule,
    int Parallelism = 1);

/// <summary>A change since the previous report that is larger than its margin.</summary>
public sealed record RunFlag(string Dataset, string Measure, string Previous, string Now, string Message);

/// <summary>Two sources that report the same key and disagree beyond the tolerance.</summary>
public sealed record Disagreement(string Dataset, string Key, string Measure, string KeptSource, string Kept, string SetAsideSource, string SetAside);

/// <summary>
/// Writes the quality outputs from the recorded state of the earlier steps: the validation summary
/// (JSON), the metrics (CSV) and the HTML report, and says which datasets fail the gate. Scores are
/// defined in <see cref="Definitions"/>, which every output repeats.
/// </summary>
public sealed class QualityReporter(LakePaths paths, QualityThresholds thresholds, QualityContext context)
{
    private const int HistoryLength = 120;
    private const int Listed = 50;

    public static readonly IReadOnlyDictionary<string, string> Definitions = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["completeness"] = "rows not rejected for a missing required value / rows read.",
        ["validity"] = "rows not rejected for a type, format, pattern, enum, length, key or structure rule / rows read.",
        ["consistency"] = "comparisons that agree / comparisons made. A comparison is a row a ratio check ran on (Meta ctr against clicks / impressions, or an Ads Manager link ctr against link clicks / impressions, to within rounding) " +
                          "or, in a unified dataset, a key two sources both report (a DistroKid page day against the TooLost series), which agree when every shared measure differs by at most the tolerance (a share) or one unit, " +
                          "and a control-total line (source, month, measure) followed from raw to unified, which agrees when every hop adds up.",
        ["freshness"] = "periods holding data / periods expected, over the last 'window' periods (days or months, from the dataset's first one) up to the period holding as-of less the lag; " +
                        "newer data than expected is fine. A unified dataset takes its stalest source's score.",
        ["accuracy"] = "rows breaking no business rule / rows read: a rejected negative count or spend, a ctr above 1 (minimum and maximum rules), or a kept row flagged as implausible (revenue per stream outside its band).",
        ["overall"] = "each score's mean over all datasets, weighted by rows read.",
        ["gate"] = "a dataset fails when any of its five scores is under its threshold; rows_warned rows are kept and listed in staging/_warnings/.",
    };

    /// <summary>What the report needs from the schemas and settings.</summary>
    public QualityContext Context => context;

    /// <summary>The facts of a staging item the report reads, in <see cref="StagedItem"/>'s order.</summary>
    private static readonly string[] StagedFacts = ["platform", "dataset", "raw_path", "snapshot_at", "coverage"];

    /// <summary>The staging state last read by <see cref="Staged"/>, with its items' facts (being picked, or picked).</summary>
    private (StepState State, Task<List<StagedItem>> Items)? _staged;

    /// <summary>The staging datasets' scores of a staging state, being made or made (see <see cref="ScoreAhead"/>).</summary>
    private (StepState State, Task<List<DatasetQuality>> Scores)? _stagedScores;

    /// <summary>
    /// Starts picking the staging items' facts and scoring the staging datasets of <paramref name="staging"/>
    /// on another thread, for a report expected later in the run (staging changed): both depend on the
    /// staging state alone, and unify leaves a core free meanwhile. The report takes them if it reads the same state.
    /// </summary>
    public void ScoreAhead(StepState staging)
    {
        if (_stagedScores is not null)
        {
            return;
        }

        var items = Task.Factory.StartNew(() => PickStaged(staging), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
        _staged = (staging, items);
        _stagedScores = (staging, items.ContinueWith(_ => ScoreStaged(staging), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default));
    }

    /// <summary>Scores every staging dataset, then every unified dataset.</summary>
    public IReadOnlyList<DatasetQuality> Score(StepState staging, StepState unify) => Score(staging, unify, out _);

    /// <summary>
    /// The staging items with the facts the report reads, picked from each item's kept text once per
    /// state: thousands of items need not build every fact (their raw totals above all) to be scored.
    /// </summary>
    private List<StagedItem> Staged(StepState staging)
    {
        if (_staged is { } known && ReferenceEquals(known.State, staging))
        {
            return known.Items.GetAwaiter().GetResult();
        }

        var items = PickStaged(staging);
        _staged = (staging, Task.FromResult(items));
        return items;
    }

    /// <summary>Picks the facts of every staging item, side by side: each item's facts are its own.</summary>
    private List<StagedItem> PickStaged(StepState staging) =>
        SideBySide.Map(staging.Items.Values.ToArray(), context.Parallelism, item =>
        {
            var facts = new string?[StagedFacts.Length];
            item.PickFacts(StagedFacts, facts);
            return new StagedItem(item, facts[0], facts[1], facts[2], facts[3], facts[4]);
        }).ToList();

    /// <summary>The newest snapshot time any staging item records (ordinal, as the ISO texts sort), or null when none does.</summary>
    public string? NewestSnapshot(StepState staging) =>
        Staged(staging).Select(i => i.SnapshotAt).OfType<string>().DefaultIfEmpty().Max(StringComparer.Ordinal);

    private List<DatasetQuality> Score(StepState staging, StepState unify, out List<Disagreement> disagreements)
    {
        // The staging datasets' scores as made ahead when they were of this state.
        var datasets = _stagedScores is { } ahead && ReferenceEquals(ahead.State, staging)
            ? [.. ahead.Scores.GetAwaiter().GetResult()]
            : ScoreStaged(staging);
        disagreements = [];
        foreach (var (name, item) in unify.Items.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            var (compared, found) = CompareSources(name, item.Facts.GetValueOrDefault("precedence"));
            var hops = item.Facts.GetValueOrDefault("lineage") is { Length: > 0 } lineageFile ? ReadRecords(lineageFile) : [];
            disagreements.AddRange(found);
            var stalest = context.UnifiedFrom.GetValueOrDefault(name, [])
                .Select(source => datasets.FirstOrDefault(d => d.Dataset == source))
                .OfType<DatasetQuality>()
                .OrderBy(d => d.Freshness).ThenBy(d => d.Dataset, StringComparer.Ordinal)
                .FirstOrDefault();
            var look = new Dictionary<string, string>(LookAt(item.Outputs.Keys), StringComparer.Ordinal);
            if (found.Count > 0)
            {
                look["consistency"] = $"{found.Select(f => f.Key).Distinct().Count()} disagreeing key(s) in {item.Facts.GetValueOrDefault("precedence")}";
            }

            if (stalest is not null)
            {
                look["freshness"] = $"its stalest source, {stalest.Dataset}" + (stalest.LookAt.GetValueOrDefault("freshness") is { } why ? $": {why}" : string.Empty);
            }

            var quality = Build(name, 1, item.Counts) with
            {
                Layer = "unified",
                Compared = item.Counts.GetValueOrDefault("checked.consistency") + compared + hops.Count,
                Disagreed = item.Counts.GetValueOrDefault("flagged.consistency") + found.Select(f => f.Key).Distinct().Count()
                            + hops.Count(h => h.GetValueOrDefault("status") != "ok"),
                FreshnessDetail = stalest?.FreshnessDetail is { } detail ? detail with { Basis = $"{detail.Basis} of {stalest.Dataset}" } : null,
                LookAt = look,
            };
            datasets.Add(quality);
        }

        return datasets;
    }

    /// <summary>Each staging dataset's scores, from its own items.</summary>
    private List<DatasetQuality> ScoreStaged(StepState staging)
    {
        // Each dataset is scored from its own items: side by side, in name order.
        var groups = Staged(staging)
            .GroupBy(i => $"{i.Platform}/{i.Dataset}")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return SideBySide.Map(groups, context.Parallelism, g =>
        {
            var items = g.OrderBy(i => i.RawPath, StringComparer.Ordinal).ToList();
            var rule = context.Freshness.GetValueOrDefault(g.Key) ?? FreshnessRule.BySnapshot;
            var coverage = items.Select(i => (
                    // The raw path below raw/<platform>/<datatype>/<YYYY>/<MM>/: a dump member keeps its folder.
                    File: string.Join('/', (i.RawPath ?? string.Empty).Split('/').Skip(5)),
                    Coverage: rule.Field is null
                        ? (i.SnapshotAt is { Length: >= 10 } taken ? taken[..10] : string.Empty)
                        : i.Coverage ?? string.Empty))
                .ToList();
            var freshness = FreshnessResult.Judge(rule, context.AsOf, coverage,
                context.OverlapRule.GetValueOrDefault(g.Key, "both files' rows stay in staging"));
            var look = LookAt(items.SelectMany(i => i.Item.OutputPaths));
            if (freshness.Score < 1)
            {
                look["freshness"] = FreshnessWhy(freshness);
            }

            return Build(g.Key, items.Count, Totals(items)) with
            {
                FreshnessDetail = freshness,
                LookAt = look,
            };
        }).ToList();
    }

    private static string FreshnessWhy(FreshnessResult f) =>
        $"newest {f.Newest ?? "none"}, expected {f.Expected}" + (f.Gaps.Count > 0 ? $"; missing {string.Join(", ", f.Gaps.TakeLast(3))}" : string.Empty);

    /// <param name="totals">The counters of the dataset's items, summed; names in the order they first appear.</param>
    private static DatasetQuality Build(string name, int files, IReadOnlyDictionary<string, long> totals)
    {
        long Sum(string count) => totals.GetValueOrDefault(count);
        Dictionary<string, long> ByPrefix(string prefix) => totals
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
        return new DatasetQuality(name, files, Sum("rows_in"), Sum("rows_out"), Sum("rows_rejected"), ByPrefix("rejected."))
        {
            WarningsByCheck = ByPrefix("warned."),
            FlaggedImplausible = Sum("flagged.accuracy"),
            Compared = Sum("checked.consistency"),
            Disagreed = Sum("flagged.consistency"),
        };
    }

    private static Dictionary<string, string> LookAt(IEnumerable<string> outputs)
    {
        var list = outputs.ToList();
        var look = new Dictionary<string, string>(StringComparer.Ordinal);
        var rejects = list.Where(o => o.Contains("/_rejects/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var warnings = list.Where(o => o.Contains("/_warnings/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (rejects.Count > 0)
        {
            look["completeness"] = look["validity"] = "rejected rows in " + string.Join(", ", rejects);
        }

        if (warnings.Count > 0 || rejects.Count > 0)
        {
            look["accuracy"] = "rows in " + string.Join(", ", rejects.Concat(warnings));
        }

        if (warnings.Count > 0)
        {
            look["consistency"] = "flagged rows in " + string.Join(", ", warnings);
        }

        return look;
    }

    /// <summary>Every key a precedence file lists is a comparison of two sources; returns how many, and those that disagree.</summary>
    private (long Compared, List<Disagreement> Found) CompareSources(string dataset, string? precedence)
    {
        var found = new List<Disagreement>();
        var pairs = string.IsNullOrEmpty(precedence) ? [] : ReadRecords(precedence);
        foreach (var pair in pairs)
        {
            // The key is every column before kept_source; a measure is a kept_/set_aside_ pair.
            var key = string.Join(' ', pair.Keys.TakeWhile(c => c != "kept_source").Select(c => pair[c]).Where(v => v.Length > 0));
            foreach (var measure in pair.Keys.Where(c => c.StartsWith("kept_", StringComparison.Ordinal) && c != "kept_source")
                         .Select(c => c["kept_".Length..])
                         .Where(m => pair.ContainsKey("set_aside_" + m)))
            {
                if (!Agree(pair["kept_" + measure], pair["set_aside_" + measure]))
                {
                    found.Add(new Disagreement(dataset, key, measure, pair["kept_source"], pair["kept_" + measure],
                        pair["set_aside_source"], pair["set_aside_" + measure]));
                }
            }
        }

        return (pairs.Count, found);
    }

    /// <summary>Two stated values agree when either is missing, or they differ by at most the tolerance (a share of the larger) or one unit of the coarser.</summary>
    internal bool Agree(string a, string b)
    {
        if (!decimal.TryParse(a, NumberStyles.Number, CultureInfo.InvariantCulture, out var x)
            || !decimal.TryParse(b, NumberStyles.Number, CultureInfo.InvariantCulture, out var y))
        {
            return true;
        }

        var unit = a.Contains('.') || b.Contains('.') ? 0.01m : 1m;
        var allowed = Math.Max(unit, (decimal)thresholds.ConsistencyTolerance * Math.Max(Math.Abs(x), Math.Abs(y)));
        return Math.Abs(x - y) <= allowed;
    }

    /// <summary>Each score's mean over the datasets, weighted by rows read (a dataset without rows weighs 1).</summary>
    public static IReadOnlyDictionary<string, double> Overall(IReadOnlyList<DatasetQuality> datasets) =>
        DatasetQuality.ScoreNames.ToDictionary(
            name => name,
            name => datasets.Count == 0
                ? 1
                : Math.Round(datasets.Sum(d => d.ScoreOf(name) * Math.Max(d.RowsIn, 1)) / datasets.Sum(d => Math.Max(d.RowsIn, 1)), 6),
            StringComparer.Ordinal);

    /// <summary>
    /// Writes the outputs for <paramref name="date"/> (yyyyMMdd) and returns their hashes. The previous
    /// report's scores and the history of overall scores come from <paramref name="previous"/>, the
    /// report's recorded state before this run.
    /// </summary>
    public ItemResult Write(string date, StepState raw, StepState staging, StepState unify, ItemState? previous)
    {
        // The unified streams' daily sums come from reading a file, the scores from the states: side by side.
        var daily = Task.Factory.StartNew(() => DailyStreams(unify), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
        var datasets = Score(staging, unify, out var disagreements);
        var failing = datasets.Where(d => !thresholds.Passes(d)).ToList();
        var overall = Overall(datasets);
        var asOf = context.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var previousScores = previous?.Facts.GetValueOrDefault("scores") is { } text
            ? JsonConvert.DeserializeObject<Dictionary<string, Dictionary<string, double>>>(text) ?? []
            : [];
        var flags = Compare(previousScores, datasets);
        var history = (previous?.Facts.GetValueOrDefault("history") is { } old ? JArray.Parse(old) : [])
            .OfType<JObject>()
            .Where(h => (string?)h["as_of"] != asOf)
            .Append(JObject.FromObject(new { as_of = asOf, date, overall = new SortedDictionary<string, double>(overall.ToDictionary(), StringComparer.Ordinal) }))
            .OrderBy(h => (string?)h["as_of"], StringComparer.Ordinal)
            .TakeLast(HistoryLength)
            .ToList();
        var lineage = unify.Items.OrderBy(u => u.Key, StringComparer.Ordinal)
            .Select(u => (Dataset: u.Key, File: u.Value.Facts.GetValueOrDefault("lineage") ?? string.Empty))
            .Where(l => l.File.Length > 0)
            .Select(l => (l.Dataset, l.File, Lines: ReadRecords(l.File)))
            .ToList();

        var outcomes = Outcomes(raw);
        var quarantined = Quarantined(outcomes);
        var summary = new
        {
            date,
            as_of = asOf,
            threshold = thresholds.Default,
            thresholds_by_dataset = new SortedDictionary<string, double>(thresholds.Datasets.ToDictionary(), StringComparer.Ordinal),
            definitions = Definitions,
            status = failing.Count == 0 ? "pass" : "fail",
            failing = failing.Select(d => new { dataset = d.Dataset, message = FailureOf(d) }),
            overall = new SortedDictionary<string, double>(overall.ToDictionary(), StringComparer.Ordinal),
            raw = new
            {
                files = raw.Items.Count,
                promoted = outcomes.Count(o => o.Outcome is "promoted" or "already_in_raw"),
                duplicate = outcomes.Count(o => o.Outcome == "duplicate"),
                quarantined = quarantined.Select(q => new { file = q.File, reasons = q.Reasons }).ToList(),
            },
            datasets = datasets.Select(d => new
            {
                dataset = d.Dataset,
                layer = d.Layer,
                files = d.Files,
                rows_in = d.RowsIn,
                rows_out = d.RowsOut,
                rows_rejected = d.RowsRejected,
                rejects_by_rule = new SortedDictionary<string, long>(d.RejectsByRule.ToDictionary(), StringComparer.Ordinal),
                rows_warned = d.RowsWarned,
                warnings_by_check = new SortedDictionary<string, long>(d.WarningsByCheck.ToDictionary(), StringComparer.Ordinal),
                comparisons = d.Compared,
                disagreements = d.Disagreed,
                threshold = thresholds.For(d.Dataset),
                completeness = Math.Round(d.Completeness, 6),
                validity = Math.Round(d.Validity, 6),
                consistency = Math.Round(d.Consistency, 6),
                freshness = Math.Round(d.Freshness, 6),
                accuracy = Math.Round(d.Accuracy, 6),
                freshness_detail = d.FreshnessDetail is { } f
                    ? new
                    {
                        basis = f.Basis,
                        cadence = f.Cadence,
                        lag_days = f.LagDays,
                        window = f.Window,
                        newest = f.Newest,
                        expected = f.Expected,
                        gaps = f.Gaps,
                        overlapping_files = f.OverlapCount,
                        overlaps = f.Overlaps.Select(o => new
                        {
                            file = o.Second, first_held_by = o.First, also_held_by_others = o.OtherFiles, periods = o.Periods, count = o.Count, resolution = o.Resolution,
                        }),
                    }
                    : null,
                look_at = new SortedDictionary<string, string>(d.LookAt.ToDictionary(), StringComparer.Ordinal),
            }),
            disagreements = disagreements.Take(Listed * 4).Select(x => new
            {
                dataset = x.Dataset, key = x.Key, measure = x.Measure, kept_source = x.KeptSource, kept = x.Kept,
                set_aside_source = x.SetAsideSource, set_aside = x.SetAside,
            }),
            control_totals = lineage.Select(l => new
            {
                dataset = l.Dataset,
                file = l.File,
                lines = l.Lines.Count,
                mismatched = l.Lines.Count(x => x["status"] != "ok"),
            }),
            unified = unify.Items.Select(u => new
            {
                dataset = u.Key,
                output = u.Value.Facts.GetValueOrDefault("output"),
                counts = u.Value.Counts,
            }),
            run_over_run = new
            {
                previous = previous?.Facts.GetValueOrDefault("as_of"),
                score_margin = thresholds.ScoreDropMargin,
                rows_margin = thresholds.RowChangeMargin,
                flags = flags.Select(f => new { dataset = f.Dataset, measure = f.Measure, previous = f.Previous, now = f.Now, message = f.Message }),
            },
        };

        var folder = paths.QualityReports;
        var summaryPath = Path.Combine(folder, $"validation_summary_{date}.json");
        var metricsPath = Path.Combine(folder, $"data_quality_metrics_{date}.csv");
        var htmlPath = Path.Combine(folder, $"quality_report_{date}.html");
        // The three files read only what is built above, so they are written side by side (each waits on its own flush to disk).
        var summaryFile = Task.Factory.StartNew(() => AtomicFile.Write(summaryPath, stream =>
        {
            // Straight to the file: a summary of a large lake need not fit in one string.
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            JsonSerializer.Create(new JsonSerializerSettings { Formatting = Formatting.Indented }).Serialize(writer, summary);
            writer.Write('\n');
        }), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
        var metricsFile = Task.Factory.StartNew(() => StagingFiles.WriteRecords(metricsPath, ["dataset", "metric", "value"], Metrics(datasets, overall)),
            CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
        string htmlSha;
        try
        {
            htmlSha = AtomicFile.WriteAllText(htmlPath, HtmlReport.Render(new HtmlReport.Page(
                date, asOf, thresholds, Definitions, datasets, overall, quarantined, daily.GetAwaiter().GetResult(), ValidityOverTime(staging),
                history.Select(h => (DateOnly.ParseExact((string)h["as_of"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    (IReadOnlyDictionary<string, double>)((JObject)h["overall"]!).Properties().ToDictionary(p => p.Name, p => (double)p.Value, StringComparer.Ordinal))).ToList(),
                flags, disagreements, lineage.Select(l => (l.Dataset, l.File, (IReadOnlyList<IReadOnlyDictionary<string, string>>)l.Lines)).ToList())));
        }
        finally
        {
            // Nothing is left writing when this returns, whatever threw; a task's own error is thrown below.
            foreach (var task in new Task[] { summaryFile, metricsFile, daily })
            {
                ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            }
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [paths.Relative(summaryPath)] = summaryFile.GetAwaiter().GetResult(),
            [paths.Relative(metricsPath)] = metricsFile.GetAwaiter().GetResult(),
            [paths.Relative(htmlPath)] = htmlSha,
        };
        return new ItemResult
        {
            Outputs = outputs,
            Counts = new Dictionary<string, long>
            {
                ["datasets_failing"] = failing.Count,
                ["run_over_run_flags"] = flags.Count,
            },
            Facts = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["summary"] = paths.Relative(summaryPath),
                ["date"] = date,
                ["as_of"] = asOf,
                ["failing"] = string.Join("; ", failing.Select(FailureOf)),
                ["flags"] = string.Join("; ", flags.Select(f => f.Message)),
                ["scores"] = JsonConvert.SerializeObject(new SortedDictionary<string, SortedDictionary<string, double>>(
                    datasets.ToDictionary(d => d.Dataset, d => new SortedDictionary<string, double>(
                        DatasetQuality.ScoreNames.ToDictionary(n => n, n => Math.Round(d.ScoreOf(n), 6)), StringComparer.Ordinal)
                    {
                        ["rows_out"] = d.RowsOut,
                    }), StringComparer.Ordinal)),
                ["history"] = new JArray(history).ToString(Formatting.None),
            },
        };
    }

    /// <summary>One line naming a failing dataset, each score under its threshold, and the rows to look at.</summary>
    public string FailureOf(DatasetQuality dataset) =>
        $"{dataset.Dataset}: " + string.Join(", ", thresholds.FailingScores(dataset).Select(s =>
            $"{s.Score} {s.Value.ToString("0.####", CultureInfo.InvariantCulture)} < {thresholds.For(dataset.Dataset).ToString(CultureInfo.InvariantCulture)}" +
            (dataset.LookAt.GetValueOrDefault(s.Score) is { } where ? $" ({where})" : string.Empty)));

    /// <summary>Scores that dropped by more than the margin, and row counts that moved by more than theirs, since the previous report.</summary>
    private List<RunFlag> Compare(Dictionary<string, Dictionary<string, double>> previous, IReadOnlyList<DatasetQuality> datasets)
    {
        var flags = new List<RunFlag>();
        if (previous.Count == 0)
        {
            return flags;
        }

        foreach (var dataset in datasets)
        {
            if (!previous.TryGetValue(dataset.Dataset, out var before))
            {
                continue;
            }

            foreach (var name in DatasetQuality.ScoreNames)
            {
                if (before.TryGetValue(name, out var was) && was - dataset.ScoreOf(name) > thresholds.ScoreDropMargin + 1e-9)
                {
                    flags.Add(new RunFlag(dataset.Dataset, name, Text(was), Text(dataset.ScoreOf(name)),
                        $"{dataset.Dataset}: {name} dropped from {Text(was)} to {Text(dataset.ScoreOf(name))}, more than the {Text(thresholds.ScoreDropMargin)} margin"));
                }
            }

            if (before.TryGetValue("rows_out", out var rows))
            {
                var moved = rows == 0 ? (dataset.RowsOut == 0 ? 0 : 1) : Math.Abs(dataset.RowsOut - rows) / rows;
                if (moved > thresholds.RowChangeMargin + 1e-9)
                {
                    flags.Add(new RunFlag(dataset.Dataset, "rows_out", Text(rows), dataset.RowsOut.ToString(CultureInfo.InvariantCulture),
                        $"{dataset.Dataset}: rows out moved from {Text(rows)} to {dataset.RowsOut} ({Text(Math.Round(moved * 100, 1))}%), more than the {Text(thresholds.RowChangeMargin * 100)}% margin"));
                }
            }
        }

        foreach (var gone in previous.Keys.Except(datasets.Select(d => d.Dataset), StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            flags.Add(new RunFlag(gone, "rows_out", Text(previous[gone].GetValueOrDefault("rows_out")), "0",
                $"{gone}: in the previous report, missing from this one"));
        }

        return flags;
    }

    private static string Text(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static IEnumerable<IReadOnlyList<string?>> Metrics(IReadOnlyList<DatasetQuality> datasets, IReadOnlyDictionary<string, double> overall)
    {
        string Whole(long value) => value.ToString(CultureInfo.InvariantCulture);
        string Score(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
        foreach (var d in datasets)
        {
            var metrics = new List<(string, string)>
            {
                ("files", Whole(d.Files)),
                ("rows_in", Whole(d.RowsIn)),
                ("rows_out", Whole(d.RowsOut)),
                ("rows_rejected", Whole(d.RowsRejected)),
                ("rows_warned", Whole(d.RowsWarned)),
                ("comparisons", Whole(d.Compared)),
                ("disagreements", Whole(d.Disagreed)),
            };
            metrics.AddRange(DatasetQuality.ScoreNames.Select(n => (n, Score(d.ScoreOf(n)))));
            if (d.FreshnessDetail is { } f)
            {
                metrics.Add(("freshness_newest", f.Newest ?? string.Empty));
                metrics.Add(("freshness_expected", f.Expected));
                metrics.Add(("freshness_gaps", f.Gaps.Count.ToString(CultureInfo.InvariantCulture)));
                metrics.Add(("freshness_overlaps", f.OverlapCount.ToString(CultureInfo.InvariantCulture)));
            }

            foreach (var (name, value) in metrics)
            {
                yield return [d.Dataset, name, value];
            }
        }

        foreach (var (name, value) in overall)
        {
            yield return ["overall", name, Score(value)];
        }
    }

    /// <summary>The records of a CSV the lake wrote, each as column to value in header order; none when the file is missing.</summary>
    private List<OrderedDictionary<string, string>> ReadRecords(string relative)
    {
        var lines = new List<OrderedDictionary<string, string>>();
        if (!File.Exists(paths.Full(relative)))
        {
            return lines;
        }

        using var reader = CsvHelper.CsvReader.Create(File.ReadAllBytes(paths.Full(relative)), new CsvHelper.CsvReaderOptions { HasHeader = true, Separator = ',' });
        var hasRow = reader.Read();
        var headers = reader.Headers.ToList();
        while (hasRow)
        {
            var record = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Count; i++)
            {
                record[headers[i]] = reader.GetString(i);
            }

            lines.Add(record);
            hasRow = reader.Read();
        }

        return lines;
    }

    /// <summary>The facts of validate-raw's items that the report reads, in key order.</summary>
    private static readonly string[] OutcomeFacts = ["outcome", "reasons"];

    /// <summary>
    /// Each landing file's outcome in validate-raw, and its reasons when it has some: picked from each
    /// item's kept facts, so thousands of items build no map of facts each.
    /// </summary>
    private static List<(string File, string? Outcome, string? Reasons)> Outcomes(StepState raw)
    {
        var outcomes = new List<(string File, string? Outcome, string? Reasons)>(raw.Items.Count);
        var facts = new string?[OutcomeFacts.Length];
        foreach (var (file, item) in raw.Items)
        {
            item.PickFacts(OutcomeFacts, facts);
            outcomes.Add((file, facts[0], facts[1]));
        }

        return outcomes;
    }

    private static List<(string File, string Reasons)> Quarantined(IEnumerable<(string File, string? Outcome, string? Reasons)> outcomes) =>
        outcomes.Where(o => o.Outcome == "quarantined").Select(o => (o.File, o.Reasons ?? string.Empty)).ToList();

    /// <summary>The landing files validate-raw quarantined, with their reasons, in key order.</summary>
    public static List<(string File, string Reasons)> Quarantined(StepState raw) => Quarantined(Outcomes(raw));

    /// <summary>The counters of <paramref name="items"/>, summed, each name where it first appears.</summary>
    private static Dictionary<string, long> Totals(IEnumerable<StagedItem> items)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            item.Item.AddCountsTo(totals);
        }

        return totals;
    }

    /// <summary>Validity (rows kept / rows read) per platform, by the day each staged file was taken.</summary>
    private List<DailySeries> ValidityOverTime(StepState staging) =>
        Staged(staging)
            .Where(i => i.SnapshotAt is { Length: >= 10 })
            .GroupBy(i => i.Platform ?? string.Empty, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DailySeries(g.Key, g
                .GroupBy(i => Coverage.ParsePeriod(i.SnapshotAt![..10]))
                .OrderBy(d => d.Key)
                .Select(d => (d.Key, Validity(Totals(d))))
                .ToList()))
            .ToList();

    private static decimal Validity(Dictionary<string, long> totals) =>
        totals.GetValueOrDefault("rows_in") is var rowsIn && rowsIn == 0 ? 1m : Math.Round((decimal)totals.GetValueOrDefault("rows_out") / rowsIn, 4);

    /// <summary>A staging item with the facts the report reads of it.</summary>
    private sealed record StagedItem(ItemState Item, string? Platform, string? Dataset, string? RawPath, string? SnapshotAt, string? Coverage);

    /// <summary>Daily streams per platform and source from streaming_unified: day rows not tied to one track.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<DailySeries> DailyStreams(StepState unify)
    {
        if (unify.Items.GetValueOrDefault("streaming_unified")?.Facts.GetValueOrDefault("output") is not { } output
            || !File.Exists(paths.Full(output)))
        {
            return [];
        }

        var sums = new SortedDictionary<string, SortedDictionary<DateOnly, decimal>>(StringComparer.Ordinal);
        using var stream = StagingFiles.OpenMaybeCompressed(paths.Full(output));
        using var reader = CsvHelper.CsvReader.Create(stream, new CsvHelper.CsvReaderOptions { HasHeader = true, Separator = ',' });
        var hasRow = reader.Read();
        var index = reader.Headers.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i, StringComparer.Ordinal);
        var (grain, track, date, count, platform, source) =
            (index["grain"], index["track_name"], index["date"], index["streams"], index["platform"], index["source"]);
        while (hasRow)
        {
            // Most rows are per track or per month: they are passed over on their bytes, without making texts.
            if (reader.GetSpan(grain).SequenceEqual("day"u8) && reader.GetSpan(track).IsEmpty
                && FieldValues.TryParseDate(reader.GetString(date), Coverage.DayFormat) is { } day
                && decimal.TryParse(reader.GetString(count), NumberStyles.Number, CultureInfo.InvariantCulture, out var streams))
            {
                var name = $"{reader.GetString(platform)} / {reader.GetString(source)}";
                var series = sums.TryGetValue(name, out var found) ? found : sums[name] = new SortedDictionary<DateOnly, decimal>();
                series[day] = series.GetValueOrDefault(day) + streams;
            }

            hasRow = reader.Read();
        }

        return sums.Select(s => new DailySeries(s.Key, s.Value.Select(p => (p.Key, p.Value)).ToList())).ToList();
    }

    /// <summary>How the transformation log names <see cref="StepExecutor.UpToDate"/> on each skipped item's line.</summary>
    private const string ShortUpToDate = "up to date";

    /// <summary>
    /// Writes the transformation log of one run to <paramref name="writer"/>: for every step, each item
    /// that ran and why (with what it recorded), and each item that was skipped and why. Runs of one
    /// day are appended to one file. Written as it goes: a run over thousands of files skips each one.
    /// </summary>
    public static void TransformationLog(TextWriter writer, string header, IReadOnlyList<StepReport> reports, IReadOnlyDictionary<string, StepState> states)
    {
        var log = new StringBuilder();
        void Flush(int atLeast)
        {
            if (log.Length >= atLeast)
            {
                writer.Write(log);
                log.Clear();
            }
        }

        log.Append("== ").Append(header).Append('\n');
        foreach (var report in reports)
        {
            log.Append("-- ").Append(report.Step).Append(": ")
                .Append(report.ItemsRun).Append(" run, ")
                .Append(report.ItemsSkipped).Append(" skipped, ")
                .Append(report.ItemsRetracted).Append(" retracted, ")
                .Append(report.ItemsFailed).Append(" failed (")
                .Append(report.Status).Append(")\n");
            var state = states.GetValueOrDefault(report.Step);
            foreach (var (key, reason) in report.Reasons)
            {
                log.Append("run  ").Append(key).Append(": ").Append(reason).Append('\n');
                if (state?.Items.GetValueOrDefault(key) is not { } item)
                {
                    continue;
                }

                log.Append("     ");
                foreach (var (name, value) in item.Facts.Where(f => f.Key is "outcome" or "platform" or "dataset" or "output" or "raw_path" or "reasons"))
                {
                    log.Append(' ').Append(name).Append('=').Append(value);
                }

                foreach (var (name, value) in item.Counts)
                {
                    log.Append(' ').Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture));
                }

                log.Append('\n');
                Flush(1 << 16);
            }

            // A step of thousands of items skips most of them for one reason: it is said once per step,
            // and each item's line names it in short (the log grows by what a run did, not by the lake's size).
            if (report.Skipped.Values.Any(r => r == StepExecutor.UpToDate))
            {
                log.Append("     ").Append(StepExecutor.UpToDate).Append('\n');
            }

            foreach (var (key, reason) in report.Skipped)
            {
                log.Append("skip ").Append(key).Append(": ").Append(reason == StepExecutor.UpToDate ? ShortUpToDate : reason).Append('\n');
                Flush(1 << 16);
            }

            foreach (var error in report.Errors)
            {
                log.Append("error ").Append(error).Append('\n');
            }
        }

        Flush(0);
    }
}
