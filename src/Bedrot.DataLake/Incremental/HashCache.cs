using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// Content hashes remembered by (path, size, last write time): an unchanged file is not re-read.
/// Persisted in <c>.bedrot/hash-cache.json</c> (an object from full path to <c>Size</c>, <c>Ticks</c>
/// and <c>Sha256</c>, one file per line); a damaged cache is simply rebuilt. A run that learnt
/// nothing new leaves the file as it is.
/// </summary>
/// <remarks>
/// The cache of a lake of ten thousand files holds some forty thousand entries, all read at every
/// run: each is one slot in one table (its hash as 32 bytes), not a handful of objects, and the file
/// is read through a small buffer.
/// </remarks>
public sealed partial class HashCache
{
    private static ReadOnlySpan<byte> Opening => "{"u8;

    private static ReadOnlySpan<byte> Closing => "}"u8;

    private readonly Task<Dictionary<string, Slot>> _reading;
    private readonly Lock _lock = new();
    private Dictionary<string, Slot>? _read;
    private int _reads;
    private bool _changed;

    private HashCache(Task<Dictionary<string, Slot>> reading) => _reading = reading;

    /// <summary>How many files were actually read to hash them since the cache was loaded.</summary>
    public int FilesRead => _reads;

    /// <summary>The entries, once read (a failure to read the file surfaces here).</summary>
    private Dictionary<string, Slot> Entries => _read ??= _reading.GetAwaiter().GetResult();

    /// <summary>
    /// The cache saved at <paramref name="path"/>, read on another thread: the run goes on (a
    /// first step scans the landing folder) until it first asks for a hash.
    /// </summary>
    public static HashCache Load(string path) => new(Task.Run(() => Read(path)));

    /// <summary>The SHA-256 of the file, from the cache when its size and time are unchanged.</summary>
    public string Hash(string fullPath) => Hash(fullPath, new FileInfo(fullPath));

    /// <summary>
    /// What the cache holds for a path, whatever the file's size and time are now, without reading or
    /// even looking at the file; null when the path was never hashed. Tells a new file from a changed one.
    /// </summary>
    public Entry? Cached(string fullPath)
    {
        lock (_lock)
        {
            return Entries.TryGetValue(fullPath, out var slot) ? new Entry(slot.Size, slot.Ticks, slot.Hex()) : null;
        }
    }

    /// <summary>
    /// The hash the cache holds for a file it knows at this <paramref name="size"/> and time
    /// (<paramref name="ticks"/>, as the caller just saw them), without looking at the file; null
    /// when the cache lacks the file or holds it at another size or time.
    /// </summary>
    public string? Known(string fullPath, long size, long ticks) => Fresh(fullPath, size, ticks)?.Hex();

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

    /// <summary>
    /// Whether the file exists with the hash <paramref name="sha"/> (its 32 bytes): one status call, and
    /// no text made, while the file's size and time are the cached ones.
    /// </summary>
    internal bool IsIntact(string fullPath, ReadOnlySpan<byte> sha)
    {
        var info = new FileInfo(fullPath);
        if (!info.Exists)
        {
            Forget(fullPath);
            return false;
        }

        return Fresh(fullPath, info.Length, info.LastWriteTimeUtc.Ticks) is { } known
            ? known.Holds(sha)
            : Hash(fullPath, info) == Convert.ToHexStringLower(sha);
    }

    /// <summary>Records the hash of a file just written, so the next run need not read it.</summary>
    public void Remember(string fullPath, string sha256)
    {
        var info = new FileInfo(fullPath);
        var slot = new Slot(info.Length, info.LastWriteTimeUtc.Ticks, sha256);
        lock (_lock)
        {
            ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(Entries, fullPath, out var exists);
            _changed |= !exists || !known.SameAs(slot);
            known = slot;
        }
    }

    public void Forget(string fullPath)
    {
        lock (_lock)
        {
            _changed |= Entries.Remove(fullPath);
        }
    }

    /// <summary>
    /// Writes the cache when this run added, changed or forgot an entry. Entries not looked at in this
    /// run are kept only while their file exists; the others were checked by the status call that found them.
    /// </summary>
    public void Save(string path)
    {
        List<KeyValuePair<string, Slot>> live;
        lock (_lock)
        {
            if (!_changed && File.Exists(path))
            {
                return;
            }

            live = [.. Entries];
            // Cleared as the entries are taken, not after they are written: a change made meanwhile marks the cache changed again.
            _changed = false;
        }

        try
        {
            Write(path, live);
        }
        catch
        {
            lock (_lock)
            {
                _changed = true;
            }

            throw;
        }
    }

    private static void Write(string path, List<KeyValuePair<string, Slot>> live)
    {
        live.RemoveAll(e => !e.Value.Seen && !File.Exists(e.Key));
        live.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        Lake.AtomicFile.Replace(path, stream =>
        {
            using var writer = new StateWriter(stream);
            writer.Raw(Opening);
            for (var i = 0; i < live.Count; i++)
            {
                writer.Raw(i == 0 ? "\n"u8 : ",\n"u8);
                writer.String(live[i].Key);
                writer.Raw(":{\"Size\":"u8);
                writer.Number(live[i].Value.Size);
                writer.Raw(",\"Ticks\":"u8);
                writer.Number(live[i].Value.Ticks);
                writer.Raw(",\"Sha256\":"u8);
                writer.String(live[i].Value.Hex());
                writer.Raw("}"u8);
            }

            writer.Raw("\n"u8);
            writer.Raw(Closing);
            writer.Raw("\n"u8);
            writer.Complete();
        });
    }

    private string Hash(string fullPath, FileInfo info)
    {
        if (Fresh(fullPath, info.Length, info.LastWriteTimeUtc.Ticks) is { } known)
        {
            return known.Hex();
        }

        var (size, ticks) = (info.Length, info.LastWriteTimeUtc.Ticks);
        Interlocked.Increment(ref _reads);
        var hash = Hashing.OfFile(fullPath);
        lock (_lock)
        {
            Entries[fullPath] = new Slot(size, ticks, hash);
            _changed = true;
        }

        return hash;
    }

    /// <summary>
    /// The cached slot of a file whose size and time are still the cached ones, marked as seen by this
    /// run; null when the cache lacks the file or it changed since.
    /// </summary>
    private Slot? Fresh(string fullPath, long size, long ticks)
    {
        lock (_lock)
        {
            ref var known = ref CollectionsMarshal.GetValueRefOrNullRef(Entries, fullPath);
            if (Unsafe.IsNullRef(ref known) || known.Size != size || known.Ticks != ticks)
            {
                return null;
            }

            known.Seen = true;
            return known;
        }
    }

    /// <summary>A cached file's size, time and hash.</summary>
    public sealed record Entry(long Size, long Ticks, string Sha256);

    /// <summary>A file's size, time and hash, and whether this run has seen the file (so saving need not look for it again).</summary>
    private struct Slot(long size, long ticks, Digest sha)
    {
        private readonly Digest _sha = sha;

        public Slot(long size, long ticks, string sha256)
            : this(size, ticks, Digest.Parse(sha256))
        {
        }

        public readonly long Size = size;

        public readonly long Ticks = ticks;

        public bool Seen = true;

        public readonly string Hex() => Convert.ToHexStringLower(_sha);

        public readonly bool Holds(ReadOnlySpan<byte> sha) => ((ReadOnlySpan<byte>)_sha).SequenceEqual(sha);

        public readonly bool SameAs(Slot other) =>
            Size == other.Size && Ticks == other.Ticks && ((ReadOnlySpan<byte>)_sha).SequenceEqual(other._sha);
    }

    /// <summary>A SHA-256 as its 32 bytes.</summary>
    [InlineArray(32)]
    private struct Digest
    {
        private byte _first;

        /// <summary>The hash a 64-digit lower-case hex text (as UTF-8 bytes) stands for; null for any other text.</summary>
        public static Digest? Parse(ReadOnlySpan<byte> hex)
        {
            var digest = default(Digest);
            return hex.Length == 64 && !hex.ContainsAnyExcept("0123456789abcdef"u8)
                   && Convert.FromHexString(hex, digest, out _, out _) == System.Buffers.OperationStatus.Done
                ? digest
                : null;
        }

        /// <summary>The hash a hex text stands for, as <see cref="Hashing"/> writes it.</summary>
        public static Digest Parse(string hex)
        {
            var digest = default(Digest);
            Convert.FromHexString(hex, digest, out _, out _);
            return digest;
        }
    }
}
