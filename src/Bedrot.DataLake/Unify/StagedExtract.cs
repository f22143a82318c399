using System.Buffers;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// The two reads of a staging file. The first, of every new file, takes only what decides which
/// snapshot wins (partitions, row counts, control-total amounts); the second, only of a file that
/// is now the newest in some partitions, maps and types those partitions' rows and combines them by key.
/// </summary>
internal static class StagedExtract
{
    /// <summary>For each rule (all reading the same staging dataset), what it takes from the file.</summary>
    public static FileSummary[] Summarize(string path, IReadOnlyList<UnifyRule> rules)
    {
        var summaries = rules.Select(_ => new FileSummary()).ToArray();
        var partitions = rules.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        var fields = rules.SelectMany(r => r.Filtered).Distinct().ToArray();
        rules[0].Table.Read(path, fields, (_, texts) =>
        {
            for (var r = 0; r < rules.Count; r++)
            {
                if (!rules[r].Takes(texts, path))
                {
                    continue;
                }

                summaries[r].Rows++;
                partitions[r].Add(rules[r].Partition(texts, path));
                rules[r].AddLineage(texts, path, summaries[r].Staged);
            }
        });
        for (var r = 0; r < rules.Count; r++)
        {
            summaries[r].Partitions = partitions[r].Order(StringComparer.Ordinal).ToArray();
        }

        return summaries;
    }

    /// <summary>For each rule, the rows it takes in the wanted partitions, grouped by partition.</summary>
    public static Dictionary<string, PartitionGroup>[] Group(
        string path, IReadOnlyList<(UnifyRule Rule, IReadOnlySet<string> Partitions)> wanted, TargetShape target, RowConverter converter)
    {
        var groups = wanted.Select(_ => new Dictionary<string, PartitionGroup>(StringComparer.Ordinal)).ToArray();
        // Per rule and partition, the entries by key, looked up by the key's characters: a row's key is
        // made a string only when it starts a new entry.
        var entries = wanted.Select(_ => new Dictionary<string, Dictionary<string, GroupEntry>>(StringComparer.Ordinal)).ToArray();
        var key = new ArrayBufferWriter<char>(256);
        var controlId = new ArrayBufferWriter<char>(64);
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = wanted.SelectMany(w => w.Rule.Mapped).Distinct().ToArray();
        wanted[0].Rule.Table.Read(path, fields, (row, texts) =>
        {
            for (var r = 0; r < wanted.Count; r++)
            {
                var (rule, partitions) = wanted[r];
                if (!rule.Takes(texts, path))
                {
                    continue;
                }

                var partition = rule.Partition(texts, path);
                if (!partitions.Contains(partition))
                {
                    continue;
                }

                if (!groups[r].TryGetValue(partition, out var group))
                {
                    group = groups[r][partition] = new PartitionGroup();
                }

                group.Rows++;
                rule.AddLineage(texts, path, group.Staged);
                var (typed, reject) = converter.Convert(rule.ToUnified(texts, path));
                if (typed is null)
                {
                    group.Rejects.Add((row, reject!));
                    rule.AddLineage(texts, path, group.Rejected);
                    continue;
                }

                group.Accepted++;
                AddTotals(group, target, typed, controlId);
                target.WriteKey(typed, key);
                if (!entries[r].TryGetValue(partition, out var keyed))
                {
                    keyed = entries[r][partition] = new Dictionary<string, GroupEntry>(StringComparer.Ordinal);
                }

                if (keyed.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key.WrittenSpan, out var entry))
                {
                    Combine(entry.Sums, target, typed);
                }
                else
                {
                    var sums = new decimal?[target.Measures.Length];
                    Combine(sums, target, typed);
                    entry = new GroupEntry(key.WrittenSpan.ToString(), row, target.Texts(typed, pool), sums);
                    keyed[entry.Key] = entry;
                    group.Entries.Add(entry);
                }
            }
        });
        return groups;
    }

    /// <summary>Adds a row's summed fields: a value to a sum, or the first value when there was none.</summary>
    public static void Combine(decimal?[] sums, TargetShape target, object?[] row)
    {
        for (var m = 0; m < sums.Length; m++)
        {
            if (TargetShape.Summable(row[target.Measures[m]]) is { } value)
            {
                sums[m] = sums[m] is { } sum ? sum + value : value;
            }
        }
    }

    private static void AddTotals(PartitionGroup group, TargetShape target, object?[] row, ArrayBufferWriter<char> id)
    {
        target.WriteControlGroupId(row, id);
        if (!group.Totals.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id.WrittenSpan, out var total))
        {
            var values = target.ControlGroupOf(row);
            total = group.Totals[ControlSum.Id(values)] = new ControlSum(values, new decimal[target.Measures.Length]);
        }

        for (var m = 0; m < target.Measures.Length; m++)
        {
            total.Sums[m] += LineageSpec.Amount(row[target.Measures[m]]);
        }
    }
}
