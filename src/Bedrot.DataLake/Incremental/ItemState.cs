using System.Diagnostics.CodeAnalysis;

namespace Bedrot.DataLake.Incremental;

/// <summary>What the last successful run of one work item depended on and produced.</summary>
/// <remarks>
/// Read from a state file, an item keeps its sections as the file's bytes until one is asked for:
/// a step plans thousands of items whose outputs it only checks, and an item nobody asked anything
/// but its fingerprint and files is written back as it was read. Building every section of every
/// item was most of reading, and of writing, a state.
/// </remarks>
public sealed record ItemState
{
    private readonly string _fingerprint = string.Empty;
    private readonly StateJson.Section _text;
    private readonly StateJson.Section _partsText;
    private readonly StateJson.Section _outputsText;
    private readonly StateJson.Section _retainedText;
    private readonly StateJson.Section _countsText;
    private readonly StateJson.Section _factsText;
    private readonly StateJson.Section _line;
    private SortedDictionary<string, string>? _parts;
    private SortedDictionary<string, string>? _outputs;
    private SortedDictionary<string, string>? _retained;
    private SortedDictionary<string, long>? _counts;
    private SortedDictionary<string, string>? _facts;

    public ItemState()
    {
    }

    /// <summary>An item read from a state file (<paramref name="text"/>), with its sections kept as text until asked for.</summary>
#pragma warning disable CS8618 // Parts is set: it is read from its kept text when first asked for.
    [SetsRequiredMembers]
    internal ItemState(
        StateJson.Section text,
        string fingerprint,
        StateJson.Section parts,
        StateJson.Section outputs,
        StateJson.Section retained,
        StateJson.Section counts,
        StateJson.Section facts,
        StateJson.Section line = default)
    {
        Fingerprint = fingerprint;
        _line = line;
        _text = text;
        _partsText = parts;
        _outputsText = outputs;
        _retainedText = retained;
        _countsText = counts;
        _factsText = facts;
    }
#pragma warning restore CS8618

    public required string Fingerprint
    {
        get => _fingerprint;
        init
        {
            _fingerprint = value;
            // A copy with another fingerprint is not the item as read.
            _text = default;
        }
    }

    /// <summary>The named parts of the fingerprint, so a later run can say which one changed.</summary>
    public required SortedDictionary<string, string> Parts
    {
        get => _parts ?? StateJson.Materialise(ref _parts, _partsText, StateJson.ReadTexts);
        init => _parts = value;
    }

    /// <summary>Derived outputs (lake-relative path to SHA-256); retracted when the item goes away.</summary>
    public SortedDictionary<string, string> Outputs
    {
        get => _outputs ?? StateJson.Materialise(ref _outputs, _outputsText, StateJson.ReadTexts);
        init => _outputs = value;
    }

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
    public SortedDictionary<string, string> Facts
    {
        get => _facts ?? StateJson.Materialise(ref _facts, _factsText, StateJson.ReadTexts);
        init => _facts = value;
    }

    /// <summary>
    /// The facts named <paramref name="names"/> into <paramref name="values"/> (null where absent), and
    /// the SHA-256 of the fact <paramref name="hashed"/> (of the empty text when absent). Read from the
    /// kept text in one pass while nobody has asked for the facts: a step that wants a few facts of
    /// thousands of items builds no dictionary, and a long fact it only compares is not made a text.
    /// </summary>
    internal string PickFacts(ReadOnlySpan<string> names, Span<string?> values, string hashed) =>
        Pick(names, values, hashed)!;

    /// <summary>The facts named <paramref name="names"/> into <paramref name="values"/> (null where absent), as <see cref="PickFacts(ReadOnlySpan{string}, Span{string?}, string)"/> reads them.</summary>
    internal void PickFacts(ReadOnlySpan<string> names, Span<string?> values) => Pick(names, values, null);

    private string? Pick(ReadOnlySpan<string> names, Span<string?> values, string? hashed)
    {
        if (_facts is not { } facts)
        {
            return StateJson.Pick(_factsText, names, values, hashed) ?? (hashed is null ? null : Hashing.Of(string.Empty));
        }

        for (var i = 0; i < names.Length; i++)
        {
            values[i] = facts.GetValueOrDefault(names[i]);
        }

        return hashed is null ? null : Hashing.Of(facts.GetValueOrDefault(hashed) ?? string.Empty);
    }

    /// <summary>
    /// Adds the item's counters to <paramref name="totals"/>: read from the kept text while nobody has
    /// asked for them, so summing the counters of thousands of items builds no map per item. Names new
    /// to <paramref name="totals"/> are added in name order, as <see cref="Counts"/> lists them.
    /// </summary>
    internal void AddCountsTo(Dictionary<string, long> totals)
    {
        if (_counts is null && StateJson.AddCounts(_countsText, totals))
        {
            return;
        }

        foreach (var (name, value) in Counts)
        {
            totals[name] = totals.GetValueOrDefault(name) + value;
        }
    }

    /// <summary>
    /// The digest of the item's inputs: its fingerprint parts named <c>input:...</c>, in name order, as
    /// <see cref="InputsDigest(IEnumerable{KeyValuePair{string, string}})"/> makes it; read from the kept
    /// text while nobody has asked for the parts, so thousands of items build no map.
    /// </summary>
    internal string InputsDigest() => InputsDigest(_parts is { } parts ? parts : StateJson.Texts(_partsText));

    /// <summary>The SHA-256 over the parts named <c>input:...</c> of <paramref name="parts"/>, taken in name order.</summary>
    internal static string InputsDigest(IEnumerable<KeyValuePair<string, string>> parts) =>
        Hashing.OfPairs(parts.Where(p => p.Key.StartsWith("input:", StringComparison.Ordinal))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (p.Key, p.Value))
            .ToList());

    /// <summary>The recorded hash of the output <paramref name="path"/>, or null when the item records no such output.</summary>
    internal string? OutputHash(string path)
    {
        if (_outputs is { } outputs)
        {
            return outputs.GetValueOrDefault(path);
        }

        // The kept text scanned for that one entry (the last one, as a map would keep), without a list of all of them.
        Span<string?> hash = [null];
        StateJson.Pick(_outputsText, [path], hash, hashed: null);
        return hash[0];
    }

    /// <summary>The paths of the item's outputs, read from the kept text while nobody has asked for them (no map built).</summary>
    internal IEnumerable<string> OutputPaths =>
        _outputs?.Keys ?? StateJson.Texts(_outputsText).Select(output => output.Key);

    /// <summary>
    /// The outputs and then the retained files with their recorded hashes, read from the kept text
    /// when nobody has asked for them (so checking them builds nothing).
    /// </summary>
    internal IEnumerable<KeyValuePair<string, string>> Files =>
        FilesOf(_outputs, _outputsText).Concat(FilesOf(_retained, _retainedText));

    /// <summary>
    /// Whether the item may record the file <paramref name="path"/>, whose JSON text (between quotes,
    /// unescaped: a path of characters no writer escapes) is <paramref name="quoted"/>: while the item
    /// is as read, whether that text is anywhere in it (a search of its bytes, no list of its files
    /// made); else whether its files list the path.
    /// </summary>
    internal bool MayRecord(string path, ReadOnlySpan<byte> quoted) =>
        Unread is { Buffer: not null } text
            ? text.Span.IndexOf(quoted) >= 0
            : Files.Any(file => string.Equals(file.Key, path, StringComparison.Ordinal));

    /// <summary>The item as read from the file, while none of its sections was asked for (so it can be written back as it was).</summary>
    internal StateJson.Section Unread =>
        _parts is null && _outputs is null && _retained is null && _counts is null && _facts is null ? _text : default;

    /// <summary>
    /// The item's whole line as read from a state file in this code's layout (<c>"key":{item}</c>,
    /// without the comma), while none of its sections was asked for; default otherwise.
    /// </summary>
    internal StateJson.Section UnreadLine => Unread.Buffer is null ? default : _line;

    /// <summary>The parts as read from the file, while nobody has asked for them.</summary>
    internal StateJson.Section UnreadParts => _parts is null ? _partsText : default;

    /// <summary>The outputs as read from the file, while nobody has asked for them.</summary>
    internal StateJson.Section UnreadOutputs => _outputs is null ? _outputsText : default;

    /// <summary>The retained files as read from the file, while nobody has asked for them.</summary>
    internal StateJson.Section UnreadRetained => _retained is null ? _retainedText : default;

    /// <summary>The counters as read from the file, while nobody has asked for them.</summary>
    internal StateJson.Section UnreadCounts => _counts is null ? _countsText : default;

    /// <summary>The facts as read from the file, while nobody has asked for them.</summary>
    internal StateJson.Section UnreadFacts => _facts is null ? _factsText : default;

    private static IEnumerable<KeyValuePair<string, string>> FilesOf(SortedDictionary<string, string>? files, StateJson.Section text) =>
        files is null ? StateJson.Texts(text) : files;
}
