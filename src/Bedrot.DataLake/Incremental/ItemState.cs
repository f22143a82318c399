namespace Bedrot.DataLake.Incremental;

/// <summary>What the last successful run of one work item depended on and produced.</summary>
public sealed record ItemState
{
    public required string Fingerprint { get; init; }

    /// <summary>The named parts of the fingerprint, so a later run can say which one changed.</summary>
    public required SortedDictionary<string, string> Parts { get; init; }

    /// <summary>Derived outputs (lake-relative path to SHA-256); retracted when the item goes away.</summary>
    public SortedDictionary<string, string> Outputs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Outputs that are never retracted (raw copies), but are restored when missing.</summary>
    public SortedDictionary<string, string> Retained { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Counters of the item's last run (rows in, rows out, files promoted, ...).</summary>
    public SortedDictionary<string, long> Counts { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Facts about the item (platform, dataset, raw path, ...).</summary>
    public SortedDictionary<string, string> Facts { get; init; } = new(StringComparer.Ordinal);
}
