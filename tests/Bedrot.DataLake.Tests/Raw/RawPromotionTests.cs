using System.Globalization;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Tests.Support;
using Serilog;

namespace Bedrot.DataLake.Tests.Raw;

/// <summary>
/// validate-raw reads each landing file once (hash, validation and copy from the same bytes), makes
/// a batch's copies durable before the ledger lines naming them, and writes the same lake whether
/// files are promoted one at a time or side by side.
/// </summary>
public sealed class RawPromotionTests : IDisposable
{
    private readonly TempLake _lake = new("distrokid");

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Read_And_Hash_Each_New_Landing_File_Once()
    {
        // Given a new lake and its landing files
        var landing = Directory.GetFiles(_lake.Landing, "*", SearchOption.AllDirectories).Length;

        // When validate-raw runs
        var (read, run) = ValidateRaw();

        // Then each file was read once, and that read hashed it, and each raw copy has its ledger hash
        Assert.Equal(landing, read);
        Assert.Equal(landing, run.Report.FilesHashed);
        var counts = run.Step(BedrotPipeline.ValidateRawStep).Counts;
        Assert.Equal(landing, counts["promoted"] + counts["quarantined"]);
        var ledger = Ledger.Load(_lake.InLake("raw/_ledger.jsonl"));
        Assert.Equal(counts["promoted"], ledger.Entries.Count);
        Assert.All(ledger.Entries, entry => Assert.Equal(entry.Sha256, Hashing.OfFile(_lake.InLake(entry.RawPath))));

        // And a rerun reads none of them
        var (again, rerun) = ValidateRaw();
        Assert.Equal(0, again);
        Assert.Equal(0, rerun.Report.FilesHashed);
    }

    [Fact]
    public void Should_Skip_A_Landing_File_Written_Again_With_The_Same_Bytes_After_One_Read()
    {
        // Given a built lake, and a landing file written again with the same bytes at a later time
        ValidateRaw();
        var page = _lake.LandingFile("streams_stats_20250522_085156.html");
        File.WriteAllBytes(page, File.ReadAllBytes(page));
        File.SetLastWriteTimeUtc(page, File.GetLastWriteTimeUtc(page).AddMinutes(5));

        // When validate-raw runs
        var (read, run) = ValidateRaw();

        // Then that file alone was read, once, and nothing ran
        Assert.Equal(1, read);
        Assert.Equal(0, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
    }

    [Fact]
    public void Should_Hash_A_Changed_Landing_File_Once()
    {
        // Given a built lake, and a landing file whose content changed
        ValidateRaw();
        var page = _lake.LandingFile("streams_stats_20250522_085156.html");
        File.AppendAllText(page, "<!-- saved again -->");

        // When validate-raw runs
        var (read, run) = ValidateRaw();

        // Then it is read to find it changed and read again to promote it, but hashed once, and kept as a new version
        Assert.Equal(2, read);
        Assert.Equal(1, run.Report.FilesHashed);
        Assert.Equal(1, run.Step(BedrotPipeline.ValidateRawStep).Counts["promoted"]);
        Assert.Equal(Hashing.OfFile(page), Hashing.OfFile(_lake.InLake("raw/distrokid/streams/2025/05/streams_stats_20250522_085156.v2.html")));
    }

    [Fact]
    public void Should_Read_But_Not_Hash_Again_When_Forced()
    {
        // Given a built lake
        ValidateRaw();
        var landing = Directory.GetFiles(_lake.Landing, "*", SearchOption.AllDirectories).Length;

        // When every item is forced to run again
        var (read, run) = ValidateRaw(force: true);

        // Then each file is read once to validate it, no file (landing or raw) is hashed, nothing is copied again
        Assert.Equal(landing, read);
        Assert.Equal(0, run.Report.FilesHashed);
        var counts = run.Step(BedrotPipeline.ValidateRawStep).Counts;
        Assert.Equal(landing, counts["already_in_raw"] + counts["quarantined"]);
        Assert.False(counts.ContainsKey("promoted"));
    }

    [Fact]
    public void Should_Write_The_Same_Raw_Zone_Ledger_And_Quarantine_With_Many_Files_At_Once_As_With_One()
    {
        // Given a landing folder crowded with what makes one batch's promotions depend on each other:
        // the same bytes under two names, one name in two folders, bad files among good ones
        using var serial = new TempLake("distrokid");
        using var parallel = new TempLake("distrokid");
        foreach (var lake in new[] { serial, parallel })
        {
            Crowd(lake);
        }

        // When one is validated one file at a time and the other four at a time
        Run(serial, parallelism: 1);
        Run(parallel, parallelism: 4);

        // Then raw (with its ledger), quarantine and the step's state are byte for byte the same
        foreach (var zone in new[] { "raw", "quarantine" })
        {
            var expected = serial.Snapshot(zone);
            var actual = parallel.Snapshot(zone);
            Assert.Equal(expected.Keys, actual.Keys);
            Assert.All(expected, file => Assert.True(file.Value.AsSpan().SequenceEqual(actual[file.Key]), $"{file.Key} differs"));
        }

        Assert.Equal(File.ReadAllText(serial.InLake(".bedrot/state/validate-raw.json")), File.ReadAllText(parallel.InLake(".bedrot/state/validate-raw.json")));

        // And the batch's decisions are those of a serial run: one copy per content, a duplicate line, a second version, a quarantine
        var ledger = Ledger.Load(parallel.InLake("raw/_ledger.jsonl"));
        Assert.Empty(ledger.Problems);
        Assert.Contains(ledger.Entries, e => e.Event == LedgerEntry.Duplicate && e.Source == "distrokid/later/dk_bank_details_20250621_080000.tsv");
        Assert.Contains(ledger.Entries, e => e.RawPath == "raw/distrokid/sales/2025/06/dk_bank_details_20250622_080000.v2.tsv");
        Assert.True(File.Exists(parallel.InLake("quarantine/distrokid/dk_bank_details_20250623_080000.tsv.reason.json")));
        var promoted = ledger.Entries.Where(e => e.Event == LedgerEntry.Promoted).ToList();
        Assert.Equal(promoted.Count, promoted.Select(e => e.Sha256).Distinct().Count());
        Assert.Empty(new RawVerifier(new LakePaths(parallel.Lake)).Verify());
        Assert.DoesNotContain(parallel.LakeFiles("raw"), f => f.Contains(".tmp-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Should_Keep_Both_Quarantine_Copies_When_Two_Landing_Files_Would_Take_One_Quarantine_Path(int arrivals)
    {
        // Given two bad bank exports of one name, one in DistroKid's folder and one at the top of landing
        // (so both belong in quarantine/distrokid/ under that name), landing together or one run apart
        const string Name = "dk_bank_details_20250623_080000.tsv";
        var inFolder = new BankExport().WithHeader("Reporting Date", "Sale Month").WithRow().Bytes();
        var atTop = new BankExport().WithHeader("Reporting Date", "Sale Month").WithRow(("Quantity", "5")).Bytes();
        File.WriteAllBytes(Path.Combine(_lake.Landing, Name), atTop);
        if (arrivals == 2)
        {
            ValidateRaw();
        }

        File.WriteAllBytes(_lake.LandingFile(Name), inFolder);

        // When validate-raw runs
        ValidateRaw();

        // Then each is kept, with a reason naming its own landing file
        var copies = _lake.LakeFiles("quarantine/distrokid")
            .Where(f => f.Contains("dk_bank_details_20250623_080000", StringComparison.Ordinal) && !f.EndsWith(".reason.json", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, copies.Count);
        var byLanding = copies.ToDictionary(
            copy => (string)Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(_lake.InLake(copy + ".reason.json")))["file"]!,
            copy => File.ReadAllBytes(_lake.InLake(copy)));
        Assert.Equal(inFolder, byLanding["distrokid/" + Name]);
        Assert.Equal(atTop, byLanding[Name]);

        // And the next run leaves both as they are
        var before = _lake.Snapshot("quarantine");
        var (read, rerun) = ValidateRaw();
        Assert.Equal(0, rerun.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
        Assert.Equal(before.Keys, _lake.Snapshot("quarantine").Keys);
    }

    [Fact]
    public void Should_Write_No_Ledger_Line_For_A_Copy_That_Could_Not_Be_Put_In_Place()
    {
        // Given a new bank export whose raw path is taken by a folder, so its copy cannot be renamed there
        var blocked = "raw/distrokid/sales/2025/06/dk_bank_details_20250625_080000.tsv";
        File.WriteAllBytes(_lake.LandingFile("dk_bank_details_20250625_080000.tsv"), new BankExport().WithRow().Bytes());
        Directory.CreateDirectory(_lake.InLake(blocked));

        // When validate-raw runs, its batch fails to commit
        Assert.ThrowsAny<IOException>(() => ValidateRaw());

        // Then no ledger line names that file, and every line that was written names a copy in place
        var ledger = Ledger.Load(_lake.InLake("raw/_ledger.jsonl"));
        Assert.DoesNotContain(ledger.Entries, e => e.RawPath == blocked);
        Assert.All(ledger.Entries, e => Assert.Equal(e.Sha256, Hashing.OfFile(_lake.InLake(e.RawPath))));

        // And once the folder is gone, the next run promotes every file once, and verify-raw is clean
        Directory.Delete(_lake.InLake(blocked));
        ValidateRaw();
        var after = Ledger.Load(_lake.InLake("raw/_ledger.jsonl"));
        Assert.Contains(after.Entries, e => e.RawPath == blocked);
        Assert.Equal(after.Entries.Count, after.Entries.Select(e => e.Sha256).Distinct().Count());
        Assert.Empty(new RawVerifier(new LakePaths(_lake.Lake)).Verify());
    }

    [Fact]
    public void Should_Leave_No_Ledger_Line_And_No_Raw_Copy_When_A_Run_Stops_Before_Its_Batch_Is_Committed()
    {
        // Given a promotion decided (its copy staged, its ledger line staged) by a run that stops before committing
        var paths = new LakePaths(_lake.Lake);
        var file = new LandingFile(_lake.LandingFile("dk_bank_details_20250601_093015.tsv"), "distrokid/dk_bank_details_20250601_093015.tsv");
        var promoter = new RawPromoter(paths, SchemaCatalog.Load(_lake.Schemas), new Recognizer(PlatformCatalog.Kinds),
            Ledger.Load(paths.Ledger), HashCache.Load(paths.HashCache), new FixedTime(_lake.Now), new LoggerConfiguration().CreateLogger());
        var result = promoter.Read(file)();
        Assert.Equal("promoted", result.Facts["outcome"]);

        // Then the ledger has no line, and raw holds no file a reader would take for the copy
        Assert.False(File.Exists(paths.Ledger));
        Assert.All(_lake.LakeFiles("raw"), f => Assert.Matches(@"\.tmp-\d+$", f));

        // And the next run promotes it as an uninterrupted run does
        ValidateRaw();
        using var uninterrupted = new TempLake("distrokid");
        Run(uninterrupted, parallelism: 1);
        Assert.Equal(uninterrupted.Snapshot("raw").Keys, _lake.Snapshot("raw").Keys);
        Assert.All(uninterrupted.Snapshot("raw"), f => Assert.True(f.Value.AsSpan().SequenceEqual(_lake.Snapshot("raw")[f.Key]), $"{f.Key} differs"));
    }

    [Fact]
    public void Should_Skip_Recorded_Landing_Files_With_Their_Recorded_Outcomes_When_The_Hash_Cache_Was_Lost()
    {
        // Given a built lake whose hash cache is gone (a run stopped before saving it)
        ValidateRaw();
        var state = File.ReadAllText(_lake.InLake(".bedrot/state/validate-raw.json"));
        var ledger = File.ReadAllText(_lake.InLake("raw/_ledger.jsonl"));
        File.Delete(_lake.InLake(".bedrot/hash-cache.json"));

        // When validate-raw runs
        var (read, run) = ValidateRaw();

        // Then each recorded file is read once, to hash it, and none runs: no promotion turns into "already in raw"
        Assert.Equal(Directory.GetFiles(_lake.Landing, "*", SearchOption.AllDirectories).Length, read);
        Assert.Equal(0, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
        Assert.Equal(state, File.ReadAllText(_lake.InLake(".bedrot/state/validate-raw.json")));
        Assert.Equal(ledger, File.ReadAllText(_lake.InLake("raw/_ledger.jsonl")));
    }

    [Fact]
    public void Should_Read_A_Large_Bank_Export_In_Pieces_Keeping_Only_Its_First_Lines()
    {
        // Given a bank export of about half a megabyte
        var bytes = BankExportOf(5000).Bytes();
        var path = Path.Combine(_lake.Landing, "large.tsv");
        File.WriteAllBytes(path, bytes);

        // When it is read in pieces, keeping 64 KB of its start
        var batch = new AtomicBatch(Path.Combine(_lake.Lake, "tmp"));
        var copy = batch.Begin();
        using var content = LandingContent.ReadLarge(path, HashCache.Load(Path.Combine(_lake.Lake, "cache.json")), new ReadBuffers(), copy, keep: 64 << 10);
        copy.Close();

        // Then the copy and the hash are the whole file's, and the start kept ends after a whole line
        Assert.Equal(bytes, File.ReadAllBytes(copy.Path));
        Assert.Equal(Hashing.Of(bytes), content.Sha256);
        Assert.Equal(new WholeFile(bytes.Length, -1), content.Whole);
        Assert.InRange(content.Bytes.Length, 1, 64 << 10);
        Assert.Equal((byte)'\r', content.Bytes.Span[^1]);
        Assert.True(bytes.AsSpan().StartsWith(content.Bytes.Span));
    }

    [Fact]
    public void Should_Promote_And_Quarantine_Large_Bank_Exports_As_When_They_Are_Read_Whole()
    {
        // Given a large bank export (read in several pieces), and one with a NUL byte in its last piece
        var export = BankExportOf(45000);
        var good = export.Bytes();
        var bad = export.Bytes();
        Assert.True(bad.Length > 4 << 20);
        bad[^100] = 0;

        // When one lake holds files of 64 KB at most, and the other holds them whole
        var results = new List<Dictionary<string, ItemResult>>();
        using var whole = new TempLake("distrokid");
        foreach (var (lake, hold) in new[] { (_lake, 64L << 10), (whole, RawPromoter.HoldBytes) })
        {
            File.WriteAllBytes(Path.Combine(lake.Landing, "distrokid", "dk_bank_details_20250602_080000.tsv"), good);
            File.WriteAllBytes(Path.Combine(lake.Landing, "distrokid", "dk_bank_details_20250603_080000.tsv"), bad);
            var paths = new LakePaths(lake.Lake);
            var promoter = new RawPromoter(paths, SchemaCatalog.Load(lake.Schemas), new Recognizer(PlatformCatalog.Kinds),
                Ledger.Load(paths.Ledger), HashCache.Load(paths.HashCache), new FixedTime(lake.Now), new LoggerConfiguration().CreateLogger(),
                holdBytes: hold);
            results.Add(new[] { "dk_bank_details_20250602_080000.tsv", "dk_bank_details_20250603_080000.tsv" }.ToDictionary(
                name => name,
                name => promoter.Process(new LandingFile(Path.Combine(lake.Landing, "distrokid", name), "distrokid/" + name)
                {
                    Seen = (new FileInfo(Path.Combine(lake.Landing, "distrokid", name)).Length, 0),
                })));
        }

        // Then the outcomes, reasons and raw copies are the same
        foreach (var name in results[0].Keys)
        {
            Assert.Equal(results[1][name].Facts, results[0][name].Facts);
            Assert.Equal(results[1][name].Outputs, results[0][name].Outputs);
            Assert.Equal(results[1][name].Retained, results[0][name].Retained);
        }

        Assert.Equal("promoted", results[0]["dk_bank_details_20250602_080000.tsv"].Facts["outcome"]);
        Assert.Equal("quarantined", results[0]["dk_bank_details_20250603_080000.tsv"].Facts["outcome"]);
        Assert.Contains($"byte {bad.Length - 100}", results[0]["dk_bank_details_20250603_080000.tsv"].Facts["reasons"]);
        Assert.Equal(good, File.ReadAllBytes(_lake.InLake(results[0]["dk_bank_details_20250602_080000.tsv"].Facts["raw_path"])));
        Assert.Empty(new RawVerifier(new LakePaths(_lake.Lake)).Verify());
    }

    /// <summary>A bank export of <paramref name="rows"/> rows, each with its own quantity.</summary>
    private static BankExport BankExportOf(int rows)
    {
        var export = new BankExport();
        for (var n = 0; n < rows; n++)
        {
            export.WithRow(("Quantity", n.ToString(CultureInfo.InvariantCulture)));
        }

        return export;
    }

    /// <summary>Runs validate-raw alone; returns how many landing files it read, and the run's report.</summary>
    private (int Read, BedrotRun Run) ValidateRaw(bool force = false)
    {
        using var pipeline = BedrotPipeline.Open(_lake.Options(force), new FixedTime(_lake.Now), new LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        return (pipeline.LandingFilesRead, new BedrotRun(pipeline.Complete(succeeded: true), pipeline.Paths));
    }

    private static void Run(TempLake lake, int parallelism)
    {
        using var pipeline = BedrotPipeline.Open(lake.Options() with { Parallelism = parallelism }, new FixedTime(lake.Now),
            new LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        pipeline.Complete(succeeded: true);
    }

    /// <summary>Twenty new bank exports, plus the cases that make promotions in one batch depend on each other.</summary>
    private static void Crowd(TempLake lake)
    {
        void Write(string relative, byte[] bytes)
        {
            var path = Path.Combine(lake.Landing, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }

        for (var n = 0; n < 20; n++)
        {
            Write($"distrokid/dk_bank_details_202505{10 + n}_080000.tsv",
                new BankExport().WithRow(("Quantity", (100 + n).ToString(CultureInfo.InvariantCulture))).Bytes());
        }

        var same = new BankExport().WithRow(("Quantity", "7")).Bytes();
        Write("distrokid/dk_bank_details_20250620_080000.tsv", same);
        Write("distrokid/later/dk_bank_details_20250621_080000.tsv", same);
        Write("distrokid/a/dk_bank_details_20250622_080000.tsv", new BankExport().WithRow(("Quantity", "8")).Bytes());
        Write("distrokid/b/dk_bank_details_20250622_080000.tsv", new BankExport().WithRow(("Quantity", "9")).Bytes());
        Write("distrokid/dk_bank_details_20250623_080000.tsv", new BankExport().WithHeader("Reporting Date", "Sale Month").WithRow().Bytes());
    }
}
