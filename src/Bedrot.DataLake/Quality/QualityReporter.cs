using System.Globalization;
using System.Text;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Staging;
using Newtonsoft.Json;

namespace Bedrot.DataLake.Quality;

/// <summary>
/// Writes the quality outputs from the recorded state of the earlier steps: the validation summary
/// (JSON), the metrics (CSV) and the transformation log (text). Scores are defined in the summary.
/// </summary>
public sealed class QualityReporter(LakePaths paths, QualityThresholds thresholds)
{
    public const string Definitions =
        "completeness = rows not rejected for a missing required value / rows read; " +
        "validity = rows not rejected for a type, range, pattern, key or structure rule / rows read. " +
        "Scores are in [0,1]; a dataset under the threshold fails the quality gate. " +
        "rows_warned counts rows kept but flagged by a soft check (listed in staging/_warnings/); warnings do not lower a score.";

    public IReadOnlyList<DatasetQuality> Score(StepState staging) =>
        staging.Items.Values
            .GroupBy(i => $"{i.Facts.GetValueOrDefault("platform")}/{i.Facts.GetValueOrDefault("dataset")}")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DatasetQuality(
                g.Key,
                g.Count(),
                g.Sum(i => i.Counts.GetValueOrDefault("rows_in")),
                g.Sum(i => i.Counts.GetValueOrDefault("rows_out")),
                g.Sum(i => i.Counts.GetValueOrDefault("rows_rejected")),
                g.SelectMany(i => i.Counts.Where(c => c.Key.StartsWith("rejected.", StringComparison.Ordinal)))
                    .GroupBy(c => c.Key["rejected.".Length..])
                    .ToDictionary(r => r.Key, r => r.Sum(c => c.Value), StringComparer.Ordinal))
            {
                WarningsByCheck = g.SelectMany(i => i.Counts.Where(c => c.Key.StartsWith("warned.", StringComparison.Ordinal)))
                    .GroupBy(c => c.Key["warned.".Length..])
                    .ToDictionary(r => r.Key, r => r.Sum(c => c.Value), StringComparer.Ordinal),
            })
            .ToList();

    /// <summary>Writes the three outputs for <paramref name="date"/> (yyyyMMdd) and returns their hashes.</summary>
    public ItemResult Write(string date, StepState raw, StepState staging, StepState unify)
    {
        var datasets = Score(staging);
        var failing = datasets.Where(d => !thresholds.Passes(d)).ToList();
        var summary = new
        {
            date,
            threshold = thresholds.Default,
            thresholds_by_dataset = new SortedDictionary<string, double>(thresholds.Datasets.ToDictionary(), StringComparer.Ordinal),
            definitions = Definitions,
            status = failing.Count == 0 ? "pass" : "fail",
            raw = new
            {
                files = raw.Items.Count,
                promoted = raw.Items.Values.Count(i => i.Facts.GetValueOrDefault("outcome") is "promoted" or "already_in_raw"),
                duplicate = raw.Items.Values.Count(i => i.Facts.GetValueOrDefault("outcome") == "duplicate"),
                quarantined = raw.Items.Where(i => i.Value.Facts.GetValueOrDefault("outcome") == "quarantined")
                    .Select(i => new { file = i.Key, reasons = i.Value.Facts.GetValueOrDefault("reasons") })
                    .ToList(),
            },
            datasets = datasets.Select(d => new
            {
                dataset = d.Dataset,
                files = d.Files,
                rows_in = d.RowsIn,
                rows_out = d.RowsOut,
                rows_rejected = d.RowsRejected,
                rejects_by_rule = new SortedDictionary<string, long>(d.RejectsByRule.ToDictionary(), StringComparer.Ordinal),
                rows_warned = d.RowsWarned,
                warnings_by_check = new SortedDictionary<string, long>(d.WarningsByCheck.ToDictionary(), StringComparer.Ordinal),
                completeness = Math.Round(d.Completeness, 6),
                validity = Math.Round(d.Validity, 6),
            }),
            unified = unify.Items.Select(u => new
            {
                dataset = u.Key,
                output = u.Value.Facts.GetValueOrDefault("output"),
                counts = u.Value.Counts,
            }),
        };

        var folder = paths.QualityReports;
        var summaryPath = Path.Combine(folder, $"validation_summary_{date}.json");
        var metricsPath = Path.Combine(folder, $"data_quality_metrics_{date}.csv");
        var logPath = Path.Combine(folder, $"transformation_log_{date}.txt");
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [paths.Relative(summaryPath)] = AtomicFile.WriteAllText(summaryPath, JsonConvert.SerializeObject(summary, Formatting.Indented) + "\n"),
            [paths.Relative(metricsPath)] = StagingFiles.WriteRecords(metricsPath, ["dataset", "metric", "value"],
                datasets.SelectMany(d => new (string, string)[]
                {
                    ("files", d.Files.ToString(CultureInfo.InvariantCulture)),
                    ("rows_in", d.RowsIn.ToString(CultureInfo.InvariantCulture)),
                    ("rows_out", d.RowsOut.ToString(CultureInfo.InvariantCulture)),
                    ("rows_rejected", d.RowsRejected.ToString(CultureInfo.InvariantCulture)),
                    ("rows_warned", d.RowsWarned.ToString(CultureInfo.InvariantCulture)),
                    ("completeness", d.Completeness.ToString("0.######", CultureInfo.InvariantCulture)),
                    ("validity", d.Validity.ToString("0.######", CultureInfo.InvariantCulture)),
                }.Select(m => (IReadOnlyList<string?>)[d.Dataset, m.Item1, m.Item2]))),
            [paths.Relative(logPath)] = AtomicFile.WriteAllText(logPath, TransformationLog(raw, staging, unify)),
        };
        var htmlPath = Path.Combine(folder, $"quality_report_{date}.html");
        outputs[paths.Relative(htmlPath)] = AtomicFile.WriteAllText(htmlPath, HtmlReport.Render(
            date, thresholds, Definitions, datasets,
            raw.Items.Where(i => i.Value.Facts.GetValueOrDefault("outcome") == "quarantined")
                .Select(i => (i.Key, i.Value.Facts.GetValueOrDefault("reasons") ?? string.Empty)).ToList(),
            DailyStreams(unify),
            ValidityOverTime(staging)));
        return new ItemResult
        {
            Outputs = outputs,
            Counts = new Dictionary<string, long> { ["datasets_failing"] = failing.Count },
            Facts = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["summary"] = paths.Relative(summaryPath),
                ["failing"] = string.Join("; ", failing.Select(d =>
                    $"{d.Dataset}: completeness {d.Completeness:0.####}, validity {d.Validity:0.####} (threshold {thresholds.For(d.Dataset)}); rejected rows are in staging/_rejects/")),
            },
        };
    }

    /// <summary>Validity (rows kept / rows read) per platform, by the day each staged file was taken.</summary>
    private static List<DailySeries> ValidityOverTime(StepState staging) =>
        staging.Items.Values
            .Where(i => i.Facts.GetValueOrDefault("snapshot_at") is { Length: >= 10 })
            .GroupBy(i => i.Facts.GetValueOrDefault("platform") ?? string.Empty, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DailySeries(g.Key, g
                .GroupBy(i => DateOnly.ParseExact(i.Facts["snapshot_at"][..10], "yyyy-MM-dd", CultureInfo.InvariantCulture))
                .OrderBy(d => d.Key)
                .Select(d => (d.Key, Rows(d, "rows_in") == 0 ? 1m : Math.Round((decimal)Rows(d, "rows_out") / Rows(d, "rows_in"), 4)))
                .ToList()))
            .ToList();

    private static long Rows(IEnumerable<ItemState> items, string count) => items.Sum(i => i.Counts.GetValueOrDefault(count));

    /// <summary>Daily streams per platform and source from streaming_unified: day rows not tied to one track.</summary>
    private List<DailySeries> DailyStreams(StepState unify)
    {
        if (unify.Items.GetValueOrDefault("streaming_unified")?.Facts.GetValueOrDefault("output") is not { } output
            || !File.Exists(paths.Full(output)))
        {
            return [];
        }

        var sums = new SortedDictionary<string, SortedDictionary<DateOnly, decimal>>(StringComparer.Ordinal);
        var bytes = File.ReadAllBytes(paths.Full(output));
        if (output.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var unzipped = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress))
            {
                gzip.CopyTo(unzipped);
            }

            bytes = unzipped.ToArray();
        }

        using var reader = CsvHelper.CsvReader.Create(bytes, new CsvHelper.CsvReaderOptions { HasHeader = true, Separator = ',' });
        var hasRow = reader.Read();
        var index = reader.Headers.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i, StringComparer.Ordinal);
        while (hasRow)
        {
            if (reader.GetString(index["grain"]) == "day" && reader.GetString(index["track_name"]).Length == 0
                && DateOnly.TryParseExact(reader.GetString(index["date"]), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                && decimal.TryParse(reader.GetString(index["streams"]), NumberStyles.Number, CultureInfo.InvariantCulture, out var streams))
            {
                var name = $"{reader.GetString(index["platform"])} / {reader.GetString(index["source"])}";
                var series = sums.TryGetValue(name, out var found) ? found : sums[name] = new SortedDictionary<DateOnly, decimal>();
                series[day] = series.GetValueOrDefault(day) + streams;
            }

            hasRow = reader.Read();
        }

        return sums.Select(s => new DailySeries(s.Key, s.Value.Select(p => (p.Key, p.Value)).ToList())).ToList();
    }

    private static string TransformationLog(StepState raw, StepState staging, StepState unify)
    {
        var log = new StringBuilder();
        void Section(string title, StepState state)
        {
            log.Append("== ").Append(title).Append(" (").Append(state.Items.Count).Append(" items)\n");
            foreach (var (key, item) in state.Items)
            {
                log.Append(key).Append(':');
                foreach (var (name, value) in item.Facts.Where(f => f.Key is "outcome" or "platform" or "dataset" or "output" or "raw_path" or "reasons"))
                {
                    log.Append(' ').Append(name).Append('=').Append(value);
                }

                foreach (var (name, value) in item.Counts)
                {
                    log.Append(' ').Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture));
                }

                log.Append('\n');
            }
        }

        Section("validate-raw", raw);
        Section("stage-platform", staging);
        Section("unify", unify);
        return log.ToString();
    }
}
