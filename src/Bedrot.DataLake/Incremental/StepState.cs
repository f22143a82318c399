using System.Text.Json;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// The recorded items of one step, stored in <c>.bedrot/state/&lt;step&gt;.json</c>: an object with
/// <c>Version</c> and <c>Items</c> (item key to its <see cref="ItemState"/>), one item per line
/// (<see cref="StepStateFile"/>). Read and written with <see cref="Utf8JsonReader"/> and
/// <see cref="Utf8JsonWriter"/> into ordinal dictionaries: the state of ten thousand items is tens of
/// megabytes, and a general serialiser spent most of a no-op rerun on it.
/// </summary>
public sealed class StepState
{
    /// <summary>The one layout this code reads; a file of another version is not trusted (its step rebuilds).</summary>
    public const int CurrentVersion = 1;

    /// <summary>The layout's version; a state is always written in the current one.</summary>
    public int Version { get; } = CurrentVersion;

    public SortedDictionary<string, ItemState> Items { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The SHA-256 of the file this state was last written to, or was read from when read with its
    /// hash; null otherwise.
    /// </summary>
    internal string? FileHash { get; private set; }

    public static StepState Load(string path) => Load(path, hashed: false);

    /// <summary>Reads the state; with <paramref name="hashed"/>, also the hash of the file's bytes (as read, not read again).</summary>
    internal static StepState Load(string path, bool hashed)
    {
        if (!File.Exists(path))
        {
            return new StepState();
        }

        var bytes = File.ReadAllBytes(path);
        try
        {
            var state = new StepState { Items = StepStateFile.Read(bytes) };
            state.FileHash = hashed ? Hashing.Of(bytes) : null;
            return state;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            // A damaged state, or one of a version this code does not know, only costs a rebuild: every item then runs as new.
            return new StepState();
        }
    }

    /// <summary>
    /// Replaces the state file atomically, after the outputs it describes are in place; returns the
    /// SHA-256 of what was written.
    /// </summary>
    public string Save(string path)
    {
        FileHash = Lake.AtomicFile.Write(path, stream =>
        {
            StepStateFile.Write(stream, Items);
        });
        return FileHash;
    }

    /// <summary>
    /// The SHA-256 over the recorded items' keys and fingerprints, in key order: equal to
    /// <see cref="DigestOf"/> of a run's items exactly when that run has the same items with the same fingerprints.
    /// </summary>
    public string Digest() =>
        // Items kept in ordinal order are already in the order the digest takes them; sorting again would copy thousands of pairs.
        ReferenceEquals(Items.Comparer, StringComparer.Ordinal)
            ? Hashing.OfPairs([.. Items.Select(i => (i.Key, i.Value.Fingerprint))])
            : DigestOf(Items.Select(i => (i.Key, i.Value.Fingerprint)));

    /// <summary>The digest of items given as (key, fingerprint) pairs, sorted here by key.</summary>
    public static string DigestOf(IEnumerable<(string Key, string Fingerprint)> items)
    {
        var pairs = items.ToArray();
        var keys = Array.ConvertAll(pairs, p => p.Key);
        Array.Sort(keys, pairs, StringComparer.Ordinal);
        return Hashing.OfPairs(pairs);
    }
}
