using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Bedrot.DataLake.Incremental;
using Newtonsoft.Json;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// The append-only record of the raw zone. Each line carries its own SHA-256 and that of the line
/// before it: an edited line fails its own hash (and is named), a removed or inserted line breaks
/// the chain at the line after it, and lines cut from the end are caught against the head the last
/// run recorded (<c>.bedrot/ledger-head.json</c>). Entries are indexed by content hash and raw path,
/// so looking one up does not scan the ledger.
/// </summary>
/// <remarks>
/// Lookups may run on several threads at once while nothing is staged or committed; staging and
/// committing run on one thread.
/// </remarks>
public sealed class Ledger
{
    public static readonly string Genesis = new('0', 64);

    private readonly string _path;
    private readonly List<LedgerEntry> _entries = [];
    private readonly Dictionary<string, LedgerEntry> _promotions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rawPaths = new(StringComparer.Ordinal);
    private readonly HashSet<(string Event, string Sha256, string Source)> _records = [];
    private readonly ArrayBufferWriter<byte> _staged = new();
    private readonly IncrementalHash _content = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _bytes;
    private string _lastLineHash = Genesis;
    private byte[]? _unread;
    private int _unreadLength;
    private int _unreadLines;

    private Ledger(string path) => _path = path;

    public IReadOnlyList<LedgerEntry> Entries
    {
        get
        {
            EnsureRead();
            return _entries;
        }
    }

    /// <summary>Problems found while loading (a broken chain, an unreadable line).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>
    /// Loads the ledger, checking every line. With the <paramref name="verified"/> head a run recorded,
    /// a file that still starts with exactly what was verified then has that part checked by one hash
    /// over it, and only the lines after it one by one; anything else is checked in full. A file that
    /// is all verified is not even parsed until an entry is asked for: a run with nothing to promote
    /// never asks.
    /// </summary>
    public static Ledger Load(string path, LedgerHead? verified = null)
    {
        var ledger = new Ledger(path);
        if (!File.Exists(path))
        {
            return ledger;
        }

        var bytes = File.ReadAllBytes(path);
        var end = bytes.AsSpan().LastIndexOf((byte)'\n') + 1;
        if (end < bytes.Length)
        {
            // No newline after the last line: its append did not finish, even if its JSON did. The
            // promotion it was recording had not completed; the line is dropped and recorded again.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(end);
        }

        var trusted = ledger.HashPrefix(bytes.AsSpan(0, end), verified);
        if (trusted > 0 && trusted == end)
        {
            ledger._unread = bytes;
            ledger._unreadLength = end;
            ledger._unreadLines = verified!.Lines;
            ledger._lastLineHash = Hashing.Of(Encoding.UTF8.GetString(LastLine(bytes.AsSpan(0, end))));
            return ledger;
        }

        var lines = ledger.Read(bytes.AsSpan(0, trusted), 0, check: false);
        ledger.Read(bytes.AsSpan(trusted, end - trusted), lines, check: true);
        return ledger;
    }

    /// <summary>The head to record once the run is over: what the next run's <see cref="Load"/> can trust.</summary>
    public LedgerHead Head => new(_unread is null ? _entries.Count : _unreadLines, _lastLineHash, _bytes, Convert.ToHexStringLower(_content.GetCurrentHash()));

    /// <summary>The promotion of this content, if the raw zone already holds it.</summary>
    public LedgerEntry? PromotionOf(string sha256)
    {
        EnsureRead();
        return _promotions.GetValueOrDefault(sha256);
    }

    public bool Records(string eventName, string sha256, string source)
    {
        EnsureRead();
        return _records.Contains((eventName, sha256, source));
    }

    public bool UsesRawPath(string rawPath)
    {
        EnsureRead();
        return _rawPaths.Contains(rawPath);
    }

    /// <summary>Appends an entry, filling its sequence number and chain hash, and flushes it to disk.</summary>
    public LedgerEntry Append(LedgerEntry entry)
    {
        var chained = Stage(entry);
        Commit();
        return chained;
    }

    /// <summary>
    /// Records an entry, filling its sequence number and chain hash: lookups see it at once, the file
    /// gets it at the next <see cref="Commit"/>. The raw copies it names must be on disk before then.
    /// </summary>
    public LedgerEntry Stage(LedgerEntry entry)
    {
        EnsureRead();
        var chained = entry with { Sequence = _entries.Count + 1, Previous = _lastLineHash, LineHash = null };
        chained = chained with { LineHash = chained.ComputeLineHash() };
        var line = JsonConvert.SerializeObject(chained, Formatting.None);
        Encoding.UTF8.GetBytes(line + "\n", _staged);
        Add(chained);
        _lastLineHash = Hashing.Of(line);
        return chained;
    }

    /// <summary>Appends the staged lines to the file in one write and flushes them to disk once.</summary>
    public void Commit()
    {
        if (_staged.WrittenCount == 0)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            file.Write(_staged.WrittenSpan);
            file.Flush(flushToDisk: true);
        }

        _content.AppendData(_staged.WrittenSpan);
        _bytes += _staged.WrittenCount;
        _staged.Clear();
    }

    /// <summary>
    /// Feeds the file's complete lines to the running hash, and returns how many of their bytes the
    /// head vouches for: all it covered when the file still starts with exactly those bytes, else none.
    /// </summary>
    private int HashPrefix(ReadOnlySpan<byte> complete, LedgerHead? verified)
    {
        var trusted = 0;
        if (verified is { Bytes: { } length, Sha256: { } sha256 } && length > 0 && length <= complete.Length && complete[(int)length - 1] == '\n'
            && complete[..(int)length].Count((byte)'\n') == verified.Lines)
        {
            _content.AppendData(complete[..(int)length]);
            if (Convert.ToHexStringLower(_content.GetCurrentHash()) == sha256)
            {
                trusted = (int)length;
            }
            else
            {
                _content.GetHashAndReset();
            }
        }

        _content.AppendData(complete[trusted..]);
        _bytes = complete.Length;
        return trusted;
    }

    /// <summary>
    /// Reads complete lines (numbered from <paramref name="before"/> + 1), checking each one's hash and
    /// chain when asked; returns the number of the last line read.
    /// </summary>
    private int Read(ReadOnlySpan<byte> lines, int before, bool check)
    {
        var number = before;
        var previousEdited = false;
        while (!lines.IsEmpty)
        {
            var end = lines.IndexOf((byte)'\n');
            var line = lines[..end];
            lines = lines[(end + 1)..];
            number++;
            if ((LedgerEntryReader.TryRead(line) ?? Tolerant(line)) is not { } entry)
            {
                Problems.Add($"raw/_ledger.jsonl line {number}: not a ledger entry");
                continue;
            }

            if (check)
            {
                var edited = entry.LineHash is not null && entry.LineHash != entry.ComputeLineHash();
                if (edited)
                {
                    Problems.Add($"raw/_ledger.jsonl line {number}: edited (the line no longer matches its own hash; seq {entry.Sequence}, {entry.RawPath})");
                }

                if (entry.Previous != _lastLineHash && !previousEdited)
                {
                    Problems.Add(
                        $"raw/_ledger.jsonl line {number}: chain broken: the line before it was changed, or lines were removed or inserted here " +
                        $"(prev {Short(entry.Previous)}, expected {Short(_lastLineHash)})");
                }

                previousEdited = edited;
            }

            Add(entry);
            if (check || lines.IsEmpty)
            {
                _lastLineHash = Hashing.Of(Encoding.UTF8.GetString(line));
            }
        }

        return number;
    }

    /// <summary>A line that is not exactly as this code writes it, read as leniently as ever; null when it is no entry at all.</summary>
    private static LedgerEntry? Tolerant(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonConvert.DeserializeObject<LedgerEntry>(Encoding.UTF8.GetString(line));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads a verified file's lines into entries, once, on the first thread that needs them.</summary>
    private void EnsureRead()
    {
        if (Volatile.Read(ref _unread) is null)
        {
            return;
        }

        lock (_entries)
        {
            if (_unread is { } bytes)
            {
                Read(bytes.AsSpan(0, _unreadLength), 0, check: false);
                Volatile.Write(ref _unread, null);
            }
        }
    }

    private static ReadOnlySpan<byte> LastLine(ReadOnlySpan<byte> complete)
    {
        var line = complete[..^1];
        return line[(line.LastIndexOf((byte)'\n') + 1)..];
    }

    private void Add(LedgerEntry entry)
    {
        _entries.Add(entry);
        _records.Add((entry.Event, entry.Sha256, entry.Source));
        if (entry.Event == LedgerEntry.Promoted)
        {
            _promotions.TryAdd(entry.Sha256, entry);
            _rawPaths.Add(entry.RawPath);
        }
    }

    private static string Short(string hash) => hash.Length >= 12 ? hash[..12] + "..." : hash;
}
