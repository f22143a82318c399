using System.Collections.Concurrent;
using System.Text.Json;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// Content hashes remembered by (path, size, last write time): an unchanged file is not re-read.
/// Persisted in <c>.bedrot/hash-cache.json</c> (an object from full path to <c>Size</c>, <c>Ticks</c>
/// and <c>Sha256</c>, one file per line); a damaged cache is simply rebuilt. A run that learnt
/// nothing new leaves the file as it is.
/// </summary>
public sealed class HashCache
{
    private readonly ConcurrentDictionary<string, Known> _entries;
    private int _reads;
    private volatile bool _changed;

    private HashCache(ConcurrentDictionary<string, Known> entries) => _entries = entries;

    /// <summary>How many files were actually read to hash them since the cache was loaded.</summary>
    public int FilesRead => _reads;

    public static HashCache Load(string path)
    {
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];
        // Sized for the file's entries (about 200 bytes each), so that reading it never grows the table.
        var entries = new ConcurrentDictionary<string, Known>(Environment.ProcessorCount, bytes.Length / 128 + 31, StringComparer.Ordinal);
        try
        {
            if (bytes.Length > 0)
            {
                Parse(StateJson.WithoutBom(bytes), entries);
            }
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            entries.Clear();
        }

        return new HashCache(entries);
    }

    /// <summary>The SHA-256 of the file, from the cache when its size and time are unchanged.</summary>
    public string Hash(string fullPath) => Hash(fullPath, new FileInfo(fullPath));

    /// <summary>The hash of a file that exists, or null when it does not (one status call either way).</summary>
    public string? HashIfExists(string fullPath)
    {
        var info = new FileInfo(fullPath);
        if (info.Exists)
        {
            return Hash(fullPath, info);
        }

        Forget(fullPath);
        return null;
    }

    /// <summary>Records the hash of a file just written, so the next run need not read it.</summary>
    public void Remember(string fullPath, string sha256)
    {
        var info = new FileInfo(fullPath);
        var size = info.Length;
        var ticks = info.LastWriteTimeUtc.Ticks;
        var entry = new Entry(size, ticks, sha256);
        if (_entries.TryGetValue(fullPath, out var known) && known.Entry == entry)
        {
            known.Seen = true;
            return;
        }

        _entries[fullPath] = new Known(entry) { Seen = true };
        _changed = true;
    }

    public void Forget(string fullPath)
    {
        if (_entries.TryRemove(fullPath, out _))
        {
            _changed = true;
        }
    }

    /// <summary>
    /// Writes the cache when this run added, changed or forgot an entry. Entries not looked at in this
    /// run are kept only while their file exists; the others were checked by the status call that found them.
    /// </summary>
    public void Save(string path)
    {
        if (!_changed && File.Exists(path))
        {
            return;
        }

        var live = _entries
            .Where(e => e.Value.Seen || File.Exists(e.Key))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        Lake.AtomicFile.Write(path, stream =>
        {
            var buffered = new BufferedStream(stream, 1 << 16);
            using var writer = new Utf8JsonWriter(buffered, StateJson.Compact);
            buffered.WriteByte((byte)'{');
            var first = true;
            foreach (var (file, known) in live)
            {
                buffered.Write(first ? "\n"u8 : ",\n"u8);
                first = false;
                writer.Reset();
                writer.WriteStringValue(file);
                writer.Flush();
                buffered.WriteByte((byte)':');
                writer.Reset();
                writer.WriteStartObject();
                writer.WriteNumber("Size", known.Entry.Size);
                writer.WriteNumber("Ticks", known.Entry.Ticks);
                writer.WriteString("Sha256", known.Entry.Sha256);
                writer.WriteEndObject();
                writer.Flush();
            }

            buffered.Write("\n}\n"u8);
            buffered.Flush();
        });
        _changed = false;
    }

    private string Hash(string fullPath, FileInfo info)
    {
        var size = info.Length;
        var ticks = info.LastWriteTimeUtc.Ticks;
        if (_entries.TryGetValue(fullPath, out var known) && known.Entry.Size == size && known.Entry.Ticks == ticks)
        {
            known.Seen = true;
            return known.Entry.Sha256;
        }

        Interlocked.Increment(ref _reads);
        var hash = Hashing.OfFile(fullPath);
        _entries[fullPath] = new Known(new Entry(size, ticks, hash)) { Seen = true };
        _changed = true;
        return hash;
    }

    private static void Parse(ReadOnlySpan<byte> bytes, ConcurrentDictionary<string, Known> into)
    {
        var reader = new Utf8JsonReader(bytes);
        StateJson.Expect(ref reader, JsonTokenType.StartObject);
        while (StateJson.Next(ref reader) == JsonTokenType.PropertyName)
        {
            var file = reader.GetString()!;
            StateJson.Expect(ref reader, JsonTokenType.StartObject);
            long? size = null;
            long? ticks = null;
            string? sha = null;
            while (StateJson.Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("Size"u8))
                {
                    StateJson.Expect(ref reader, JsonTokenType.Number);
                    size = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("Ticks"u8))
                {
                    StateJson.Expect(ref reader, JsonTokenType.Number);
                    ticks = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("Sha256"u8))
                {
                    StateJson.Expect(ref reader, JsonTokenType.String);
                    sha = reader.GetString();
                }
                else
                {
                    StateJson.Next(ref reader);
                    reader.Skip();
                }
            }

            // An entry missing a part is left out: the file is then hashed again.
            if (size is { } s && ticks is { } t && sha is not null)
            {
                into[file] = new Known(new Entry(s, t, sha));
            }
        }
    }

    public sealed record Entry(long Size, long Ticks, string Sha256);

    /// <summary>An entry, and whether this run has seen its file (so saving need not look for it again).</summary>
    private sealed class Known(Entry entry)
    {
        public Entry Entry { get; } = entry;

        public bool Seen { get; set; }
    }
}
