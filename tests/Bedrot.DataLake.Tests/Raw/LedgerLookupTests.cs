using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Raw;

/// <summary>
/// A ledger whose lines the head vouches for answers lookups by searching its bytes, reading only the
/// lines that hold what it looks for; every answer must be the one a ledger with every line read gives.
/// </summary>
public sealed class LedgerLookupTests : IDisposable
{
    private readonly TempDirectory _lake = new();

    private string LedgerPath => _lake.File("raw/_ledger.jsonl");

    public void Dispose() => _lake.Dispose();

    private static readonly string[] PlainPaths =
    [
        "raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv",
        "raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv.v2",
        "raw/toolost/analytics/2025/06/toolost é 20250601.json",
        "raw/metaads/daily/2025/06/daily.csv",
    ];

    /// <summary>Paths a JSON line holds escaped: a quote, a backslash, a control character.</summary>
    private static readonly string[] EscapedPaths =
    [
        "raw/linktree/summary/2025/06/say \"hi\".json",
        @"raw/linktree/summary/2025/06/back\slash.json",
        "raw/linktree/summary/2025/06/bell\u0007.json",
    ];

    private static LedgerEntry Entry(Random random, string[] shas, string[] paths) => new()
    {
        Event = random.Next(4) == 0 ? LedgerEntry.Duplicate : LedgerEntry.Promoted,
        Sha256 = shas[random.Next(shas.Length)],
        Size = random.Next(1, 1000),
        Source = $"landing/file_{random.Next(3)}.tsv",
        Platform = "distrokid",
        Datatype = "sales",
        RawPath = paths[random.Next(paths.Length)],
        ExtractedAt = "2025-06-01T09:30:15Z",
        ValidatedAt = "2025-06-10T12:00:00Z",
        Validator = "BankDetailsTsv/1",
    };

    [Fact]
    public void Should_Answer_Every_Lookup_As_A_Ledger_With_Every_Line_Read_Does()
    {
        for (var round = 0; round < 60; round++)
        {
            // Given a ledger of random promotions and duplicates (the same content promoted again, a path
            // reused), in some rounds with paths that stand escaped in a line, a head recorded for it, and
            // the same entries staged after loading it
            var random = new Random(round);
            if (File.Exists(LedgerPath))
            {
                File.Delete(LedgerPath);
            }

            var shas = Enumerable.Range(0, 6).Select(i => Hashing.Of($"content {round} {i}")).ToArray();
            var paths = round % 3 == 0 ? [.. PlainPaths, .. EscapedPaths] : PlainPaths;
            var writer = Ledger.Load(LedgerPath);
            for (var i = random.Next(1, 30); i > 0; i--)
            {
                writer.Append(Entry(random, shas, paths));
            }

            var head = Ledger.Load(LedgerPath).Head;
            var staged = Enumerable.Range(0, random.Next(3)).Select(_ => Entry(random, shas, paths)).ToList();
            Ledger Loaded(LedgerHead? trusted)
            {
                var ledger = Ledger.Load(LedgerPath, trusted);
                staged.ForEach(e => ledger.Stage(e));
                return ledger;
            }

            var full = Loaded(null);
            Assert.True(full.AllRead);
            Assert.Empty(full.Problems);

            // When each lookup is asked of a ledger trusting the head (loaded afresh, so none reads for another),
            // Then it answers as the ledger with every line read
            foreach (var sha in shas.Append(Hashing.Of("never promoted")))
            {
                var found = Loaded(head).PromotionOf(sha);
                Assert.Equal(full.PromotionOf(sha)?.Sequence, found?.Sequence);
                Assert.Equal(full.PromotionOf(sha)?.RawPath, found?.RawPath);
                foreach (var eventName in new[] { LedgerEntry.Promoted, LedgerEntry.Duplicate })
                {
                    foreach (var source in new[] { "landing/file_0.tsv", "landing/file_1.tsv", "landing/other.tsv" })
                    {
                        Assert.Equal(full.Records(eventName, sha, source), Loaded(head).Records(eventName, sha, source));
                    }
                }
            }

            foreach (var path in PlainPaths.Concat(EscapedPaths).Append("raw/distrokid/sales/2025/06/dk_bank_details"))
            {
                Assert.Equal(full.UsesRawPath(path), Loaded(head).UsesRawPath(path));
            }

            var all = full.Entries.Select(e => (e.Sequence, e.LineHash)).ToList();
            Assert.Equal(full.Count, Loaded(head).Count);
            Assert.Equal(full.Head, Loaded(head).Head);
            for (var first = 0; first <= all.Count + 1; first++)
            {
                Assert.Equal(all.Skip(first), Loaded(head).EntriesFrom(first).Select(e => (e.Sequence, e.LineHash)));
                (long, string?)? expected = first < all.Count ? all[first] : null;
                Assert.Equal(expected, Loaded(head).EntryAt(first) is { } at ? (at.Sequence, at.LineHash) : null);
            }

            // Reading every line after staging leaves the chain where the staged entries took it
            var read = Loaded(head);
            Assert.Equal(all, read.Entries.Select(e => (e.Sequence, e.LineHash)));
            Assert.Equal(full.Head, read.Head);
        }
    }

    [Fact]
    public void Should_Read_Only_The_Lines_A_Lookup_Needs_Until_Reading_Them_All_Costs_Less()
    {
        // Given a ledger of plain lines the head vouches for
        var writer = Ledger.Load(LedgerPath);
        var random = new Random(7);
        var shas = Enumerable.Range(0, 6).Select(i => Hashing.Of($"content {i}")).ToArray();
        for (var i = 0; i < 20; i++)
        {
            writer.Append(Entry(random, shas, PlainPaths));
        }

        var head = Ledger.Load(LedgerPath).Head;

        // When a run looks a content and a path up, stages an entry and asks for the entries after a line
        var ledger = Ledger.Load(LedgerPath, head);
        Assert.NotNull(ledger.PromotionOf(shas[0]) ?? ledger.PromotionOf(shas[1]));
        Assert.True(ledger.UsesRawPath(PlainPaths[0]) || ledger.UsesRawPath(PlainPaths[1]));
        var staged = ledger.Stage(Entry(random, shas, PlainPaths));
        Assert.Equal(21L, staged.Sequence);
        Assert.Equal([20L, 21L], ledger.EntriesFrom(19).Select(e => e.Sequence));

        // Then its lines were not all read
        Assert.False(ledger.AllRead);

        // When lookups go on past what one reading of every line costs, Then the lines are read once, all of them
        for (var i = 0; i < Ledger.SearchesBeforeReading; i++)
        {
            ledger.UsesRawPath(PlainPaths[i % PlainPaths.Length]);
        }

        Assert.True(ledger.AllRead);
        Assert.Equal(Enumerable.Range(1, 21).Select(n => (long)n), ledger.Entries.Select(e => e.Sequence));
    }

    [Fact]
    public void Should_Read_Every_Line_When_A_Line_Holds_A_Text_Written_With_Optional_Escapes()
    {
        // Given a ledger whose last line another writer wrote with every slash escaped ("\/"), and a head vouching for it
        var writer = Ledger.Load(LedgerPath);
        var random = new Random(11);
        var shas = new[] { Hashing.Of("one"), Hashing.Of("two") };
        writer.Append(Entry(random, shas, PlainPaths) with { Event = LedgerEntry.Promoted, RawPath = PlainPaths[0] });
        writer.Append(Entry(random, shas, PlainPaths) with { Event = LedgerEntry.Promoted, RawPath = PlainPaths[3], Sha256 = shas[1] });
        var lines = File.ReadAllLines(LedgerPath);
        lines[^1] = lines[^1].Replace("/", @"\/", StringComparison.Ordinal);
        File.WriteAllText(LedgerPath, string.Join('\n', lines) + "\n");
        var full = Ledger.Load(LedgerPath);
        Assert.Empty(full.Problems);
        var head = full.Head;

        // When its path is looked up in a ledger trusting the head, Then it is found, from every line read
        var ledger = Ledger.Load(LedgerPath, head);
        Assert.True(ledger.UsesRawPath(PlainPaths[3]));
        Assert.True(ledger.AllRead);
    }
}
