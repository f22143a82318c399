namespace Bedrot.DataLake.Incremental;

/// <summary>One unit of a step's work: an input file, or one dataset for unify and report.</summary>
/// <param name="Key">Stable identity across runs (a landing path, a raw path, a dataset name).</param>
/// <param name="Fingerprint">Everything the item's result depends on.</param>
/// <param name="Execute">Does the work; called only when the planner says the item must run.</param>
/// <param name="Facts">Facts known before running (platform, ...), used to scope retraction.</param>
public sealed record WorkItem(
    string Key,
    Fingerprint Fingerprint,
    Func<ItemResult> Execute,
    IReadOnlyDictionary<string, string>? Facts = null)
{
    /// <summary>
    /// For an item whose work has a part that only reads (and may run beside other items' reading)
    /// and a part that must run one item at a time, in order: the reading part, returning the rest.
    /// Null when <see cref="Execute"/> is all there is.
    /// </summary>
    public Func<Func<ItemResult>>? ReadFirst { get; init; }
}

/// <summary>What a work item produced.</summary>
public sealed record ItemResult
{
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Retained { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();
}
