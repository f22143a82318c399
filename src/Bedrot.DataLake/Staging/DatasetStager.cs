using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Quality;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Unify;
using Serilog;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// The stage-platform work for one raw file: read it with its kind's parser, convert each row
/// through the dataset's schema and mapping, write the staging CSV, and write the rows that broke
/// a rule to <c>staging/_rejects/</c> with the raw file's hash, locator, rule and value.
/// </summary>
public sealed class DatasetStager(LakePaths paths, SchemaCatalog schemas, ReferenceTables references, ILogger log)
{
    /// <summary>A raw file bigger than this is converted on a second thread while its rows are written.</summary>
    private const long ReadAheadBytes = 4L * 1024 * 1024;

    private static readonly string[] RejectHeader =
        ["raw_sha256", "source_file", "locator", "rule", "field", "value", "message"];

    /// <param name="lineage">What the dataset feeds into unified datasets: the raw side of their control totals is summed here.</param>
    public ItemResult Stage(LedgerEntry raw, RawFileKind kind, DatasetMapping dataset, IReadOnlyList<LineageSpec>? lineage = null)
    {
        lineage ??= [];
        var rawPath = paths.Full(raw.RawPath);
        // The raw path below raw/<platform>/<datatype>/<YYYY>/<MM>/: the file's name, or for a member
        // of a unit folder "meta_ads_dump_<ts>/insights.json", so every row names its own snapshot.
        var sourceFile = string.Join('/', raw.RawPath.Split('/').Skip(5));
        var converter = new RowConverter(dataset, references, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["source_file"] = sourceFile,
            ["processed_timestamp"] = raw.ValidatedAt,
            ["snapshot_at"] = raw.ExtractedAt ?? raw.ValidatedAt,
        });

        var schema = dataset.Schema;
        var keyIndexes = schema.PrimaryKey.Select(schema.IndexOf).ToArray();
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        long rowsOut = 0;
        var rejects = new List<RowReject>();
        var warnings = new List<RowReject>();
        long rowsIn = 0;
        var rawTotals = new RawTotals(lineage, schema);
        var periodIndex = schema.Freshness.Field is { } periodField ? schema.IndexOf(periodField) : -1;
        var periods = new SortedSet<string>(StringComparer.Ordinal);
        // Rows stream from the parser through conversion into the staging file: only the keys seen,
        // the rejects and warnings, and running totals are held, never the rows.
        IEnumerable<object?[]> Kept()
        {
            // Parsers see the name the file was landed under: a later version's raw name (x.v2.csv) is not
            // the export's name, and some exports keep facts (the artist, the song) only in their name.
            var fileName = Path.GetFileName(raw.Source);
            var sources = kind is IReadsStream streaming
                ? streaming.Read(fileName, () => File.OpenRead(rawPath), schemas)
                : kind.Read(new RawContent(fileName, File.ReadAllBytes(rawPath), schemas));
            foreach (var source in sources.Where(dataset.Takes))
            {
                rowsIn++;
                var (row, reject) = converter.Convert(source, out var rowWarnings);
                if (row is not null && keyIndexes.Length > 0)
                {
                    var key = string.Join('\u001f', keyIndexes.Select(i => FieldValues.Format(schema.Fields[i], row[i])));
                    if (!seenKeys.Add(key))
                    {
                        reject = new RowReject(source.Locator, "primaryKey", string.Join("+", schema.PrimaryKey),
                            key.Replace('\u001f', '|'), "an earlier row of this file has the same key");
                        row = null;
                    }
                }

                rawTotals.Add(converter, source, row);
                if (row is null)
                {
                    rejects.Add(reject!);
                    continue;
                }

                rowsOut++;
                warnings.AddRange(rowWarnings);
                if (periodIndex >= 0 && Coverage.PeriodOf(row[periodIndex], schema.Freshness.Cadence) is { } period)
                {
                    periods.Add(period);
                }

                yield return row;
            }
        }

        var stamp = Stamp(raw);
        var name = $"{dataset.FilePrefix}_staging_{stamp}.csv";
        var rows = new FileInfo(rawPath).Length > ReadAheadBytes ? ReadAhead.Of(Kept()) : Kept();
        var (written, sha) = StagingFiles.Write(Path.Combine(paths.Staging, dataset.Folder, name), schema, rows);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal) { [paths.Relative(written)] = sha };
        var counts = RuleCounts.Of(schema, rejects, warnings, rowsOut);
        counts["rows_in"] = rowsIn;
        counts["rows_out"] = rowsOut;

        if (warnings.Count > 0)
        {
            var warningPath = Path.Combine(paths.Staging, "_warnings", $"{dataset.FilePrefix}_warnings_{stamp}.csv");
            outputs[paths.Relative(warningPath)] = StagingFiles.WriteRecords(warningPath, RejectHeader,
                warnings.Select(w => (IReadOnlyList<string?>)[raw.Sha256, raw.RawPath, w.Locator, w.Rule, w.Field, w.Value, w.Message]));
            foreach (var warning in warnings.Take(5))
            {
                log.Warning("Suspicious value in {File} {Locator}: {Field} {Rule}: {Message} (value {Value}); the row is kept",
                    raw.RawPath, warning.Locator, warning.Field, warning.Rule, warning.Message, warning.Value);
            }
        }

        if (rejects.Count > 0)
        {
            var rejectPath = Path.Combine(paths.Rejects, $"{dataset.FilePrefix}_rejects_{stamp}.csv");
            outputs[paths.Relative(rejectPath)] = StagingFiles.WriteRecords(rejectPath, RejectHeader,
                rejects.Select(r => (IReadOnlyList<string?>)[raw.Sha256, raw.RawPath, r.Locator, r.Rule, r.Field, r.Value, r.Message]));
            foreach (var reject in rejects.Take(5))
            {
                log.Warning("Rejected {File} {Locator}: {Field} {Rule}: {Message} (value {Value})",
                    raw.RawPath, reject.Locator, reject.Field, reject.Rule, reject.Message, reject.Value);
            }
        }

        log.Information("Staged {Rows} rows from {File} to {Output} ({Rejected} rejected)",
            rowsOut, raw.RawPath, paths.Relative(written), rejects.Count);
        return new ItemResult
        {
            Outputs = outputs,
            Counts = counts,
            Facts = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["output"] = paths.Relative(written),
                ["snapshot_at"] = raw.ExtractedAt ?? raw.ValidatedAt,
                ["coverage"] = Coverage.Format(periods, schema.Freshness.Cadence),
                ["raw_totals"] = RawTotal.Serialize(rawTotals.Totals()),
            },
        };
    }

    /// <summary>
    /// The raw side of each control total the dataset feeds, summed row by row: a kept row's values
    /// as converted, a rejected row's as its own fields say, each read on its own. The specs' field
    /// names are resolved to indexes once, and the month of a date is worked out once per date.
    /// </summary>
    private sealed class RawTotals
    {
        private readonly TableSchema _schema;
        private readonly List<Compiled> _specs;
        private readonly Dictionary<(int Spec, int Measure, string Month), (decimal Read, decimal Rejected)> _totals = [];
        private readonly Dictionary<object, string> _months = [];

        public RawTotals(IReadOnlyList<LineageSpec> lineage, TableSchema schema)
        {
            _schema = schema;
            _specs = lineage.Select(spec => new Compiled(spec,
                    spec.Where.Select(w => (schema.IndexOf(w.Key), w.Key, w.Value)).ToArray(),
                    schema.IndexOf(spec.DateField),
                    spec.Measures.Select(m => (schema.IndexOf(m.Field), m.Field, spec.Label(m.Measure))).ToArray()))
                .ToList();
        }

        public void Add(RowConverter converter, SourceRow source, object?[]? row)
        {
            for (var s = 0; s < _specs.Count; s++)
            {
                var spec = _specs[s];
                object? Value(int index, string field) => row is not null ? row[index] : converter.Peek(source, field);
                var taken = true;
                foreach (var (index, field, wanted) in spec.Where)
                {
                    if (Value(index, field) is not { } value || FieldValues.Format(_schema.Fields[index], value) != wanted)
                    {
                        taken = false;
                        break;
                    }
                }

                if (!taken)
                {
                    continue;
                }

                var month = MonthOf(Value(spec.DateIndex, spec.Spec.DateField));
                for (var m = 0; m < spec.Measures.Length; m++)
                {
                    var amount = LineageSpec.Amount(Value(spec.Measures[m].Index, spec.Measures[m].Field));
                    var key = (s, m, month);
                    var (read, dropped) = _totals.GetValueOrDefault(key);
                    _totals[key] = (read + amount, row is null ? dropped + amount : dropped);
                }
            }
        }

        public IEnumerable<RawTotal> Totals() => _totals.Select(t =>
        {
            var spec = _specs[t.Key.Spec];
            return new RawTotal(spec.Spec.Target, spec.Spec.Source, t.Key.Month, spec.Measures[t.Key.Measure].Label, t.Value.Read, t.Value.Rejected);
        });

        private string MonthOf(object? date)
        {
            if (date is null)
            {
                return LineageSpec.NoMonth;
            }

            if (!_months.TryGetValue(date, out var month))
            {
                // Dates repeat; times of day may not, so the remembered ones are dropped now and then.
                if (_months.Count >= 4096)
                {
                    _months.Clear();
                }

                _months[date] = month = LineageSpec.MonthOf(date);
            }

            return month;
        }

        private sealed record Compiled(
            LineageSpec Spec, (int Index, string Field, string Value)[] Where, int DateIndex, (int Index, string Field, string Label)[] Measures);
    }

    /// <summary>
    /// The raw file's timestamp, plus its version suffix when it is a later version of a name. A
    /// name without a timestamp (Spotify for Artists downloads) gets its validation time and the
    /// name itself, so two such files promoted in one run never share an output.
    /// </summary>
    internal static string Stamp(LedgerEntry raw)
    {
        var (unversioned, version) = RawVersion.Of(raw.RawPath);
        var name = Path.GetFileNameWithoutExtension(unversioned);
        // A member of a unit folder (meta_ads_dump_<ts>/insights.json) takes the folder's timestamp.
        var timestamp = FileNameTimestamp.Text(name) ?? FileNameTimestamp.Text(Path.GetFileName(Path.GetDirectoryName(raw.RawPath)) ?? string.Empty);
        var stamp = timestamp is null
            ? raw.ValidatedAt.Replace("-", "").Replace(":", "").Replace("T", "_").TrimEnd('Z') + "_" + TextNormalizer.Slug(name)
            : timestamp + After(name, timestamp);
        return version > 1 ? $"{stamp}_v{version}" : stamp;
    }

    /// <summary>
    /// What follows the timestamp in a name (<c>_2</c> of <c>graphql_20250608_101500_2</c>, the account
    /// of a TikTok export): files taken in the same second (several captures of one session) must not
    /// share an output. Plain ASCII is kept as it is; anything else becomes a slug.
    /// </summary>
    private static string After(string name, string timestamp)
    {
        var at = name.IndexOf(timestamp, StringComparison.Ordinal);
        var rest = at < 0 ? string.Empty : name[(at + timestamp.Length)..].Trim('_', '-', ' ', '.');
        if (rest.Length == 0)
        {
            return string.Empty;
        }

        return "_" + (rest.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? rest : TextNormalizer.Slug(rest));
    }
}
