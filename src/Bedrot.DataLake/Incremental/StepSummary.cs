using System.Text.Json;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// A step's recorded state in brief, beside it in <c>.bedrot/state/&lt;step&gt;.summary.json</c>: the
/// SHA-256 of the state file it was taken from, the digest of the recorded items' keys and
/// fingerprints (<see cref="StepState.Digest"/>), the items' keys, every output and retained file with
/// its hash, and the key of the plan the items came from (when the step has one and recorded every
/// planned item). When a run's items have that digest, or its plan that key, every item's fingerprint
/// is the recorded one, so the step is up to date as soon as those files are intact: the state itself
/// (tens of megabytes for thousands of items) need not be read. A step that plans from what changed
/// also records what its plan stood on (<see cref="Prefix"/>: the context, and for the ledger where its
/// entries ended) and, for validate-raw, a digest of each item's inputs (<see cref="Inputs"/>): a later
/// plan on the same ground keeps every recorded item whose inputs did not change, and makes and plans
/// only the others. It is written after the state and names
/// the state's hash, so a summary left by an interrupted run, or a state changed by hand, is seen not to
/// match and is not used.
/// </summary>
public sealed class StepSummary
{
    private const int CurrentVersion = 1;

    private readonly StateJson.Section _keys;
    private IReadOnlyList<string>? _keyList;
    private readonly StateJson.Section _inputs;
    private IReadOnlyList<string>? _inputList;

    private readonly string[] _files;

    /// <summary>The 32 bytes of each file's recorded hash, one after the other; zeros where <see cref="_known"/> says none.</summary>
    private readonly byte[] _hashes;

    /// <summary>Whether a file has a recorded hash: not when two items recorded it differently (so it matches no file, and the step is planned item by item).</summary>
    private readonly bool[] _known;

    private StepSummary(
        string stateHash, int items, string digest, string? plan, string? prefix, StateJson.Section keys, IReadOnlyList<string>? keyList,
        StateJson.Section inputs, IReadOnlyList<string>? inputList, string[] files, byte[] hashes, bool[] known)
    {
        _inputs = inputs;
        _inputList = inputList;
        StateHash = stateHash;
        Items = items;
        Digest = digest;
        Plan = plan;
        Prefix = prefix;
        _keys = keys;
        _keyList = keyList;
        _files = files;
        _hashes = hashes;
        _known = known;
    }

    /// <summary>The SHA-256 of the state file this summary describes.</summary>
    public string StateHash { get; }

    /// <summary>How many items the state records.</summary>
    public int Items { get; }

    /// <summary>The digest of the recorded items' keys and fingerprints.</summary>
    public string Digest { get; }

    /// <summary>The key of the plan the recorded items are exactly the items of; null when not known.</summary>
    public string? Plan { get; }

    /// <summary>
    /// What the recorded items were planned on, as their step words it (the context of the plan, and
    /// for growing inputs where they ended: the ledger's line count and last line hash); null when the
    /// step has none or the state does not hold exactly the items of that plan.
    /// </summary>
    public string? Prefix { get; }

    /// <summary>The recorded items' keys, in ordinal order (read from the file when first asked for).</summary>
    public IReadOnlyList<string> Keys => _keyList ??= StateJson.ReadStrings(_keys);

    /// <summary>
    /// Beside each of <see cref="Keys"/>, the digest of its item's inputs (<see cref="ItemState.InputsDigest()"/>),
    /// for a step that plans from the inputs that changed; null when not recorded.
    /// </summary>
    public IReadOnlyList<string>? Inputs => _inputList ??= ReadInputs();

    /// <summary>The digest of the recorded inputs of the item <paramref name="key"/>; null when the item is not recorded, or inputs are not.</summary>
    public string? InputOf(string key)
    {
        if (Inputs is not { } inputs)
        {
            return null;
        }

        var (low, high) = (0, Keys.Count - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = string.CompareOrdinal(Keys[middle], key);
            if (order == 0)
            {
                return inputs[middle];
            }

            (low, high) = order < 0 ? (middle + 1, high) : (low, middle - 1);
        }

        return null;
    }

    /// <summary>The digests as read, when there is one per key and the keys are in ordinal order (which <see cref="InputOf"/> searches by); else null.</summary>
    private IReadOnlyList<string>? ReadInputs()
    {
        if (_inputs.Buffer is null)
        {
            return null;
        }

        var inputs = StateJson.ReadStrings(_inputs);
        var keys = Keys;
        var sorted = inputs.Count == keys.Count;
        for (var i = 1; i < keys.Count && sorted; i++)
        {
            sorted = string.CompareOrdinal(keys[i - 1], keys[i]) < 0;
        }

        return sorted ? inputs : null;
    }

    /// <summary>The lake-relative paths of the recorded outputs and retained files, in ordinal order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>The recorded SHA-256 of the file at <paramref name="index"/> of <see cref="Files"/>; false when there is none.</summary>
    public bool TryGetHash(int index, out ReadOnlySpan<byte> sha)
    {
        sha = _hashes.AsSpan(index * 32, 32);
        return _known[index];
    }

    /// <summary>Where the summary of the state in <paramref name="statePath"/> lives.</summary>
    public static string PathOf(string statePath) => Path.ChangeExtension(statePath, ".summary.json");

    /// <summary>
    /// The summary of <paramref name="state"/>, which was just read from or written to a file with
    /// <paramref name="stateHash"/>, whose <see cref="StepState.Digest"/> is <paramref name="digest"/>,
    /// and whose items are those of <paramref name="plan"/> (or null), whose inputs ended at <paramref name="prefix"/>;
    /// with <paramref name="inputs"/>, the digest of each item's inputs (see <see cref="Inputs"/>).
    /// </summary>
    public static StepSummary Of(StepState state, string stateHash, string digest, string? plan, string? prefix = null, InputsFrom? inputs = null)
    {
        // Every item's files in one list sorted once (a sorted map of tens of thousands of paths, filled
        // one by one, cost more than the rest of a summary); a path two items recorded differently has no hash.
        var recorded = new List<KeyValuePair<string, string>>(state.Items.Count * 2);
        foreach (var item in state.Items.Values)
        {
            recorded.AddRange(item.Files);
        }

        var all = recorded.ToArray();
        Array.Sort(Array.ConvertAll(all, f => f.Key), all, StringComparer.Ordinal);
        var paths = new List<string>(all.Length);
        var hashes = new byte[all.Length * 32];
        var known = new bool[all.Length];
        for (var at = 0; at < all.Length;)
        {
            var (path, sha) = all[at];
            var agreed = true;
            for (at++; at < all.Length && string.Equals(all[at].Key, path, StringComparison.Ordinal); at++)
            {
                agreed &= string.Equals(all[at].Value, sha, StringComparison.Ordinal);
            }

            var i = paths.Count;
            paths.Add(path);
            known[i] = agreed && Convert.FromHexString(sha, hashes.AsSpan(i * 32, 32), out _, out var written) == System.Buffers.OperationStatus.Done && written == 32;
        }

        Array.Resize(ref hashes, paths.Count * 32);
        Array.Resize(ref known, paths.Count);
        IReadOnlyList<string>? own = inputs is null ? null
            : [.. state.Items.Select(i => (inputs.Ran.Contains(i.Key) ? null : inputs.Before?.InputOf(i.Key)) ?? i.Value.InputsDigest())];
        return new StepSummary(stateHash, state.Items.Count, digest, plan, prefix, default, [.. state.Items.Keys], default, own, [.. paths], hashes, known);
    }

    /// <summary>
    /// The summary <see cref="Of"/> makes of <paramref name="state"/>, made from <paramref name="before"/>
    /// (the summary of the state as read) when the only items that changed since are those of
    /// <paramref name="ran"/> (each key with its record as read, null for a new item) and none was
    /// removed: the summary gains the files of the items that ran, and loses those they no longer record
    /// when no other item records them, so the files of the others (tens of thousands) are not listed and
    /// sorted again. Null when it cannot be told so simply (a file an item that ran recorded with another
    /// hash, or one it dropped that another item may record, a hash not in the lake's format); <see cref="Of"/>
    /// then makes it from every item.
    /// </summary>
    public static StepSummary? Extend(
        StepSummary before, StepState state, IReadOnlyDictionary<string, ItemState?> ran, string stateHash, string digest, string? plan, string? prefix, bool inputs)
    {
        var added = new List<KeyValuePair<string, string>>();
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, previous) in ran)
        {
            if (!state.Items.TryGetValue(key, out var current))
            {
                return null;
            }

            var files = current.Files.ToList();
            added.AddRange(files);
            foreach (var file in previous?.Files ?? [])
            {
                if (!files.Contains(file))
                {
                    dropped.Add(file.Key);
                }
            }
        }

        if (dropped.Count > 0 && !NoneRecords(dropped, added, state, ran))
        {
            return null;
        }

        if (!Merge(before, added, dropped, out var paths, out var hashes, out var known))
        {
            return null;
        }

        // The keys as before, with those of the new items in their places; each item's inputs as before unless it ran.
        var fresh = ran.Where(r => r.Value is null).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        var keys = new List<string>(before.Keys.Count + fresh.Count);
        var digests = inputs ? new List<string>(keys.Capacity) : null;
        var recordedInputs = before.Inputs;
        for (int i = 0, j = 0; i < before.Keys.Count || j < fresh.Count;)
        {
            var order = i == before.Keys.Count ? 1 : j == fresh.Count ? -1 : string.CompareOrdinal(before.Keys[i], fresh[j]);
            if (order == 0)
            {
                return null;
            }

            var key = order < 0 ? before.Keys[i++] : fresh[j++];
            keys.Add(key);
            if (digests is not null)
            {
                var recorded = order < 0 && !ran.ContainsKey(key) ? recordedInputs?[i - 1] : null;
                digests.Add(recorded ?? (state.Items.TryGetValue(key, out var item) ? item.InputsDigest() : string.Empty));
            }
        }

        return keys.Count == state.Items.Count && keys.All(state.Items.ContainsKey)
            ? new StepSummary(stateHash, state.Items.Count, digest, plan, prefix, default, keys, default, digests, paths, hashes, known)
            : null;
    }

    /// <summary>
    /// Whether no item records any of the <paramref name="dropped"/> files any more: none that ran
    /// records it now, and none of the others (their bytes searched for its text) may; false too when
    /// a path has characters a writer may escape, so its text cannot be searched for.
    /// </summary>
    private static bool NoneRecords(HashSet<string> dropped, List<KeyValuePair<string, string>> added, StepState state, IReadOnlyDictionary<string, ItemState?> ran)
    {
        if (added.Any(file => dropped.Contains(file.Key)) || dropped.Any(path => path.AsSpan().ContainsAnyExcept(StateWriter.Plain)))
        {
            return false;
        }

        var quoted = dropped.Select(path => (Path: path, Text: System.Text.Encoding.ASCII.GetBytes('"' + path + '"'))).ToList();
        foreach (var (key, item) in state.Items)
        {
            if (!ran.ContainsKey(key) && quoted.Any(path => item.MayRecord(path.Path, path.Text)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The files of <paramref name="before"/> less those <paramref name="dropped"/>, with the files
    /// <paramref name="added"/> (path and hash): a path recorded with another hash than before, or twice
    /// with different hashes, has none, as <see cref="Of"/> decides. False when an added hash is not 64
    /// lower-case hex digits.
    /// </summary>
    private static bool Merge(
        StepSummary before, List<KeyValuePair<string, string>> added, HashSet<string> dropped, out string[] paths, out byte[] hashes, out bool[] known)
    {
        var additions = added.ToArray();
        Array.Sort(Array.ConvertAll(additions, f => f.Key), additions, StringComparer.Ordinal);
        var total = before._files.Length + additions.Length;
        var (outPaths, outHashes, outKnown) = (new List<string>(total), new byte[total * 32], new bool[total]);
        (paths, hashes, known) = ([], [], []);
        Span<byte> sha = stackalloc byte[32];
        for (int i = 0, j = 0; i < before._files.Length || j < additions.Length;)
        {
            var order = i == before._files.Length ? 1 : j == additions.Length ? -1 : string.CompareOrdinal(before._files[i], additions[j].Key);
            var at = outPaths.Count;
            if (order < 0 && dropped.Contains(before._files[i]))
            {
                i++;
                continue;
            }

            if (order < 0)
            {
                outPaths.Add(before._files[i]);
                before._hashes.AsSpan(i * 32, 32).CopyTo(outHashes.AsSpan(at * 32));
                outKnown[at] = before._known[i++];
                continue;
            }

            // A path that gains hashes: it keeps one only when every hash recorded for it is the same.
            var path = additions[j].Key;
            var value = additions[j].Value;
            if (!IsLakeHash(value) || Convert.FromHexString(value, sha, out _, out _) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            var agreed = order > 0 || (before._known[i] && before._hashes.AsSpan(i * 32, 32).SequenceEqual(sha));
            i += order == 0 ? 1 : 0;
            for (; j < additions.Length && string.Equals(additions[j].Key, path, StringComparison.Ordinal); j++)
            {
                if (!IsLakeHash(additions[j].Value))
                {
                    return false;
                }

                agreed &= string.Equals(additions[j].Value, value, StringComparison.Ordinal);
            }

            outPaths.Add(path);
            sha.CopyTo(outHashes.AsSpan(at * 32));
            outKnown[at] = agreed;
        }

        paths = [.. outPaths];
        hashes = outHashes.AsSpan(0, paths.Length * 32).ToArray();
        known = outKnown.AsSpan(0, paths.Length).ToArray();
        return true;
    }

    /// <summary>Whether a recorded hash is a SHA-256 as the lake writes it: 64 lower-case hex digits (any other text is left to <see cref="Of"/>).</summary>
    private static bool IsLakeHash(string value) =>
        value.Length == 64 && !value.AsSpan().ContainsAnyExcept("0123456789abcdef");

    /// <summary>This summary, for items now known to be those of <paramref name="plan"/>, whose inputs ended at <paramref name="prefix"/>.</summary>
    public StepSummary WithPlan(string? plan, string? prefix = null) =>
        new(StateHash, Items, Digest, plan, prefix, _keys, _keyList, _inputs, _inputList, _files, _hashes, _known);

    /// <summary>The summary stored at <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static StepSummary? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Replaces the summary file atomically; call after the state it describes is in place.</summary>
    public void Save(string path) => Lake.AtomicFile.Replace(path, stream =>
    {
        using var writer = new StateWriter(stream);
        writer.Json.WriteStartObject();
        writer.Json.WriteNumber("Version", CurrentVersion);
        writer.Json.WriteString("State", StateHash);
        writer.Json.WriteNumber("Items", Items);
        writer.Json.WriteString("Digest", Digest);
        writer.Json.WriteString("Plan", Plan);
        if (Prefix is not null)
        {
            writer.Json.WriteString("Prefix", Prefix);
        }

        WriteStrings(writer, "Keys", Keys);
        if (Inputs is { } inputs)
        {
            WriteStrings(writer, "Inputs", inputs);
        }

        writer.Raw("\"Files\":{"u8);
        for (var i = 0; i < Files.Count; i++)
        {
            writer.Raw(i == 0 ? "\n"u8 : ",\n"u8);
            writer.String(Files[i]);
            writer.Raw(":"u8);
            if (TryGetHash(i, out var sha))
            {
                writer.Hex(sha);
            }
            else
            {
                writer.Json.WriteNullValue();
            }
        }

        writer.Raw("\n}}\n"u8);
        writer.Complete();
    });

    /// <summary>An array of texts, one per line, and the comma after it.</summary>
    private static void WriteStrings(StateWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.Json.WritePropertyName(name);
        writer.Raw("["u8);
        for (var i = 0; i < values.Count; i++)
        {
            writer.Raw(i == 0 ? "\n"u8 : ",\n"u8);
            writer.String(values[i]);
        }

        writer.Raw("\n],"u8);
    }

    private static StepSummary Parse(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        StateJson.Expect(ref reader, JsonTokenType.StartObject);
        int? version = null;
        int? items = null;
        string? state = null;
        string? digest = null;
        string? plan = null;
        string? prefix = null;
        StateJson.Section? keys = null;
        StateJson.Section inputs = default;
        var files = new List<string>();
        var hashes = new List<byte>();
        var known = new List<bool>();
        Span<byte> sha = stackalloc byte[32];
        while (StateJson.Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Version"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.Number);
                version = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("State"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.String);
                state = reader.GetString();
            }
            else if (reader.ValueTextEquals("Items"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.Number);
                items = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("Digest"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.String);
                digest = reader.GetString();
            }
            else if (reader.ValueTextEquals("Plan"u8))
            {
                plan = StateJson.Next(ref reader) is JsonTokenType.String or JsonTokenType.Null
                    ? reader.GetString()
                    : throw new JsonException($"expected a plan at byte {reader.TokenStartIndex}");
            }
            else if (reader.ValueTextEquals("Prefix"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.String);
                prefix = reader.GetString();
            }
            else if (reader.ValueTextEquals("Keys"u8))
            {
                keys = StateJson.KeepStrings(ref reader, bytes);
            }
            else if (reader.ValueTextEquals("Inputs"u8))
            {
                inputs = StateJson.KeepStrings(ref reader, bytes);
            }
            else if (reader.ValueTextEquals("Files"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.StartObject);
                while (StateJson.Next(ref reader) == JsonTokenType.PropertyName)
                {
                    files.Add(reader.GetString()!);
                    known.Add(StateJson.Next(ref reader) switch
                    {
                        JsonTokenType.String => !reader.ValueIsEscaped && Convert.FromHexString(reader.ValueSpan, sha, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32,
                        JsonTokenType.Null => false,
                        _ => throw new JsonException($"expected a hash at byte {reader.TokenStartIndex}"),
                    });
                    hashes.AddRange(sha);
                }
            }
            else
            {
                StateJson.Next(ref reader);
                reader.Skip();
            }
        }

        return version == CurrentVersion && state is not null && items is not null && digest is not null && keys is not null
            ? new StepSummary(state, items.Value, digest, plan, prefix, keys.Value, null, inputs, null, [.. files], [.. hashes], [.. known])
            : throw new JsonException("not a step summary of version " + CurrentVersion);
    }
}

/// <summary>
/// Where a new summary takes the digests of its items' inputs from: <paramref name="Before"/>, the
/// summary of the state as it was read (null when there was none that matched), for every item not
/// in <paramref name="Ran"/>; those items are as they were, and so are their inputs.
/// </summary>
public sealed record InputsFrom(StepSummary? Before, IReadOnlySet<string> Ran);
