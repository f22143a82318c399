using System.Globalization;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using CsvHelper;
using Newtonsoft.Json.Linq;
using Serilog;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>What one build of the bundled samples leaves in each zone.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly TempLake _lake = new("distrokid");
    private readonly BedrotRun _run;

    public EndToEndTests() => _run = _lake.Run();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Keep_Only_The_Newest_Runs_Reports_And_Logs()
    {
        // Given a lake whose earlier runs left more reports and logs than are kept, all older than this run's
        var runs = _lake.InLake(".bedrot/runs");
        var logs = _lake.InLake(".bedrot/logs");
        var earlier = Enumerable.Range(0, BedrotPipeline.KeptRuns + 5)
            .Select(n => new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(n).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture))
            .ToList();
        foreach (var stamp in earlier)
        {
            File.WriteAllText(Path.Combine(runs, stamp + ".json"), "{}");
            File.WriteAllText(Path.Combine(logs, $"run-{stamp}.clef"), string.Empty);
        }

        string[] Names(string folder) => [.. Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];
        var (runsBefore, logsBefore) = (Names(runs), Names(logs));

        // When the next run completes (with the log a run of the product writes)
        using (var pipeline = BedrotPipeline.Open(_lake.Options()))
        {
            pipeline.ValidateRaw();
            pipeline.Complete(succeeded: true);
        }

        // Then only the newest reports and logs are kept, this run's among them: every one removed is older than every one kept
        foreach (var (before, after) in new[] { (runsBefore, Names(runs)), (logsBefore, Names(logs)) })
        {
            Assert.Equal(BedrotPipeline.KeptRuns, after.Length);
            Assert.DoesNotContain(after[^1], before);
            var removed = before.Except(after, StringComparer.Ordinal).ToList();
            Assert.NotEmpty(removed);
            Assert.True(string.CompareOrdinal(removed.Max(StringComparer.Ordinal), after[0]) < 0, $"{removed.Max(StringComparer.Ordinal)} was removed but {after[0]} kept");
        }

        Assert.True(File.Exists(_lake.InLake(".bedrot/last-run.json")));
    }

    [Fact]
    public void Should_Account_For_Every_Landing_File()
    {
        // Then every landing file is promoted or quarantined, and the run says how many of each
        var raw = _run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(6, raw.Counts["promoted"]);
        Assert.Equal(1, raw.Counts["quarantined"]);
        Assert.Equal(7, raw.ItemsRun);
    }

    [Fact]
    public void Should_Quarantine_The_Broken_Page_With_Its_Reason()
    {
        // Then the session-expired page sits in quarantine with a reason naming the missing chart
        var reason = JObject.Parse(File.ReadAllText(_lake.InLake("quarantine/distrokid/streams_stats_20250610_120000.html.reason.json")));
        Assert.Equal("distrokid", (string?)reason["platform"]);
        Assert.Contains("trend365day", (string?)reason["problems"]![0]!["problem"], StringComparison.Ordinal);
        Assert.True(File.Exists(_lake.LandingFile("streams_stats_20250610_120000.html")), "landing is never modified");
    }

    [Fact]
    public void Should_Promote_Byte_Identical_Read_Only_Copies_With_Lineage_And_A_Chained_Ledger()
    {
        // Then each raw copy equals its landing file, is read-only, and has a sidecar and a ledger line
        var ledger = Ledger.Load(_lake.InLake("raw/_ledger.jsonl"));
        Assert.Empty(ledger.Problems);
        Assert.Equal(6, ledger.Entries.Count);
        foreach (var entry in ledger.Entries)
        {
            var copy = _lake.InLake(entry.RawPath);
            Assert.Equal(File.ReadAllBytes(Path.Combine(_lake.Landing, entry.Source)), File.ReadAllBytes(copy));
            Assert.True(File.Exists(copy + ".lineage.json"));
            if (!OperatingSystem.IsWindows())
            {
                Assert.False(File.GetUnixFileMode(copy).HasFlag(UnixFileMode.UserWrite));
            }
        }

        Assert.Equal("raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv",
            ledger.Entries.Single(e => e.Source.EndsWith("dk_bank_details_20250601_093015.tsv", StringComparison.Ordinal)).RawPath);
    }

    [Fact]
    public void Should_Record_A_Duplicate_Without_Copying_It()
    {
        // When the same export lands again under another name
        File.Copy(_lake.LandingFile("dk_bank_details_20250601_093015.tsv"), Path.Combine(_lake.Landing, "dk_bank_details_20250601_093015 (1).tsv"));
        var run = _lake.Run();

        // Then it is recorded as a duplicate in the ledger and not copied
        Assert.Equal(1, run.Step(BedrotPipeline.ValidateRawStep).Counts["duplicate"]);
        var ledger = Ledger.Load(_lake.InLake("raw/_ledger.jsonl"));
        Assert.Single(ledger.Entries, e => e.Event == LedgerEntry.Duplicate);
        Assert.Empty(ledger.Problems);
        Assert.Equal(2, _lake.LakeFiles("raw/distrokid/sales").Count(f => f.EndsWith(".tsv", StringComparison.Ordinal)));
    }

    [Fact]
    public void Should_Keep_Negative_Earnings_In_Staging()
    {
        // Then the staging sales rows carry the reversals of the raw file, with their sign
        var negativeInRaw = File.ReadAllText(_lake.LandingFile("dk_bank_details_20250801_101500.tsv"))
            .Split('\r', StringSplitOptions.RemoveEmptyEntries).Skip(1).Count(line => line.Split('\t')[12].StartsWith('-'));
        var staged = ReadColumn("staging/distrokid/sales/distrokid_sales_staging_20250801_101500.csv", "earnings_usd");
        Assert.True(negativeInRaw > 0);
        Assert.Equal(negativeInRaw, staged.Count(v => v.StartsWith('-')));
        Assert.Equal(350, staged.Count);
    }

    [Fact]
    public void Should_Take_Each_Day_From_The_Latest_Snapshot()
    {
        // Then a day present in both Spotify snapshots carries the later snapshot's value,
        // and each day's unified total equals what the winning raw page says
        var unified = ReadRows(_lake.LakeFiles("staging/cross_platform").Single(f => f.Contains("unified_staging", StringComparison.Ordinal)))
            .Where(r => r["grain"] == "day" && r["platform"] == "spotify")
            .ToDictionary(r => r["date"], r => long.Parse(r["streams"], CultureInfo.InvariantCulture));
        var older = ReadRows("staging/distrokid/streams/distrokid_streams_staging_20250522_085156.csv").ToDictionary(r => r["date"], r => long.Parse(r["streams"], CultureInfo.InvariantCulture));
        var newer = ReadRows("staging/distrokid/streams/distrokid_streams_staging_20250601_091200.csv").ToDictionary(r => r["date"], r => long.Parse(r["streams"], CultureInfo.InvariantCulture));

        Assert.NotEqual(older["2025-05-21"], newer["2025-05-21"]);
        Assert.Equal(newer["2025-05-21"], unified["2025-05-21"]);
        Assert.Equal(older["2025-03-01"], unified["2025-03-01"]); // only the older snapshot has it
        Assert.Equal(older.Keys.Union(newer.Keys).Count(), unified.Count);
        Assert.All(newer, day => Assert.Equal(day.Value, unified[day.Key]));
    }

    [Fact]
    public void Should_Reconcile_Control_Totals_For_Every_Group()
    {
        // Then every source, platform and month reconciles between staging and unified
        var totals = ReadRows(_lake.LakeFiles("staging/cross_platform").Single(f => f.Contains("control_totals", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(totals);
        Assert.All(totals, t => Assert.Equal("ok", t["status"]));

        // And the bank revenue equals the newest bank export's earnings, exactly
        var newestEarnings = ReadColumn("staging/distrokid/sales/distrokid_sales_staging_20250801_101500.csv", "earnings_usd")
            .Sum(v => decimal.Parse(v, CultureInfo.InvariantCulture));
        var unifiedRevenue = totals.Where(t => t["source"] == "distrokid_bank").Sum(t => decimal.Parse(t["unified_revenue_usd"], CultureInfo.InvariantCulture));
        Assert.Equal(newestEarnings, unifiedRevenue);
    }

    [Fact]
    public void Should_Write_The_Quality_Outputs_And_The_Run_Report()
    {
        // Then the quality folder holds the summary, the metrics and the log, and the run is recorded
        var quality = _lake.LakeFiles("staging/quality_reports").Select(Path.GetFileName).ToList();
        Assert.Contains("validation_summary_20250801.json", quality);
        Assert.Contains("data_quality_metrics_20250801.csv", quality);
        Assert.Contains("transformation_log_20250801.txt", quality);
        var summary = JObject.Parse(File.ReadAllText(_lake.InLake("staging/quality_reports/validation_summary_20250801.json")));
        Assert.Equal("pass", (string?)summary["status"]);
        Assert.Single((JArray)summary["raw"]!["quarantined"]!);

        var lastRun = JObject.Parse(File.ReadAllText(_lake.InLake(".bedrot/last-run.json")));
        Assert.Equal("succeeded", (string?)lastRun["Status"]);
        Assert.Equal(4, ((JArray)lastRun["Steps"]!).Count);
        Assert.Single(Directory.GetFiles(_lake.InLake(".bedrot/runs")));
    }

    [Fact]
    public void Should_Name_A_Raw_File_Changed_Behind_The_Ledger()
    {
        // Given a raw copy edited behind the ledger's back, and a file added
        var copy = _lake.InLake("raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        else
        {
            File.SetAttributes(copy, FileAttributes.Normal);
        }

        File.AppendAllText(copy, "tampered\r");
        File.WriteAllText(_lake.InLake("raw/distrokid/sales/2025/06/extra.tsv"), "x");

        // When verify-raw runs
        using var pipeline = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), new LoggerConfiguration().CreateLogger());
        var problems = pipeline.VerifyRaw();

        // Then both are named
        Assert.Contains(problems, p => p.StartsWith("raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv: content changed", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("raw/distrokid/sales/2025/06/extra.tsv: not in the ledger", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Refuse_A_Second_Run_On_The_Same_Lake()
    {
        // Given a run holding the lake
        using var first = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), new LoggerConfiguration().CreateLogger());

        // When another opens it, Then it is refused with the holder named
        var error = Assert.Throws<Lake.LakeConfigurationException>(() =>
            BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), new LoggerConfiguration().CreateLogger()));
        Assert.Contains($"\"pid\":{Environment.ProcessId}", error.Message, StringComparison.Ordinal);
    }

    private List<string> ReadColumn(string relative, string column) => ReadRows(relative).Select(r => r[column]).ToList();

    private IEnumerable<Dictionary<string, string>> ReadRows(string relative)
    {
        using var reader = CsvReader.FromFile(_lake.InLake(relative), new CsvReaderOptions { Separator = ',', HasHeader = true });
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(reader.Headers.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => reader.GetString(p.i)));
        }

        return rows;
    }
}
