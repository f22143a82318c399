using System.Globalization;
using System.Runtime.CompilerServices;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Unify;

/// <summary>A winning partition's rows, with what orders them: the rule, the file's age among the rule's files, and the file.</summary>
internal sealed record OwnedGroup(int Rule, int Rank, string FilePath, PartitionGroup Group);

/// <summary>
/// Rules 2 and 3 of unify over the winning partitions' rows: rows with the same key are combined
/// (summed fields added, every other field kept from the key's first row, in rule, file and row
/// order), then source precedence sets rows aside; writes the dataset, its control totals, its
/// precedence file, and the rows unify rejected or warned about.
/// </summary>
internal sealed class UnifiedMerge(LakePaths paths, TargetShape shape, RowConverter converter, IReadOnlyDictionary<string, List<string>> discriminators)
{
    private readonly TableSchema _target = shape.Schema;
    private readonly Dictionary<(string Source, string Month, string Measure), (decimal SetAside, decimal Unified)> _lines = [];

    /// <summary>Control-total groups that do not reconcile, and where their totals are.</summary>
    public (int Count, string TotalsPath) Mismatches { get; private set; }

    public MergeResult Write(IReadOnlyList<OwnedGroup> owned, string stamp)
    {
        var combined = Combine(owned, out var accepted);
        var totals = new SortedDictionary<string, ControlTotal>(StringComparer.Ordinal);
        foreach (var sum in owned.SelectMany(o => o.Group.Totals.Values))
        {
            Add(totals, sum.Group, sum.Sums, t => t.Staging);
        }

        var superseded = ApplyPrecedence(combined);
        foreach (var (_, dropped) in superseded)
        {
            var row = shape.Row(dropped.Texts, dropped.Sums);
            Add(totals, shape.ControlGroupOf(row), shape.Measures.Select(m => LineageSpec.Amount(row[m])).ToArray(), t => t.Superseded);
            AddLine(row, setAside: true);
        }

        var warnings = new List<RowReject>();
        var rowsOut = 0;
        IEnumerable<object?[]> Rows()
        {
            // Derived fields (ratios) are recomputed from the combined values, and the soft checks run on them.
            foreach (var (key, kept) in combined.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                var fields = new Dictionary<string, string?>(_target.Fields.Count, StringComparer.Ordinal);
                for (var i = 0; i < _target.Fields.Count; i++)
                {
                    fields[_target.Fields[i].Name] = shape.MeasureOf[i] >= 0
                        ? FieldValues.Format(_target.Fields[i], shape.Typed(shape.MeasureOf[i], kept.Sums[shape.MeasureOf[i]]))
                        : kept.Texts[i] ?? string.Empty;
                }

                var row = converter.Convert(new SourceRow(key, fields), out var rowWarnings).Row!;
                warnings.AddRange(rowWarnings);
                Add(totals, shape.ControlGroupOf(row), shape.Measures.Select(m => LineageSpec.Amount(row[m])).ToArray(), t => t.Unified);
                AddLine(row, setAside: false);
                rowsOut++;
                yield return row;
            }
        }

        var (written, sha) = StagingFiles.Write(Path.Combine(paths.CrossPlatform, $"{_target.Name}_staging_{stamp}.csv"), _target, Rows());
        var totalsPath = Path.Combine(paths.CrossPlatform, $"{_target.Name}_control_totals_{stamp}.csv");
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [paths.Relative(written)] = sha,
            [paths.Relative(totalsPath)] = WriteTotals(totalsPath, totals),
        };
        if (_target.SourcePrecedence.Count > 0)
        {
            var precedencePath = Path.Combine(paths.CrossPlatform, $"{_target.Name}_precedence_{stamp}.csv");
            outputs[paths.Relative(precedencePath)] = WritePrecedence(precedencePath, superseded);
        }

        if (warnings.Count > 0)
        {
            var warningPath = Path.Combine(paths.Staging, "_warnings", $"{_target.Name}_warnings_{stamp}.csv");
            outputs[paths.Relative(warningPath)] = WriteRows(warningPath, warnings);
        }

        var rejects = owned.SelectMany(o => o.Group.Rejects.Select(r => (o.Rule, o.Rank, r.Row, Reject: r.Reject with { Locator = o.FilePath })))
            .OrderBy(r => r.Rule).ThenBy(r => r.Rank).ThenBy(r => r.Row)
            .Select(r => r.Reject)
            .ToList();
        if (rejects.Count > 0)
        {
            var rejectPath = Path.Combine(paths.Rejects, $"{_target.Name}_rejects_{stamp}.csv");
            outputs[paths.Relative(rejectPath)] = WriteRows(rejectPath, rejects);
        }

        Mismatches = (totals.Values.Count(t => !t.Reconciles), totalsPath);
        var counts = new Dictionary<string, long>(RuleCounts.Of(_target, rejects, warnings, rowsOut), StringComparer.Ordinal)
        {
            ["rows_out"] = rowsOut,
            ["combined.same_key"] = accepted - combined.Count - superseded.Count,
            ["removed.source_precedence"] = superseded.Count,
        };
        var lines = _lines.Select(l => new UnifiedLine(l.Key.Source, l.Key.Month, l.Key.Measure, l.Value.SetAside, l.Value.Unified)).ToList();
        return new MergeResult(stamp, paths.Relative(written), outputs, counts, lines);
    }

    /// <summary>Rule 2: entries with the same key combined, in the order their first rows were read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Dictionary<string, GroupEntry> Combine(IReadOnlyList<OwnedGroup> owned, out long accepted)
    {
        accepted = owned.Sum(o => (long)o.Group.Accepted);
        var combined = new Dictionary<string, GroupEntry>(StringComparer.Ordinal);
        var ordered = owned.SelectMany(o => o.Group.Entries.Select(e => (o.Rule, o.Rank, Entry: e)))
            .OrderBy(e => e.Rule).ThenBy(e => e.Rank).ThenBy(e => e.Entry.FirstRow);
        foreach (var (_, _, entry) in ordered)
        {
            if (combined.TryGetValue(entry.Key, out var into))
            {
                for (var m = 0; m < into.Sums.Length; m++)
                {
                    if (entry.Sums[m] is { } value)
                    {
                        into.Sums[m] = into.Sums[m] is { } sum ? sum + value : value;
                    }
                }
            }
            else
            {
                combined[entry.Key] = entry with { Sums = (decimal?[])entry.Sums.Clone() };
            }
        }

        return combined;
    }

    /// <summary>
    /// Rule 3: for each key without <c>source</c>, keeps the row of the most trusted source that has
    /// it and removes the others from <paramref name="combined"/>; returns (kept row, removed row) pairs.
    /// </summary>
    private List<(GroupEntry Kept, GroupEntry Dropped)> ApplyPrecedence(Dictionary<string, GroupEntry> combined)
    {
        var superseded = new List<(GroupEntry Kept, GroupEntry Dropped)>();
        if (_target.SourcePrecedence.Count == 0)
        {
            return superseded;
        }

        var sourceIndex = _target.IndexOf("source");
        var measureKey = _target.PrimaryKey.Where(k => k != "source").Select(_target.IndexOf).ToArray();
        var ranks = _target.SourcePrecedence.Select((name, rank) => (name, rank)).ToDictionary(p => p.name, p => p.rank, StringComparer.Ordinal);
        int Rank(GroupEntry row) => ranks.GetValueOrDefault(row.Texts[sourceIndex] ?? string.Empty, int.MaxValue);

        var groups = combined
            .GroupBy(r => string.Join('\u001f', measureKey.Select(i => r.Value.Texts[i] ?? string.Empty)), StringComparer.Ordinal)
            .Where(g => g.Skip(1).Any())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
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

    /// <summary>Adds a unified row (kept, or set aside by source precedence) to its source's lineage lines.</summary>
    private void AddLine(object?[] row, bool setAside)
    {
        var source = _target.Fields.Any(f => f.Name == "source") ? row[_target.IndexOf("source")] as string ?? string.Empty : _target.Name;
        var month = LineageSpec.MonthOf(row[_target.IndexOf("date")]);
        var by = discriminators.GetValueOrDefault(source, [])
            .Select(column => (column, FieldValues.Format(_target.Fields[_target.IndexOf(column)], row[_target.IndexOf(column)])))
            .ToList();
        foreach (var index in shape.Measures)
        {
            var amount = LineageSpec.Amount(row[index]);
            var key = (source, month, LineageSpec.Label(_target.Fields[index].Name, by));
            var (aside, unified) = _lines.GetValueOrDefault(key);
            _lines[key] = setAside ? (aside + amount, unified) : (aside, unified + amount);
        }
    }

    private void Add(SortedDictionary<string, ControlTotal> totals, string[] group, decimal[] sums, Func<ControlTotal, Dictionary<string, decimal>> bucket)
    {
        var id = string.Join('\u001f', group);
        if (!totals.TryGetValue(id, out var total))
        {
            total = new ControlTotal(group);
            totals[id] = total;
        }

        var into = bucket(total);
        for (var m = 0; m < shape.Measures.Length; m++)
        {
            var name = _target.Fields[shape.Measures[m]].Name;
            into[name] = into.GetValueOrDefault(name) + sums[m];
        }
    }

    private string WritePrecedence(string path, List<(GroupEntry Kept, GroupEntry Dropped)> superseded)
    {
        var keyFields = _target.PrimaryKey.Where(k => k != "source").Select(_target.IndexOf).ToArray();
        var sourceIndex = _target.IndexOf("source");
        var header = keyFields.Select(i => _target.Fields[i].Name)
            .Append("kept_source").Concat(shape.Measures.Select(m => "kept_" + _target.Fields[m].Name))
            .Append("set_aside_source").Concat(shape.Measures.Select(m => "set_aside_" + _target.Fields[m].Name))
            .Append("set_aside_source_file")
            .ToList();
        var fileIndex = _target.IndexOf("source_file");
        string Measure(GroupEntry row, int m) => FieldValues.Format(_target.Fields[shape.Measures[m]], shape.Typed(m, row.Sums[m]));
        return StagingFiles.WriteRecords(path, header, superseded.Select(pair => (IReadOnlyList<string?>)keyFields
            .Select(i => pair.Kept.Texts[i] ?? string.Empty)
            .Append(pair.Kept.Texts[sourceIndex])
            .Concat(shape.Measures.Select((_, m) => Measure(pair.Kept, m)))
            .Append(pair.Dropped.Texts[sourceIndex])
            .Concat(shape.Measures.Select((_, m) => Measure(pair.Dropped, m)))
            .Append(pair.Dropped.Texts[fileIndex])
            .ToList()));
    }

    private string WriteTotals(string path, SortedDictionary<string, ControlTotal> totals)
    {
        var measures = shape.Measures.Select(m => _target.Fields[m]).ToList();
        var header = _target.ControlTotalsBy
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

    private static string WriteRows(string path, IEnumerable<RowReject> rows) =>
        StagingFiles.WriteRecords(path, ["locator", "rule", "field", "value", "message"],
            rows.Select(r => (IReadOnlyList<string?>)[r.Locator, r.Rule, r.Field, r.Value, r.Message]));

    private static string Amount(FieldSchema measure, decimal value) =>
        measure.Type == FieldType.Integer ? ((long)value).ToString(CultureInfo.InvariantCulture) : FieldValues.FormatNumber(value);
}
