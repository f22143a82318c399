using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// Checks the raw zone against its ledger: the chain of line hashes, every promoted file present
/// with its recorded hash, and no file in raw/ that the ledger does not know.
/// </summary>
public sealed class RawVerifier(LakePaths paths)
{
    public IReadOnlyList<string> Verify()
    {
        // Every line is checked here, whatever head the last run recorded.
        var ledger = Ledger.Load(paths.Ledger);
        var problems = new List<string>(ledger.Problems);
        if (LedgerHead.Read(paths.LedgerHead) is { } recorded)
        {
            var head = ledger.Head;
            if (head.Lines < recorded.Lines)
            {
                problems.Add($"raw/_ledger.jsonl: {recorded.Lines - head.Lines} line(s) missing from the end (the last run recorded {recorded.Lines})");
            }
            else if (head.Lines == recorded.Lines && recorded.LastLineHash != head.LastLineHash && ledger.Problems.Count == 0)
            {
                problems.Add($"raw/_ledger.jsonl line {head.Lines}: replaced (its hash differs from the one the last run recorded)");
            }
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in ledger.Entries.Where(e => e.Event == LedgerEntry.Promoted))
        {
            known.Add(entry.RawPath);
            known.Add(entry.RawPath + ".lineage.json");
            var full = paths.Full(entry.RawPath);
            if (!File.Exists(full))
            {
                problems.Add($"{entry.RawPath}: missing (ledger line {entry.Sequence})");
            }
            else if (Hashing.OfFile(full) != entry.Sha256)
            {
                problems.Add($"{entry.RawPath}: content changed (ledger line {entry.Sequence} records {entry.Sha256[..12]}...)");
            }
        }

        if (Directory.Exists(paths.Raw))
        {
            foreach (var file in Directory.EnumerateFiles(paths.Raw, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = paths.Relative(file);
                if (relative != "raw/_ledger.jsonl" && !known.Contains(relative))
                {
                    problems.Add($"{relative}: not in the ledger (added behind its back)");
                }
            }
        }

        return problems;
    }
}
