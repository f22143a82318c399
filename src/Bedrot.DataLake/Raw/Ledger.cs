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
/// <para>
/// Lookups may run on several threads at once while nothing is staged or committed; staging and
/// committing run on one thread.
/// </para>
/// <para>
/// While the lines the head vouches for are not yet read (see <see cref="Load"/>), a lookup finds
/// them by searching the file's bytes for the hash or path it asks about, and reads only the lines
/// that hold it: a run that promotes one file among ten thousand reads a handful of lines, not all.
/// A text that could stand escaped in a line (a quote, a backslash, a control character), or a file
/// with optional escapes in it (<c>\u</c>, <c>\/</c>), is answered from every line, read once.
/// </para>
/// </remarks>
public sealed class Ledger
{
    public static readonly string Genesis = new('0', 64);

    private readonly string _path;
    private readonly Lock _reading = new();

    /// <summary>The file's entries once read, and the entries this process staged since it loaded the file.</summary>
    private readonly EntryIndex _file = new(), _added = new();
    private readonly ArrayBufferWriter<byte> _staged = new();
    private readonly IncrementalHash _content = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _bytes;
    private string _lastLineHash = Genesis;
    private byte[]? _unread;
    private int _unreadLength;
    private int _unreadLines;

    /// <summary>
    /// Whether the unread lines hold no optional escape, so any plain text stands in them as it is: 1 when
    /// they hold none, -1 when they do, 0 until the first search looks (a run with nothing to promote never does).
    /// </summary>
    private int _unreadPlain;

    /// <summary>Lookups answered by searching the unread lines: past <see cref="SearchesBeforeReading"/>, reading them all once costs less.</summary>
    private int _searches;

    /// <summary>
    /// Searches made before the lines are read, all at once: over ten thousand lines one search took about
    /// 0.5 ms and reading every line 70-120 ms, so a run promoting a few dozen files never reads them all.
    /// </summary>
    internal const int SearchesBeforeReading = 100;

    private Ledger(string path) => _path = path;

    /// <summary>Every entry, in order: the file's (read now if they were not) and those staged since.</summary>
    public IReadOnlyList<LedgerEntry> Entries
    {
        get
        {
            EnsureRead();
            return _added.List.Count == 0 ? _file.List : [.. _file.List, .. _added.List];
        }
    }

    /// <summary>How many entries there are, with those staged and not yet committed.</summary>
    public int Count
    {
        get
        {
            lock (_reading)
            {
                return (_unread is null ? _file.List.Count : _unreadLines) + _added.List.Count;
            }
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

    /// <summary>Whether the file's lines have all been read (a lookup that searched them read only the lines it found).</summary>
    internal bool AllRead => Volatile.Read(ref _unread) is null;

    /// <summary>The head to record once the run is over: what the next run's <see cref="Load"/> can trust.</summary>
    public LedgerHead Head => new(Count, _lastLineHash, _bytes, Convert.ToHexStringLower(_content.GetCurrentHash()));

    /// <summary>The promotion of this content, if the raw zone already holds it.</summary>
    public LedgerEntry? PromotionOf(string sha256) => FileEntriesWith(sha256).PromotionOf(sha256) ?? _added.PromotionOf(sha256);

    public bool Records(string eventName, string sha256, string source) =>
        FileEntriesWith(sha256).Records(eventName, sha256, source) || _added.Records(eventName, sha256, source);

    public bool UsesRawPath(string rawPath) => FileEntriesWith(rawPath).UsesRawPath(rawPath) || _added.UsesRawPath(rawPath);

    /// <summary>
    /// The entries from the <paramref name="first"/> one on (counted from 0), in order, with those staged
    /// since; while the file's lines are unread, only the lines from there are read.
    /// </summary>
    public IReadOnlyList<LedgerEntry> EntriesFrom(int first) => EntriesFrom(first, int.MaxValue);

    /// <summary>The entry at <paramref name="index"/> (counted from 0), read alone while the file's lines are unread; null past the end.</summary>
    public LedgerEntry? EntryAt(int index) => EntriesFrom(index, 1) is [var entry] ? entry : null;

    private List<LedgerEntry> EntriesFrom(int first, int most)
    {
        var entries = new List<LedgerEntry>();
        int lines;
        if (Volatile.Read(ref _unread) is { } unread)
        {
            var rest = unread.AsSpan(0, _unreadLength);
            for (var skipped = 0; skipped < first && !rest.IsEmpty; skipped++)
            {
                rest = rest[(rest.IndexOf((byte)'\n') + 1)..];
            }

            while (!rest.IsEmpty && entries.Count < most)
            {
                var end = rest.IndexOf((byte)'\n');
                if (ReadLine(rest[..end]) is { } entry)
                {
                    entries.Add(entry);
                }

                rest = rest[(end + 1)..];
            }

            lines = _unreadLines;
        }
        else
        {
            EnsureRead();
            entries.AddRange(_file.List.Skip(first).Take(most));
            lines = _file.List.Count;
        }

        entries.AddRange(_added.List.Skip(Math.Max(0, first - lines)).Take(most - entries.Count));
        return entries;
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
        var chained = entry with { Sequence = Count + 1, Previous = _lastLineHash, LineHash = null };
        chained = chained with { LineHash = chained.ComputeLineHash() };
        var line = JsonConvert.SerializeObject(chained, Formatting.None);
        Encoding.UTF8.GetBytes(line + "\n", _staged);
        lock (_reading)
        {
            _added.Add(chained);
        }

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
            if (ReadLine(line) is not { } entry)
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

            _file.Add(entry);
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

        lock (_reading)
        {
            if (_unread is { } bytes)
            {
                // The last line's hash already follows the lines staged since; reading the file again does not move it.
                var last = _lastLineHash;
                Read(bytes.AsSpan(0, _unreadLength), 0, check: false);
                _lastLineHash = last;
                Volatile.Write(ref _unread, null);
            }
        }
    }

    /// <summary>
    /// The file's entries that can answer a lookup of <paramref name="text"/> (a content hash or raw
    /// path): while the file is unread and the text stands in it only as it is, the entries of the lines
    /// holding it; otherwise every entry, read now if they were not.
    /// </summary>
    private EntryIndex FileEntriesWith(string text)
    {
        if (Volatile.Read(ref _unread) is not { } unread || !Plain(text) || !UnreadPlain(unread.AsSpan(0, _unreadLength))
            || Interlocked.Increment(ref _searches) > SearchesBeforeReading)
        {
            EnsureRead();
            return _file;
        }

        var found = new EntryIndex();
        var rest = unread.AsSpan(0, _unreadLength);
        var needle = Encoding.UTF8.GetBytes(text);
        for (var at = rest.IndexOf(needle); at >= 0; at = rest.IndexOf(needle))
        {
            // Every line in the bytes ends with a newline; the one holding the match is read whole.
            var start = rest[..at].LastIndexOf((byte)'\n') + 1;
            var end = at + rest[at..].IndexOf((byte)'\n');
            if (ReadLine(rest[start..end]) is { } entry)
            {
                found.Add(entry);
            }

            rest = rest[(end + 1)..];
        }

        return found;
    }

    /// <summary>
    /// Whether a text is written in a JSON line exactly as it is, byte for byte, in a file with no
    /// optional escapes: no quote, backslash or control character must be escaped in it, and no
    /// replacement character could stand for bytes that are not UTF-8.
    /// </summary>
    private static bool Plain(string text) =>
        !text.AsSpan().ContainsAny("\"\\\uFFFD") && !text.AsSpan().ContainsAnyInRange('\u0000', '\u001F');

    /// <summary>Whether the unread lines hold no optional escape (looked for once; threads that look at once find the same).</summary>
    private bool UnreadPlain(ReadOnlySpan<byte> unread)
    {
        if (Volatile.Read(ref _unreadPlain) == 0)
        {
            Volatile.Write(ref _unreadPlain, unread.IndexOf(@"\u"u8) < 0 && unread.IndexOf(@"\/"u8) < 0 ? 1 : -1);
        }

        return _unreadPlain > 0;
    }

    private static LedgerEntry? ReadLine(ReadOnlySpan<byte> line) => LedgerEntryReader.TryRead(line) ?? Tolerant(line);

    private static ReadOnlySpan<byte> LastLine(ReadOnlySpan<byte> complete)
    {
        var line = complete[..^1];
        return line[(line.LastIndexOf((byte)'\n') + 1)..];
    }

    /// <summary>Entries in order, indexed by content hash and raw path.</summary>
    private sealed class EntryIndex
    {
        private readonly Dictionary<string, LedgerEntry> _promotions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _rawPaths = new(StringComparer.Ordinal);
        private readonly HashSet<(string Event, string Sha256, string Source)> _records = [];

        public List<LedgerEntry> List { get; } = [];

        public void Add(LedgerEntry entry)
        {
            List.Add(entry);
            _records.Add((entry.Event, entry.Sha256, entry.Source));
            if (entry.Event == LedgerEntry.Promoted)
            {
                // The first promotion of a content is the one that stands.
                _promotions.TryAdd(entry.Sha256, entry);
                _rawPaths.Add(entry.RawPath);
            }
        }

        public LedgerEntry? PromotionOf(string sha256) => _promotions.GetValueOrDefault(sha256);

        public bool Records(string eventName, string sha256, string source) => _records.Contains((eventName, sha256, source));

        public bool UsesRawPath(string rawPath) => _rawPaths.Contains(rawPath);
    }

    private static string Short(string hash) => hash.Length >= 12 ? hash[..12] + "..." : hash;
}
