using System.Text;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Raw;

public sealed class LedgerTests : IDisposable
{
    private readonly TempDirectory _lake = new();

    private string LedgerPath => _lake.File("raw/_ledger.jsonl");

    public void Dispose() => _lake.Dispose();

    private static LedgerEntry Promotion(int n) => new()
    {
        Event = LedgerEntry.Promoted,
        Sha256 = Hashing.Of($"content {n}"),
        Size = 100 + n,
        Source = $"distrokid/dk_bank_details_2025060{n}_093015.tsv",
        Platform = "distrokid",
        Datatype = "sales",
        RawPath = $"raw/distrokid/sales/2025/06/dk_bank_details_2025060{n}_093015.tsv",
        ExtractedAt = $"2025-06-0{n}T09:30:15Z",
        ValidatedAt = "2025-06-10T12:00:00Z",
        Validator = "BankDetailsTsv/1",
    };

    private void AppendThree()
    {
        var ledger = Ledger.Load(LedgerPath);
        ledger.Append(Promotion(1));
        ledger.Append(Promotion(2));
        ledger.Append(Promotion(3));
    }

    [Fact]
    public void Should_Reload_Appended_Entries_With_An_Intact_Chain()
    {
        // Given three appended entries
        AppendThree();

        // When the ledger is loaded again
        var ledger = Ledger.Load(LedgerPath);

        // Then they are all there, numbered, each chained to the line before
        Assert.Empty(ledger.Problems);
        Assert.Equal([1L, 2L, 3L], ledger.Entries.Select(e => e.Sequence));
        var lines = File.ReadAllLines(LedgerPath);
        Assert.Equal(3, lines.Length);
        Assert.Equal(Ledger.Genesis, ledger.Entries[0].Previous);
        Assert.Equal(Hashing.Of(lines[0]), ledger.Entries[1].Previous);
        Assert.Equal(Hashing.Of(lines[1]), ledger.Entries[2].Previous);
        Assert.Equal(Promotion(2).Sha256, ledger.PromotionOf(Promotion(2).Sha256)?.Sha256);
    }

    [Fact]
    public void Should_Continue_The_Chain_After_A_Reload()
    {
        // Given three entries written by one run
        AppendThree();

        // When a later run appends a fourth
        Ledger.Load(LedgerPath).Append(Promotion(4));
        var ledger = Ledger.Load(LedgerPath);

        // Then the chain is still intact
        Assert.Empty(ledger.Problems);
        Assert.Equal(4L, ledger.Entries[^1].Sequence);
    }

    [Fact]
    public void Should_Name_The_Edited_Line_Itself()
    {
        // Given three entries, the second then edited by hand
        AppendThree();
        var lines = File.ReadAllLines(LedgerPath);
        Assert.Contains("\"size\":102", lines[1]);
        lines[1] = lines[1].Replace("\"size\":102", "\"size\":999");
        File.WriteAllText(LedgerPath, string.Join('\n', lines) + "\n");

        // When the ledger is loaded
        var ledger = Ledger.Load(LedgerPath);

        // Then one problem names line 2 as edited: the line fails its own hash (the chain break it
        // causes at line 3 is the same fact and is not reported twice)
        var problem = Assert.Single(ledger.Problems);
        Assert.Contains("line 2: edited", problem);
    }

    [Fact]
    public void Should_Name_An_Edited_Last_Line()
    {
        // Given three entries, the last then edited by hand (no line after it carries its hash)
        AppendThree();
        var lines = File.ReadAllLines(LedgerPath);
        lines[2] = lines[2].Replace("\"size\":103", "\"size\":1", StringComparison.Ordinal);
        File.WriteAllText(LedgerPath, string.Join('\n', lines) + "\n");

        // When the ledger is loaded
        var ledger = Ledger.Load(LedgerPath);

        // Then line 3 is named as edited
        Assert.Contains("line 3: edited", Assert.Single(ledger.Problems));
    }

    [Fact]
    public void Should_Name_A_Line_Edited_With_Its_Own_Hash_Recomputed_At_The_Next_Line()
    {
        // Given three entries, the second edited and its own hash recomputed to hide the edit
        AppendThree();
        var lines = File.ReadAllLines(LedgerPath);
        var forged = Newtonsoft.Json.JsonConvert.DeserializeObject<LedgerEntry>(lines[1])! with { Size = 999 };
        forged = forged with { LineHash = forged.ComputeLineHash() };
        lines[1] = Newtonsoft.Json.JsonConvert.SerializeObject(forged, Newtonsoft.Json.Formatting.None);
        File.WriteAllText(LedgerPath, string.Join('\n', lines) + "\n");

        // When the ledger is loaded
        var ledger = Ledger.Load(LedgerPath);

        // Then the chain catches it at line 3, which carries the hash of the original line 2
        var problem = Assert.Single(ledger.Problems);
        Assert.Contains("line 3: chain broken", problem);
    }

    [Fact]
    public void Should_Report_A_Removed_Line()
    {
        // Given three entries, the second then removed
        AppendThree();
        var lines = File.ReadAllLines(LedgerPath);
        File.WriteAllText(LedgerPath, lines[0] + "\n" + lines[2] + "\n");

        // When the ledger is loaded
        var ledger = Ledger.Load(LedgerPath);

        // Then the line after the gap (now line 2) breaks the chain
        var problem = Assert.Single(ledger.Problems);
        Assert.Contains("line 2", problem);
    }

    [Fact]
    public void Should_Report_A_Complete_Line_That_Is_Not_An_Entry()
    {
        // Given three entries with garbage inserted, newline-terminated, after the first
        AppendThree();
        var lines = File.ReadAllLines(LedgerPath).ToList();
        lines.Insert(1, "not json");
        File.WriteAllText(LedgerPath, string.Join('\n', lines) + "\n");

        // When the ledger is loaded
        var ledger = Ledger.Load(LedgerPath);

        // Then the garbage line is named and the entries around it are kept
        Assert.Contains(ledger.Problems, p => p.Contains("line 2") && p.Contains("not a ledger entry"));
        Assert.Equal(3, ledger.Entries.Count);
    }

    [Fact]
    public void Should_Drop_And_Truncate_A_Torn_Last_Line()
    {
        // Given two entries and the start of a third that a crash cut off (no newline)
        var ledger = Ledger.Load(LedgerPath);
        ledger.Append(Promotion(1));
        ledger.Append(Promotion(2));
        var complete = File.ReadAllBytes(LedgerPath);
        File.AppendAllText(LedgerPath, "{\"seq\":3,\"event\":\"promo", new UTF8Encoding(false));

        // When the ledger is loaded
        var reloaded = Ledger.Load(LedgerPath);

        // Then the partial line is gone from the entries and from the file, and nothing is reported
        Assert.Empty(reloaded.Problems);
        Assert.Equal(2, reloaded.Entries.Count);
        Assert.Equal(complete, File.ReadAllBytes(LedgerPath));
    }

    [Fact]
    public void Should_Record_Again_After_Truncating_A_Torn_Line()
    {
        // Given a ledger whose torn last line was dropped on load
        var ledger = Ledger.Load(LedgerPath);
        ledger.Append(Promotion(1));
        File.AppendAllText(LedgerPath, "{\"seq\":2,", new UTF8Encoding(false));
        var reloaded = Ledger.Load(LedgerPath);

        // When the interrupted promotion is recorded again
        reloaded.Append(Promotion(2));

        // Then the file reads back with an intact chain
        var final = Ledger.Load(LedgerPath);
        Assert.Empty(final.Problems);
        Assert.Equal([1L, 2L], final.Entries.Select(e => e.Sequence));
    }

    [Fact]
    public void Should_Keep_The_File_Readable_When_Only_The_Final_Newline_Was_Lost()
    {
        // Given two entries and a third whose JSON was written but whose newline was not
        var ledger = Ledger.Load(LedgerPath);
        ledger.Append(Promotion(1));
        ledger.Append(Promotion(2));
        ledger.Append(Promotion(3));
        var bytes = File.ReadAllBytes(LedgerPath);
        File.WriteAllBytes(LedgerPath, bytes[..^1]);

        // When a later run loads the ledger and records another promotion
        Ledger.Load(LedgerPath).Append(Promotion(4));
        var final = Ledger.Load(LedgerPath);

        // Then every line is a whole entry and the chain is intact
        Assert.Empty(final.Problems);
        Assert.All(File.ReadAllLines(LedgerPath), line => Assert.StartsWith("{\"seq\":", line));
        Assert.Equal(Promotion(4).Sha256, final.Entries[^1].Sha256);
        Assert.Equal(final.Entries.Count, final.Entries[^1].Sequence);
    }

    [Fact]
    public void Should_Find_Promotions_Duplicates_And_Raw_Paths_By_Content_Hash_And_Path()
    {
        // Given two promotions, a duplicate of the first, and the same content promoted again under another path
        var ledger = Ledger.Load(LedgerPath);
        ledger.Append(Promotion(1));
        ledger.Append(Promotion(2));
        ledger.Append(Promotion(1) with { Event = LedgerEntry.Duplicate, Source = "distrokid/copy.tsv" });
        ledger.Append(Promotion(1) with { RawPath = "raw/distrokid/sales/2025/06/again.tsv" });

        // When the ledger is loaded again
        var reloaded = Ledger.Load(LedgerPath);

        // Then each lookup answers from the index: the first promotion of a content, its duplicate, every promoted path
        Assert.Equal(Promotion(1).RawPath, reloaded.PromotionOf(Promotion(1).Sha256)?.RawPath);
        Assert.Equal(1L, reloaded.PromotionOf(Promotion(1).Sha256)?.Sequence);
        Assert.Null(reloaded.PromotionOf(Promotion(3).Sha256));
        Assert.True(reloaded.Records(LedgerEntry.Duplicate, Promotion(1).Sha256, "distrokid/copy.tsv"));
        Assert.False(reloaded.Records(LedgerEntry.Duplicate, Promotion(2).Sha256, "distrokid/copy.tsv"));
        Assert.True(reloaded.Records(LedgerEntry.Promoted, Promotion(2).Sha256, Promotion(2).Source));
        Assert.True(reloaded.UsesRawPath(Promotion(2).RawPath));
        Assert.True(reloaded.UsesRawPath("raw/distrokid/sales/2025/06/again.tsv"));
        Assert.False(reloaded.UsesRawPath(Promotion(3).RawPath));
    }

    [Fact]
    public void Should_Answer_For_Staged_Entries_At_Once_And_Write_Them_Only_On_Commit()
    {
        // Given a ledger with one line, and two entries staged after it
        Ledger.Load(LedgerPath).Append(Promotion(1));
        var before = File.ReadAllBytes(LedgerPath);
        var ledger = Ledger.Load(LedgerPath);
        ledger.Stage(Promotion(2));
        ledger.Stage(Promotion(3));

        // Then lookups see them, and the file does not have them yet
        Assert.NotNull(ledger.PromotionOf(Promotion(3).Sha256));
        Assert.True(ledger.UsesRawPath(Promotion(2).RawPath));
        Assert.Equal(before, File.ReadAllBytes(LedgerPath));

        // When committed, Then both lines are in the file with an intact chain
        ledger.Commit();
        var reloaded = Ledger.Load(LedgerPath);
        Assert.Empty(reloaded.Problems);
        Assert.Equal([1L, 2L, 3L], reloaded.Entries.Select(e => e.Sequence));
    }

    [Fact]
    public void Should_Keep_A_Head_Equal_To_A_Fresh_Reading_Of_The_File()
    {
        // Given a head recorded after three lines, and a later run that loads with it and commits two more
        AppendThree();
        var head = Ledger.Load(LedgerPath).Head;
        var ledger = Ledger.Load(LedgerPath, head);
        Assert.Equal(head, ledger.Head);
        Assert.Equal(2L, ledger.PromotionOf(Promotion(2).Sha256)?.Sequence);
        ledger.Stage(Promotion(4));
        ledger.Stage(Promotion(5));
        ledger.Commit();

        // Then its head, with the verified lines searched and not all read, is the one a full reading of the file gives
        Assert.Equal(Ledger.Load(LedgerPath).Head, ledger.Head);
        Assert.Equal(new FileInfo(LedgerPath).Length, ledger.Head.Bytes);
        Assert.Equal(Hashing.OfFile(LedgerPath), ledger.Head.Sha256);
        Assert.Equal(5, ledger.Head.Lines);
    }

    [Fact]
    public void Should_Check_The_Lines_Appended_After_The_Recorded_Head()
    {
        // Given a head recorded after three lines, two lines appended later, and the fifth edited by hand
        AppendThree();
        var head = Ledger.Load(LedgerPath).Head;
        var ledger = Ledger.Load(LedgerPath, head);
        ledger.Append(Promotion(4));
        ledger.Append(Promotion(5));
        EditLine(4, "\"size\":105", "\"size\":1");

        // When loaded with the head, Then the edited new line is named
        Assert.Contains("line 5: edited", Assert.Single(Ledger.Load(LedgerPath, head).Problems));
    }

    [Fact]
    public void Should_Check_Every_Line_When_The_File_No_Longer_Starts_As_The_Head_Recorded()
    {
        // Given a head recorded after three lines, then the first line edited by hand
        AppendThree();
        var head = Ledger.Load(LedgerPath).Head;
        EditLine(0, "\"size\":101", "\"size\":999");

        // When loaded with the head, Then the edit is found and named, as without it
        Assert.Contains("line 1: edited", Assert.Single(Ledger.Load(LedgerPath, head).Problems));
        Assert.Contains("line 1: edited", Assert.Single(Ledger.Load(LedgerPath).Problems));
    }

    [Fact]
    public void Should_Trust_What_The_Head_Vouches_For_While_A_Full_Check_Still_Finds_Everything()
    {
        // Given a line edited by hand, and a head forged to vouch for the edited file
        AppendThree();
        EditLine(1, "\"size\":102", "\"size\":999");
        var forged = Ledger.Load(LedgerPath).Head with { Bytes = new FileInfo(LedgerPath).Length, Sha256 = Hashing.OfFile(LedgerPath) };

        // When loaded with it, the run trusts the head; Then the full check (verify-raw's) still names the line
        Assert.Empty(Ledger.Load(LedgerPath, forged).Problems);
        Assert.Contains("line 2: edited", Assert.Single(Ledger.Load(LedgerPath).Problems));
    }

    [Fact]
    public void Should_Read_A_Head_Recorded_Before_Heads_Carried_The_File_Hash()
    {
        // Given a head file as earlier versions wrote it (line count and last line hash only)
        AppendThree();
        var headPath = _lake.File("ledger-head.json");
        var lastLine = File.ReadAllLines(LedgerPath)[^1];
        File.WriteAllText(headPath, $"{{\"lines\":3,\"last_line_hash\":\"{Hashing.Of(lastLine)}\"}}\n");

        // When read and used, Then it says what it holds, and the ledger is checked in full
        var head = LedgerHead.Read(headPath);
        Assert.Equal(new LedgerHead(3, Hashing.Of(lastLine), null, null), head);
        var ledger = Ledger.Load(LedgerPath, head);
        Assert.Empty(ledger.Problems);
        Assert.Equal(3, ledger.Entries.Count);
    }

    private void EditLine(int index, string from, string to)
    {
        var lines = File.ReadAllLines(LedgerPath);
        Assert.Contains(from, lines[index], StringComparison.Ordinal);
        lines[index] = lines[index].Replace(from, to, StringComparison.Ordinal);
        File.WriteAllText(LedgerPath, string.Join('\n', lines) + "\n");
    }

    [Fact]
    public void Should_Start_Empty_When_There_Is_No_File()
    {
        // Given no ledger file
        // When it is loaded
        var ledger = Ledger.Load(LedgerPath);

        // Then it is empty, without problems, and creates nothing
        Assert.Empty(ledger.Entries);
        Assert.Empty(ledger.Problems);
        Assert.False(File.Exists(LedgerPath));
    }

    // A ledger whose lines the head vouches for answers lookups by searching its bytes, reading only the
    // lines that hold what it looks for; every answer must be the one a ledger with every line read gives.

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
