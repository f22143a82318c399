using System.Diagnostics.CodeAnalysis;

namespace Bedrot.DataLake.Incremental;

/// <summary>What the last successful run of one work item depended on and produced.</summary>
/// <remarks>
/// Read from a state file, the parts of the fingerprint, the counters and the retained files stay as
/// the file's bytes until first asked for: a step whose items are up to date, and the steps that read
/// another step's outputs and facts, never need them, and building them was most of reading a state.
/// </remarks>
public sealed record ItemState
{
    private readonly StateJson.Section _partsText;
    private readonly StateJson.Section _retainedText;
    private readonly StateJson.Section _countsText;
    private SortedDictionary<string, string>? _parts;
    private SortedDictionary<string, string>? _retained;
    private SortedDictionary<string, long>? _counts;

    public ItemState()
    {
    }

    /// <summary>An item read from a state file, with the sections kept as text until asked for.</summary>
#pragma warning disable CS8618 // Parts is set: it is read from its kept text when first asked for.
    [SetsRequiredMembers]
    internal ItemState(
        string fingerprint,
        StateJson.Section parts,
        SortedDictionary<string, string> outputs,
        StateJson.Section retained,
        StateJson.Section counts,
        SortedDictionary<string, string> facts)
    {
        Fingerprint = fingerprint;
        _partsText = parts;
        Outputs = outputs;
        _retainedText = retained;
        _countsText = counts;
        Facts = facts;
    }
#pragma warning restore CS8618

    public required string Fingerprint { get; init; }

    /// <summary>The named parts of the fingerprint, so a later run can say which one changed.</summary>
    public required SortedDictionary<string, string> Parts
    {
        get => _parts ?? StateJson.Materialise(ref _parts, _partsText, StateJson.ReadTexts);
        init => _parts = value;
    }

    /// <summary>Derived outputs (lake-relative path to SHA-256); retracted when the item goes away.</summary>
    public SortedDictionary<string, string> Outputs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Outputs that are never retracted (raw copies), but are restored when missing.</summary>
    public SortedDictionary<string, string> Retained
    {
        get => _retained ?? StateJson.Materialise(ref _retained, _retainedText, StateJson.ReadTexts);
        init => _retained = value;
    }

    /// <summary>Counters of the item's last run (rows in, rows out, files promoted, ...).</summary>
    public SortedDictionary<string, long> Counts
    {
        get => _counts ?? StateJson.Materialise(ref _counts, _countsText, StateJson.ReadCounts);
        init => _counts = value;
    }

    /// <summary>Facts about the item (platform, dataset, raw path, ...).</summary>
    public SortedDictionary<string, string> Facts { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The parts as read from the file, while nobody has asked for them (so they can be written back as they were).</summary>
    internal StateJson.Section UnreadParts => _parts is null ? _partsText : default;

    /// <summary>The retained files as read from the file, while nobody has asked for them.</summary>
    internal StateJson.Section UnreadRetained => _retained is null ? _retainedText : default;

    /// <summary>The counters as read from the file, while nobody has asked for them.</summary>
    internal StateJson.Section UnreadCounts => _counts is null ? _countsText : default;
}
