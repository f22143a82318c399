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
    private static readonly string[] RejectHeader =
        ["raw_sha256", "source_file", "locator", "rule", "field", "value", "message"];

    /// <param name="lineage">What the dataset feeds into unified datasets: the raw side of their control totals is summed here.</param>
    public ItemResult Stage(LedgerEntry raw, RawFileKind kind, DatasetMapping dataset, IReadOnlyList<LineageSpec>? lineage = null)
    {
        lineage ??= [];
        var bytes = File.ReadAllBytes(paths.Full(raw.RawPath));
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
        var rawTotals = new Dictionary<(string Target, string Source, string Month, string Measure), (decimal Read, decimal Rejected)>();
        var indexOf = schema.Fields.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var periodIndex = schema.Freshness.Field is { } periodField ? schema.IndexOf(periodField) : -1;
        var periods = new SortedSet<string>(StringComparer.Ordinal);
        // Rows stream from the parser through conversion into the staging file: only the keys seen,
        // the rejects and warnings, and running totals are held, never the rows.
        IEnumerable<object?[]> Kept()
        {
            // Parsers see the name the file was landed under: a later version's raw name (x.v2.csv) is not
            // the export's name, and some exports keep facts (the artist, the song) only in their name.
            foreach (var source in kind.Read(new RawContent(Path.GetFileName(raw.Source), bytes, schemas)).Where(dataset.Takes))
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

                AddRawTotals(rawTotals, lineage, indexOf, converter, source, row);
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
        var (written, sha) = StagingFiles.Write(
            Path.Combine(paths.Staging, dataset.Folder, name), schema, Kept());
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
                ["raw_totals"] = RawTotal.Serialize(rawTotals.Select(t =>
                    new RawTotal(t.Key.Target, t.Key.Source, t.Key.Month, t.Key.Measure, t.Value.Read, t.Value.Rejected))),
            },
        };
    }

    /// <summary>
    /// Adds a row's measures to the raw side of each control total it feeds: a kept row's values as
    /// converted, a rejected row's as its own fields say, each read on its own.
    /// </summary>
    private static void AddRawTotals(
        Dictionary<(string Target, string Source, string Month, string Measure), (decimal Read, decimal Rejected)> totals,
        IReadOnlyList<LineageSpec> lineage, IReadOnlyDictionary<string, int> indexOf, RowConverter converter, SourceRow source, object?[]? row)
    {
        object? Value(string field) => row is not null ? row[indexOf[field]] : converter.Peek(source, field);
        foreach (var spec in lineage)
        {
            if (!spec.Where.All(w => Value(w.Key) is { } value && FieldValues.Format(converter.Schema.Fields[indexOf[w.Key]], value) == w.Value))
            {
                continue;
            }

            var month = LineageSpec.MonthOf(Value(spec.DateField));
            foreach (var (field, measure) in spec.Measures)
            {
                var amount = LineageSpec.Amount(Value(field));
                var key = (spec.Target, spec.Source, month, spec.Label(measure));
                var (read, dropped) = totals.GetValueOrDefault(key);
                totals[key] = (read + amount, row is null ? dropped + amount : dropped);
            }
        }
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
