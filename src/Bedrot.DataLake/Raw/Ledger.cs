using System.Text;
using Bedrot.DataLake.Incremental;
using Newtonsoft.Json;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// The append-only record of the raw zone. Each line carries the SHA-256 of the line before it,
/// so an edited, removed or inserted line breaks the chain and is detected.
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

            if (entry.Previous != ledger._lastLineHash)
            {
                ledger.Problems.Add(
                    $"raw/_ledger.jsonl line {i + 1}: chain broken (prev {entry.Previous[..12]}..., expected {ledger._lastLineHash[..12]}...)");
            }

            ledger._entries.Add(entry);
            ledger._lastLineHash = Hashing.Of(line);
        }

        return ledger;
    }

    /// <summary>The promotion of this content, if the raw zone already holds it.</summary>
    public LedgerEntry? PromotionOf(string sha256) =>
        _entries.FirstOrDefault(e => e.Event == LedgerEntry.Promoted && e.Sha256 == sha256);

    public bool Records(string eventName, string sha256, string source) =>
        _entries.Any(e => e.Event == eventName && e.Sha256 == sha256 && e.Source == source);

    public bool UsesRawPath(string rawPath) => _entries.Any(e => e.RawPath == rawPath && e.Event == LedgerEntry.Promoted);

    /// <summary>Appends an entry, filling its sequence number and chain hash, and flushes it to disk.</summary>
    public LedgerEntry Append(LedgerEntry entry)
    {
        var chained = entry with { Sequence = _entries.Count + 1, Previous = _lastLineHash };
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
