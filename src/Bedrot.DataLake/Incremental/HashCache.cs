using System.Collections.Concurrent;
using Newtonsoft.Json;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// Content hashes remembered by (path, size, last write time): an unchanged file is not re-read.
/// Persisted in <c>.bedrot/hash-cache.json</c>; a damaged cache is simply rebuilt.
/// </summary>
public sealed class HashCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries;
    private int _reads;

    private HashCache(ConcurrentDictionary<string, Entry> entries) => _entries = entries;

    /// <summary>How many files were actually read to hash them since the cache was loaded.</summary>
    public int FilesRead => _reads;

    public static HashCache Load(string path)
    {
        var entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            try
            {
                var saved = JsonConvert.DeserializeObject<Dictionary<string, Entry>>(File.ReadAllText(path));
                foreach (var (key, entry) in saved ?? [])
                {
                    entries[key] = entry;
                }
            }
            catch (JsonException)
            {
                entries.Clear();
            }
        }

        return new HashCache(entries);
    }

    /// <summary>The SHA-256 of the file, from the cache when its size and time are unchanged.</summary>
    public string Hash(string fullPath)
    {
        var info = new FileInfo(fullPath);
        var size = info.Length;
        var ticks = info.LastWriteTimeUtc.Ticks;
        if (_entries.TryGetValue(fullPath, out var known) && known.Size == size && known.Ticks == ticks)
        {
            return known.Sha256;
        }

        Interlocked.Increment(ref _reads);
        var hash = Hashing.OfFile(fullPath);
        _entries[fullPath] = new Entry(size, ticks, hash);
        return hash;
    }

    /// <summary>
    /// What the cache holds for a path, whatever the file's size and time are now, without reading or
    /// even looking at the file; null when the path was never hashed. Tells a new file from a changed one.
    /// </summary>
    public Entry? Cached(string fullPath) => _entries.GetValueOrDefault(fullPath);

    /// <summary>The hash of a file that exists, or null when it does not.</summary>
    public string? HashIfExists(string fullPath) => File.Exists(fullPath) ? Hash(fullPath) : null;

    /// <summary>Records the hash of a file just written, so the next run need not read it.</summary>
    public void Remember(string fullPath, string sha256)
    {
        var info = new FileInfo(fullPath);
        _entries[fullPath] = new Entry(info.Length, info.LastWriteTimeUtc.Ticks, sha256);
    }

    public void Forget(string fullPath) => _entries.TryRemove(fullPath, out _);

    public void Save(string path)
    {
        var live = _entries
            .Where(e => File.Exists(e.Key))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        Lake.AtomicFile.WriteAllText(path, JsonConvert.SerializeObject(live));
    }

    public sealed record Entry(long Size, long Ticks, string Sha256);
}
