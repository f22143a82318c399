using System.Text;
using Bedrot.DataLake.Incremental;
using Newtonsoft.Json;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// The append-only record of the raw zone. Each line carries its own SHA-256 and that of the line
/// before it: an edited line fails its own hash (and is named), a removed or inserted line breaks
/// the chain at the line after it, and lines cut from the end are caught against the head the last
/// run recorded (<c>.bedrot/ledger-head.json</c>).
/// </summary>
public sealed class Ledger
{
    public static readonly string Genesis = new('0', 64);

    private readonly string _path;
    private readonly List<LedgerEntry> _entries = [];
    private string _lastLineHash = Genesis;

    private Ledger(string path) => _path = path;

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    /// <summary>Problems found while loading (a broken chain, an unreadable line).</summary>
    public List<string> Problems { get; } = [];

    public static Ledger Load(string path)
    {
        var ledger = new Ledger(path);
        if (!File.Exists(path))
        {
            return ledger;
        }

        var text = File.ReadAllText(path, Encoding.UTF8);
        var lines = text.Split('\n');
        var complete = lines.Length - 1;
        if (lines[^1].Length > 0)
        {
            // No newline after the last line: its append did not finish, even if its JSON did.
            ledger.TruncateTornTail(text, lines[^1]);
        }

        var previousEdited = false;
        for (var i = 0; i < complete; i++)
        {
            var line = lines[i];
            LedgerEntry? entry = null;
            try
            {
                entry = JsonConvert.DeserializeObject<LedgerEntry>(line);
            }
            catch (JsonException)
            {
                // reported below
            }

            if (entry is null)
            {
                ledger.Problems.Add($"raw/_ledger.jsonl line {i + 1}: not a ledger entry");
                continue;
            }

            var edited = entry.LineHash is not null && entry.LineHash != entry.ComputeLineHash();
            if (edited)
            {
                ledger.Problems.Add($"raw/_ledger.jsonl line {i + 1}: edited (the line no longer matches its own hash; seq {entry.Sequence}, {entry.RawPath})");
            }

            if (entry.Previous != ledger._lastLineHash && !previousEdited)
            {
                ledger.Problems.Add(
                    $"raw/_ledger.jsonl line {i + 1}: chain broken: the line before it was changed, or lines were removed or inserted here " +
                    $"(prev {Short(entry.Previous)}, expected {Short(ledger._lastLineHash)})");
            }

            previousEdited = edited;
            ledger._entries.Add(entry);
            ledger._lastLineHash = Hashing.Of(line);
        }

        return ledger;
    }

    /// <summary>The number of lines and the hash of the last one: what a later check compares against.</summary>
    public (int Lines, string LastLineHash) Head => (_entries.Count, _lastLineHash);

    private static string Short(string hash) => hash.Length >= 12 ? hash[..12] + "..." : hash;

    /// <summary>The promotion of this content, if the raw zone already holds it.</summary>
    public LedgerEntry? PromotionOf(string sha256) =>
        _entries.FirstOrDefault(e => e.Event == LedgerEntry.Promoted && e.Sha256 == sha256);

    public bool Records(string eventName, string sha256, string source) =>
        _entries.Any(e => e.Event == eventName && e.Sha256 == sha256 && e.Source == source);

    public bool UsesRawPath(string rawPath) => _entries.Any(e => e.RawPath == rawPath && e.Event == LedgerEntry.Promoted);

    /// <summary>Appends an entry, filling its sequence number and chain hash, and flushes it to disk.</summary>
    public LedgerEntry Append(LedgerEntry entry)
    {
        var chained = entry with { Sequence = _entries.Count + 1, Previous = _lastLineHash, LineHash = null };
        chained = chained with { LineHash = chained.ComputeLineHash() };
        var line = JsonConvert.SerializeObject(chained, Formatting.None);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        _entries.Add(chained);
        _lastLineHash = Hashing.Of(line);
        return chained;
    }

    private void TruncateTornTail(string text, string tail)
    {
        // A crash in the middle of an append leaves a partial last line; the promotion it was
        // recording had not completed, so the line is dropped and the next run records it again.
        var keep = Encoding.UTF8.GetByteCount(text) - Encoding.UTF8.GetByteCount(tail);
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Write);
        file.SetLength(keep);
    }
}
