using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Unify;

/// <summary>Summed amounts of one source's control-total lines, by month and measure label.</summary>
internal sealed class LineAmounts
{
    public Dictionary<(string Month, string Measure), decimal> Amounts { get; } = [];

    public void Add(string month, string measure, decimal amount) =>
        Amounts[(month, measure)] = Amounts.GetValueOrDefault((month, measure)) + amount;

    public void AddAll(LineAmounts other)
    {
        foreach (var ((month, measure), amount) in other.Amounts)
        {
            Add(month, measure, amount);
        }
    }
}

/// <summary>
/// What one rule takes from one staging file, as far as deciding snapshots needs: how many rows it
/// takes, their control-total amounts, and the snapshot partitions they fall in.
/// </summary>
internal sealed class FileSummary
{
    public int Rows { get; set; }

    public LineAmounts Staged { get; init; } = new();

    public string[] Partitions { get; set; } = [];
}

/// <summary>
/// The rows one rule takes from one staging file in one snapshot partition, once that file is the
/// partition's newest: mapped to the unified schema, typed, and rows with the same key already
/// combined, so that only this is kept (and cached) and not the staging rows.
/// </summary>
internal sealed class PartitionGroup
{
    /// <summary>Rows taken, kept or rejected.</summary>
    public int Rows { get; set; }

    /// <summary>Rows that converted; <see cref="Entries"/> holds them combined by key.</summary>
    public int Accepted { get; set; }

    public LineAmounts Staged { get; init; } = new();

    /// <summary>The control-total amounts of the rows unify rejected.</summary>
    public LineAmounts Rejected { get; init; } = new();

    /// <summary>One entry per key, in the order of the key's first row.</summary>
    public List<GroupEntry> Entries { get; init; } = [];

    /// <summary>Rejected rows by row number; their locator (the staging file) is set when they are written.</summary>
    public List<(int Row, RowReject Reject)> Rejects { get; init; } = [];

    /// <summary>Staging-side control totals: per control group, the sum of each measure.</summary>
    public Dictionary<string, ControlSum> Totals { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Rows with one key: the formatted values of its first row (what combining keeps for fields that
/// are not summed) and the sum of each summed field (null while no row had a value).
/// </summary>
internal sealed record GroupEntry(string Key, int FirstRow, string?[] Texts, decimal?[] Sums);

/// <summary>One control group's values and the summed amount of each measure.</summary>
internal sealed record ControlSum(string[] Group, decimal[] Sums)
{
    public static string Id(string[] group) => string.Join('\u001f', group);
}
