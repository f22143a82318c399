using System.Globalization;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Serilog;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// Builds one cross-platform dataset from staging files. Dedup rules, stated once and applied in
/// this order: (1) within each source, the newest snapshot wins per snapshot partition (its other
/// rows are removed and counted); (2) rows of the winning snapshots with the same primary key are
/// combined by each field's <c>aggregate</c>; (3) when the schema states a source precedence and
/// two sources report the same key apart from <c>source</c>, only the most trusted source's row is
/// kept, and each row set aside is listed in a precedence file beside the dataset. Control totals
/// (streams, revenue per source, platform and month) are computed from the winning staging rows,
/// from what precedence set aside, and from the output, and must reconcile.
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
        var lineage = new SortedDictionary<(string Source, string Month, string Measure), LineageRow>();
        long removedBySnapshot = 0, merged = 0, rowsIn = 0;

        var specs = LineageSpec.Of(inputs.Select(i => i.Source), _ => target);
        // Each staged file's raw side once, however many rules read it.
        foreach (var total in inputs.SelectMany(i => i.Files).DistinctBy(f => f.Path).SelectMany(f => f.RawTotals).Where(t => t.Target == target.Name))
        {
            var line = LineOf(lineage, total.Source, total.Month, total.Measure);
            line.Raw += total.Read;
            line.RejectedInStaging += total.Rejected;
        }

        // What tells a unified row's lines apart beyond its source (a long table's metric), by source.
        var discriminators = specs.GroupBy(s => s.Spec.Source, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Spec.Discriminators.Select(d => d.Column).ToList(), StringComparer.Ordinal);

        foreach (var (source, files) in inputs)
        {
            var spec = specs.FirstOrDefault(s => ReferenceEquals(s.Rule, source)).Spec;

            var winners = PickWinners(source, files, out var removed,
                (row, won) => AddLineage(lineage, spec, source.Dataset.Schema, row, won ? null : "removed"));
            removedBySnapshot += removed;
            foreach (var (file, row) in winners)
            {
                rowsIn++;
                var unified = ToUnified(source, target, file, row);
                var (typed, reject) = converter.Convert(unified);
                if (typed is null)
                {
                    rejects.Add(reject!);
                    AddLineage(lineage, spec, source.Dataset.Schema, row, "rejected");
                    continue;
                }

                AddTo(totals, target, typed, Bucket.Staging);
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

        var superseded = ApplyPrecedence(target, combined);
        foreach (var (_, dropped) in superseded)
        {
            AddTo(totals, target, dropped, Bucket.Superseded);
            AddUnifiedLineage(lineage, target, dropped, discriminators, setAside: true);
        }

        // Derived fields (ratios) are recomputed from the combined values, and the soft checks run on them.
        var warnings = new List<RowReject>();
        var rows = combined.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r =>
            {
                var row = converter.Convert(Reformat(target, r.Value, r.Key), out var rowWarnings).Row!;
                warnings.AddRange(rowWarnings);
                return row;
            })
            .ToList();
        foreach (var row in rows)
        {
            AddTo(totals, target, row, Bucket.Unified);
            AddUnifiedLineage(lineage, target, row, discriminators, setAside: false);
        }

        var stamp = inputs.SelectMany(i => i.Files).Select(f => f.SnapshotAt).DefaultIfEmpty("1970-01-01").Max()![..10].Replace("-", "");
        var (written, sha) = StagingFiles.Write(
            Path.Combine(paths.CrossPlatform, $"{target.Name}_staging_{stamp}.csv"), target, rows);
        var totalsPath = Path.Combine(paths.CrossPlatform, $"{target.Name}_control_totals_{stamp}.csv");
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [paths.Relative(written)] = sha,
            [paths.Relative(totalsPath)] = WriteTotals(totalsPath, target, totals),
        };
        if (target.SourcePrecedence.Count > 0)
        {
            var precedencePath = Path.Combine(paths.CrossPlatform, $"{target.Name}_precedence_{stamp}.csv");
            outputs[paths.Relative(precedencePath)] = WritePrecedence(precedencePath, target, superseded);
        }
        var lineagePath = Path.Combine(paths.CrossPlatform, $"{target.Name}_lineage_totals_{stamp}.csv");
        outputs[paths.Relative(lineagePath)] = StagingFiles.WriteRecords(lineagePath, LineageRow.Header,
            lineage.Where(l => !l.Value.IsEmpty).Select(l => l.Value.Record(l.Key.Source, l.Key.Month, l.Key.Measure)));
        if (warnings.Count > 0)
        {
            var warningPath = Path.Combine(paths.Staging, "_warnings", $"{target.Name}_warnings_{stamp}.csv");
            outputs[paths.Relative(warningPath)] = StagingFiles.WriteRecords(warningPath,
                ["locator", "rule", "field", "value", "message"],
                warnings.Select(r => (IReadOnlyList<string?>)[r.Locator, r.Rule, r.Field, r.Value, r.Message]));
        }

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
                $"{target.Name}: control totals do not reconcile for {mismatches} {string.Join("/", target.ControlTotalsBy)} group(s); see {paths.Relative(totalsPath)}.");
        }

        var broken = lineage.Where(l => l.Value.Status != "ok").ToList();
        if (broken.Count > 0)
        {
            var (first, line) = broken[0];
            throw new InvalidDataException(
                $"{target.Name}: control totals from raw to unified do not reconcile for {broken.Count} source/month/measure line(s), " +
                $"first {first.Source} {first.Month} {first.Measure}: {line.Status}; see {paths.Relative(lineagePath)}.");
        }

        log.Information("Unified {Rows} rows into {Output}: {Removed} removed by latest-snapshot-wins, {Merged} combined by key, {Superseded} set aside by source precedence, {Rejected} rejected",
            rows.Count, paths.Relative(written), removedBySnapshot, merged, superseded.Count, rejects.Count);
        return new ItemResult
        {
            Outputs = outputs,
            Counts = new Dictionary<string, long>(RuleCounts.Of(target, rejects, warnings, rows.Count), StringComparer.Ordinal)
            {
                ["rows_in"] = rowsIn + removedBySnapshot,
                ["rows_out"] = rows.Count,
                ["removed.latest_snapshot_wins"] = removedBySnapshot,
                ["combined.same_key"] = merged,
                ["removed.source_precedence"] = superseded.Count,
                ["lineage_lines"] = lineage.Count(l => !l.Value.IsEmpty),
            },
            Facts = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["output"] = paths.Relative(written),
                ["lineage"] = paths.Relative(lineagePath),
                ["precedence"] = target.SourcePrecedence.Count > 0 ? paths.Relative(Path.Combine(paths.CrossPlatform, $"{target.Name}_precedence_{stamp}.csv")) : string.Empty,
            },
        };
    }

    /// <summary>For each snapshot partition, the rows of the newest file that has it.</summary>
    private static List<(StagedFile File, object?[] Row)> PickWinners(
        UnifySource source, IReadOnlyList<StagedFile> files, out long removed, Action<object?[], bool> eachRow)
    {
        var schema = source.Dataset.Schema;
        var partitionFields = source.Snapshot.Select(schema.IndexOf).ToArray();
        var where = source.Where.Select(w => (Index: schema.IndexOf(w.Key), w.Value)).ToArray();
        var present = source.Present.Select(schema.IndexOf).ToArray();
        var owner = new Dictionary<string, StagedFile>(StringComparer.Ordinal);
        var all = new List<(StagedFile File, string Partition, object?[] Row)>();
        // Oldest first, so later files overwrite: by snapshot time, then (for files of one name,
        // which share it) by version number: name.v10.json is newer than name.v9.json.
        foreach (var file in files
                     .OrderBy(f => f.SnapshotAt, StringComparer.Ordinal)
                     .ThenBy(f => RawVersion.Of(f.RawPath).Unversioned, StringComparer.Ordinal)
                     .ThenBy(f => RawVersion.Of(f.RawPath).Number))
        {
            foreach (var row in StagingFiles.Read(file.Path, schema))
            {
                if (!where.All(w => FieldValues.Format(schema.Fields[w.Index], row[w.Index]) == w.Value)
                    || present.Any(i => row[i] is null))
                {
                    continue;
                }

                var partition = string.Join('|', partitionFields.Select(i => FieldValues.Format(schema.Fields[i], row[i])));
                owner[partition] = file; // later (newer) files overwrite: the newest snapshot wins
                all.Add((file, partition, row));
            }
        }

        var winners = new List<(StagedFile File, object?[] Row)>();
        foreach (var (file, partition, row) in all)
        {
            var won = ReferenceEquals(owner[partition], file);
            eachRow(row, won);
            if (won)
            {
                winners.Add((file, row));
            }
        }

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

    private static LineageRow LineOf(SortedDictionary<(string Source, string Month, string Measure), LineageRow> lineage, string source, string month, string measure)
    {
        if (!lineage.TryGetValue((source, month, measure), out var line))
        {
            line = new LineageRow();
            lineage[(source, month, measure)] = line;
        }

        return line;
    }

    /// <summary>Adds a staging row (every row read, and again as removed or rejected when it is) to its source's lineage lines.</summary>
    private static void AddLineage(SortedDictionary<(string Source, string Month, string Measure), LineageRow> lineage,
        LineageSpec? spec, TableSchema schema, object?[] row, string? outcome)
    {
        if (spec is null)
        {
            return;
        }

        var month = LineageSpec.MonthOf(row[schema.IndexOf(spec.DateField)]);
        foreach (var (field, measure) in spec.Measures)
        {
            var line = LineOf(lineage, spec.Source, month, spec.Label(measure));
            var amount = LineageSpec.Amount(row[schema.IndexOf(field)]);
            switch (outcome)
            {
                case null:
                    line.Staged += amount;
                    break;
                case "removed":
                    line.Staged += amount;
                    line.RemovedBySnapshot += amount;
                    break;
                default:
                    line.RejectedInUnify += amount;
                    break;
            }
        }
    }

    /// <summary>Adds a unified row (kept, or set aside by source precedence) to its source's lineage lines.</summary>
    private static void AddUnifiedLineage(SortedDictionary<(string Source, string Month, string Measure), LineageRow> lineage,
        TableSchema target, object?[] row, IReadOnlyDictionary<string, List<string>> discriminators, bool setAside)
    {
        var source = target.Fields.Any(f => f.Name == "source") ? row[target.IndexOf("source")] as string ?? string.Empty : target.Name;
        var month = LineageSpec.MonthOf(row[target.IndexOf("date")]);
        var by = discriminators.GetValueOrDefault(source, [])
            .Select(column => (column, FieldValues.Format(target.Fields[target.IndexOf(column)], row[target.IndexOf(column)])))
            .ToList();
        foreach (var (field, index) in Measures(target))
        {
            var label = LineageSpec.Label(field.Name, by);
            if (!lineage.ContainsKey((source, month, label)) && LineageSpec.Amount(row[index]) == 0m)
            {
                continue;
            }

            var line = LineOf(lineage, source, month, label);
            if (setAside)
            {
                line.SetAside += LineageSpec.Amount(row[index]);
            }
            else
            {
                line.Unified += LineageSpec.Amount(row[index]);
            }
        }
    }

    private enum Bucket
    {
        Staging,
        Superseded,
        Unified,
    }

    /// <summary>
    /// Rule 3: for each key without <c>source</c>, keeps the row of the most trusted source that has
    /// it and removes the others from <paramref name="combined"/>; returns (kept row, removed row) pairs.
    /// </summary>
    private static List<(object?[] Kept, object?[] Dropped)> ApplyPrecedence(TableSchema target, Dictionary<string, object?[]> combined)
    {
        var superseded = new List<(object?[] Kept, object?[] Dropped)>();
        if (target.SourcePrecedence.Count == 0)
        {
            return superseded;
        }

        var sourceIndex = target.IndexOf("source");
        var measureKey = target.PrimaryKey.Where(k => k != "source").Select(target.IndexOf).ToArray();
        var ranks = target.SourcePrecedence.Select((name, rank) => (name, rank)).ToDictionary(p => p.name, p => p.rank, StringComparer.Ordinal);
        int Rank(object?[] row) => ranks.GetValueOrDefault(row[sourceIndex] as string ?? string.Empty, int.MaxValue);

        var groups = combined
            .GroupBy(r => string.Join('\u001f', measureKey.Select(i => FieldValues.Format(target.Fields[i], r.Value[i]))), StringComparer.Ordinal)
            .Where(g => g.Skip(1).Any())
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(r => Rank(r.Value)).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
            foreach (var loser in ordered.Skip(1))
            {
                superseded.Add((ordered[0].Value, loser.Value));
                combined.Remove(loser.Key);
            }
        }

        return superseded;
    }

    private static string WritePrecedence(string path, TableSchema target, List<(object?[] Kept, object?[] Dropped)> superseded)
    {
        var keyFields = target.PrimaryKey.Where(k => k != "source").Select(target.IndexOf).ToArray();
        var measures = target.Fields.Select((f, i) => (Field: f, Index: i)).Where(f => f.Field.Aggregate == "sum").ToArray();
        var sourceIndex = target.IndexOf("source");
        var header = keyFields.Select(i => target.Fields[i].Name)
            .Append("kept_source").Concat(measures.Select(m => "kept_" + m.Field.Name))
            .Append("set_aside_source").Concat(measures.Select(m => "set_aside_" + m.Field.Name))
            .Append("set_aside_source_file")
            .ToList();
        var fileIndex = target.IndexOf("source_file");
        return StagingFiles.WriteRecords(path, header, superseded.Select(pair => (IReadOnlyList<string?>)keyFields
            .Select(i => FieldValues.Format(target.Fields[i], pair.Kept[i]))
            .Append(pair.Kept[sourceIndex] as string)
            .Concat(measures.Select(m => FieldValues.Format(m.Field, pair.Kept[m.Index])))
            .Append(pair.Dropped[sourceIndex] as string)
            .Concat(measures.Select(m => FieldValues.Format(m.Field, pair.Dropped[m.Index])))
            .Append(pair.Dropped[fileIndex] as string)
            .ToList()));
    }

    private static IEnumerable<(FieldSchema Field, int Index)> Measures(TableSchema target) =>
        target.Fields.Select((f, i) => (Field: f, Index: i)).Where(f => f.Field.Aggregate == "sum");

    private static string WriteTotals(string path, TableSchema target, SortedDictionary<string, ControlTotal> totals)
    {
        var measures = Measures(target).Select(m => m.Field).ToList();
        var header = target.ControlTotalsBy
            .Concat(measures.SelectMany(m => new[] { "staging_" + m.Name, "superseded_" + m.Name, "unified_" + m.Name }))
            .Append("status")
            .ToList();
        return StagingFiles.WriteRecords(path, header, totals.Values.Select(t => (IReadOnlyList<string?>)t.Group
            .Concat(measures.SelectMany(m => new[]
            {
                Amount(m, t.Staging.GetValueOrDefault(m.Name)),
                Amount(m, t.Superseded.GetValueOrDefault(m.Name)),
                Amount(m, t.Unified.GetValueOrDefault(m.Name)),
            }))
            .Append(t.Reconciles ? "ok" : "MISMATCH")
            .ToList()));
    }

    private static string Amount(FieldSchema measure, decimal value) =>
        measure.Type == FieldType.Integer ? ((long)value).ToString(CultureInfo.InvariantCulture) : FieldValues.FormatNumber(value);

    private static void AddTo(SortedDictionary<string, ControlTotal> totals, TableSchema target, object?[] row, Bucket bucket)
    {
        var group = target.ControlTotalsBy.Select(field => field == "month"
                ? row[target.IndexOf("date")] is DateOnly date ? date.ToString("yyyy-MM", CultureInfo.InvariantCulture) : string.Empty
                : FieldValues.Format(target.Fields[target.IndexOf(field)], row[target.IndexOf(field)]))
            .ToList();
        var id = string.Join('\u001f', group);
        if (!totals.TryGetValue(id, out var total))
        {
            total = new ControlTotal(group);
            totals[id] = total;
        }

        var into = bucket switch
        {
            Bucket.Staging => total.Staging,
            Bucket.Superseded => total.Superseded,
            _ => total.Unified,
        };
        foreach (var (field, index) in Measures(target))
        {
            into[field.Name] = into.GetValueOrDefault(field.Name) + LineageSpec.Amount(row[index]);
        }
    }
}
