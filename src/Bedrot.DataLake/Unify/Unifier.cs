using System.Globalization;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Serilog;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// Builds one cross-platform dataset from staging files. Dedup rule, stated once: within each
/// source, the newest snapshot wins per snapshot partition (its other rows are removed and
/// counted); rows of the winning snapshots with the same primary key are combined by each field's
/// <c>aggregate</c>. Control totals (streams, revenue per source, platform and month) are computed
/// from the winning staging rows and from the output, and must be equal.
/// </summary>
public sealed class Unifier(LakePaths paths, ReferenceTables references, ILogger log)
{
    public ItemResult Build(TableSchema target, IReadOnlyList<(UnifySource Source, IReadOnlyList<StagedFile> Files)> inputs)
    {
        var identity = new DatasetMapping("cross_platform", target.Name, [], target,
            target.Fields.Where(f => f.Derived is null).ToDictionary(f => f.Name, f => f.Name, StringComparer.Ordinal),
            new Dictionary<string, string>(), string.Empty);
        var converter = new RowConverter(identity, references, new Dictionary<string, string>());
        var totals = new SortedDictionary<string, ControlTotal>(StringComparer.Ordinal);
        var rejects = new List<RowReject>();
        var combined = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        long removedBySnapshot = 0, merged = 0, rowsIn = 0;

        foreach (var (source, files) in inputs)
        {
            var winners = PickWinners(source, files, out var removed);
            removedBySnapshot += removed;
            foreach (var (file, row) in winners)
            {
                rowsIn++;
                var unified = ToUnified(source, target, file, row);
                var (typed, reject) = converter.Convert(unified);
                if (typed is null)
                {
                    rejects.Add(reject!);
                    continue;
                }

                AddTo(totals, target, typed, staging: true);
                var key = Key(target, typed);
                if (combined.TryGetValue(key, out var existing))
                {
                    Combine(target, existing, typed);
                    merged++;
                }
                else
                {
                    combined[key] = typed;
                }
            }
        }

        // Derived fields (ratios) are recomputed from the combined values.
        var rows = combined.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => converter.Convert(Reformat(target, r.Value, r.Key)).Row!)
            .ToList();
        foreach (var row in rows)
        {
            AddTo(totals, target, row, staging: false);
        }

        var stamp = inputs.SelectMany(i => i.Files).Select(f => f.SnapshotAt).DefaultIfEmpty("1970-01-01").Max()![..10].Replace("-", "");
        var (written, sha) = StagingFiles.Write(
            Path.Combine(paths.CrossPlatform, $"{target.Name}_staging_{stamp}.csv"), target, rows);
        var totalsPath = Path.Combine(paths.CrossPlatform, $"{target.Name}_control_totals_{stamp}.csv");
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [paths.Relative(written)] = sha,
            [paths.Relative(totalsPath)] = StagingFiles.WriteRecords(totalsPath,
                ["source", "platform", "month", "staging_streams", "unified_streams", "staging_revenue_usd", "unified_revenue_usd", "status"],
                totals.Values.Select(t => (IReadOnlyList<string?>)
                [
                    t.Source, t.Platform, t.Month,
                    t.StagingStreams.ToString(CultureInfo.InvariantCulture), t.UnifiedStreams.ToString(CultureInfo.InvariantCulture),
                    FieldValues.FormatNumber(t.StagingRevenue), FieldValues.FormatNumber(t.UnifiedRevenue),
                    t.Reconciles ? "ok" : "MISMATCH",
                ])),
        };
        if (rejects.Count > 0)
        {
            var rejectPath = Path.Combine(paths.Rejects, $"{target.Name}_rejects_{stamp}.csv");
            outputs[paths.Relative(rejectPath)] = StagingFiles.WriteRecords(rejectPath,
                ["locator", "rule", "field", "value", "message"],
                rejects.Select(r => (IReadOnlyList<string?>)[r.Locator, r.Rule, r.Field, r.Value, r.Message]));
        }

        var mismatches = totals.Values.Count(t => !t.Reconciles);
        if (mismatches > 0)
        {
            throw new InvalidDataException(
                $"{target.Name}: control totals do not reconcile for {mismatches} source/platform/month group(s); see {paths.Relative(totalsPath)}.");
        }

        log.Information("Unified {Rows} rows into {Output}: {Removed} removed by latest-snapshot-wins, {Merged} combined by key, {Rejected} rejected",
            rows.Count, paths.Relative(written), removedBySnapshot, merged, rejects.Count);
        return new ItemResult
        {
            Outputs = outputs,
            Counts = new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["rows_in"] = rowsIn + removedBySnapshot,
                ["rows_out"] = rows.Count,
                ["rows_rejected"] = rejects.Count,
                ["removed.latest_snapshot_wins"] = removedBySnapshot,
                ["combined.same_key"] = merged,
            },
            Facts = new Dictionary<string, string>(StringComparer.Ordinal) { ["output"] = paths.Relative(written) },
        };
    }

    /// <summary>For each snapshot partition, the rows of the newest file that has it.</summary>
    private static List<(StagedFile File, object?[] Row)> PickWinners(UnifySource source, IReadOnlyList<StagedFile> files, out long removed)
    {
        var schema = source.Dataset.Schema;
        var partitionFields = source.Snapshot.Select(schema.IndexOf).ToArray();
        var owner = new Dictionary<string, StagedFile>(StringComparer.Ordinal);
        var all = new List<(StagedFile File, string Partition, object?[] Row)>();
        foreach (var file in files.OrderBy(f => f.SnapshotAt, StringComparer.Ordinal).ThenBy(f => f.RawPath, StringComparer.Ordinal))
        {
            foreach (var row in StagingFiles.Read(file.Path, schema))
            {
                var partition = string.Join('|', partitionFields.Select(i => FieldValues.Format(schema.Fields[i], row[i])));
                owner[partition] = file; // later (newer) files overwrite: the newest snapshot wins
                all.Add((file, partition, row));
            }
        }

        var winners = all.Where(r => ReferenceEquals(owner[r.Partition], r.File)).Select(r => (r.File, r.Row)).ToList();
        removed = all.Count - winners.Count;
        return winners;
    }

    private static SourceRow ToUnified(UnifySource source, TableSchema target, StagedFile file, object?[] row)
    {
        var schema = source.Dataset.Schema;
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (column, from) in source.Columns)
        {
            fields[column] = from.StartsWith('=')
                ? from[1..]
                : FieldValues.Format(target.Fields[target.IndexOf(column)], row[schema.IndexOf(from)]);
        }

        return new SourceRow($"{file.Path}", fields);
    }

    private static string Key(TableSchema target, object?[] row) =>
        string.Join('\u001f', target.PrimaryKey.Select(k => FieldValues.Format(target.Fields[target.IndexOf(k)], row[target.IndexOf(k)])));

    private static void Combine(TableSchema target, object?[] into, object?[] row)
    {
        for (var i = 0; i < target.Fields.Count; i++)
        {
            if (target.Fields[i].Aggregate == "sum")
            {
                into[i] = (into[i], row[i]) switch
                {
                    (null, var b) => b,
                    (var a, null) => a,
                    (long a, long b) => a + b,
                    (decimal a, decimal b) => a + b,
                    var (a, _) => a,
                };
            }
        }
    }

    private static SourceRow Reformat(TableSchema target, object?[] row, string key) =>
        new(key, target.Fields.Select((f, i) => (f.Name, Value: FieldValues.Format(f, row[i])))
            .ToDictionary(p => p.Name, p => (string?)p.Value, StringComparer.Ordinal));

    private static void AddTo(SortedDictionary<string, ControlTotal> totals, TableSchema target, object?[] row, bool staging)
    {
        var source = row[target.IndexOf("source")] as string ?? string.Empty;
        var platform = row[target.IndexOf("platform")] as string ?? string.Empty;
        var month = row[target.IndexOf("date")] is DateOnly date ? date.ToString("yyyy-MM", CultureInfo.InvariantCulture) : string.Empty;
        var id = $"{source}|{platform}|{month}";
        if (!totals.TryGetValue(id, out var total))
        {
            total = new ControlTotal(source, platform, month);
            totals[id] = total;
        }

        var streams = row[target.IndexOf("streams")] as long? ?? 0;
        var revenue = row[target.IndexOf("revenue_usd")] as decimal? ?? 0m;
        if (staging)
        {
            total.StagingStreams += streams;
            total.StagingRevenue += revenue;
        }
        else
        {
            total.UnifiedStreams += streams;
            total.UnifiedRevenue += revenue;
        }
    }
}
