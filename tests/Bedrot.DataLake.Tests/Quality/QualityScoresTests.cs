using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Quality;

/// <summary>
/// The five scores in a pipeline: accuracy from business rules, freshness against as-of, the gate's
/// message, the comparison with the previous report, and the transformation log.
/// </summary>
public sealed class QualityScoresTests : IDisposable
{
    private const string Header =
        "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage\tSong/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)\r\n";

    private readonly TempLake _lake = new("distrokid");

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Lower_Accuracy_Not_Validity_For_An_Implausible_Revenue_Per_Stream_And_Keep_The_Row()
    {
        // Given a bank export with one row earning 50 USD for a single stream
        Land("dk_bank_details_20250901_101500.tsv", "2025-08-05\t2025-07\tSpotify\tZONE A0\tHOLD ON I\tQZXKB2431870\t197368204153\t1\t100\tSong\tDE\t0\t50\r\n");

        // When the pipeline runs
        _lake.Run();

        // Then distrokid/sales keeps the row, flags it by its rule, and only accuracy drops: 1 of the rows read
        var sales = Dataset("distrokid/sales");
        var rowsIn = (long)sales["rows_in"]!;
        Assert.Equal(1, (long)sales["warnings_by_check"]!["revenue_per_unit_plausible"]!);
        Assert.Equal(Math.Round(1 - 1d / rowsIn, 6), (double)sales["accuracy"]!, 6);
        Assert.Equal(1, (double)sales["validity"]!);
        Assert.Equal(rowsIn, (long)sales["rows_out"]!);
        var warnings = File.ReadAllText(Directory.GetFiles(_lake.InLake("staging/_warnings"), "distrokid_sales_warnings_*.csv").Single());
        Assert.Contains("revenue_per_unit_plausible", warnings, StringComparison.Ordinal);
        Assert.Contains("line 2", warnings, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Score_Consistency_Over_Keys_Two_Sources_Report_And_Control_Total_Lines()
    {
        // Given the DistroKid and TooLost samples: 62 days both report, equal but for 2025-05-20 on Spotify
        using var lake = new TempLake("distrokid", "toolost");
        lake.Run();
        var summary = JObject.Parse(File.ReadAllText(Directory.GetFiles(lake.InLake("staging/quality_reports"), "validation_summary_*.json").Single()));
        var unified = summary["datasets"]!.Single(d => (string?)d["dataset"] == "streaming_unified");
        var precedence = File.ReadAllLines(Directory.GetFiles(lake.InLake("staging/cross_platform"), "streaming_unified_precedence_*.csv").Single()).Length - 1;
        var lines = File.ReadAllLines(Directory.GetFiles(lake.InLake("staging/cross_platform"), "streaming_unified_lineage_totals_*.csv").Single()).Length - 1;

        // Then every precedence pair and every control-total line is a comparison, one disagrees, and the score says so
        Assert.Equal(62, precedence);
        Assert.Equal(precedence + lines, (long)unified["comparisons"]!);
        Assert.Equal(1, (long)unified["disagreements"]!);
        Assert.Equal(Math.Round(1 - 1d / (precedence + lines), 6), (double)unified["consistency"]!, 6);
        var disagreement = Assert.Single(summary["disagreements"]!);
        Assert.Equal(("2025-05-20 day spotify", "streams", "1311", "1442"),
            ((string?)disagreement["key"], (string?)disagreement["measure"], (string?)disagreement["kept"], (string?)disagreement["set_aside"]));
    }

    [Fact]
    public void Should_Fail_Consistency_When_Sources_Disagree_Beyond_The_Tolerance_And_Pass_With_A_Wider_One()
    {
        // Given the TooLost series raised by 10% on every day of one reply (the DistroKid pages unchanged)
        using var lake = new TempLake("distrokid", "toolost");
        var reply = Path.Combine(lake.Landing, "toolost", "toolost_spotify_20250601_091500.json");
        File.WriteAllText(reply, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(reply), @"""streams"": ""?(\d+)""?",
            m => $"\"streams\": \"{long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 11 / 10}\""));

        // When the pipeline runs, Then the gate fails on streaming_unified's consistency, naming the precedence file
        var failed = Assert.Throws<QualityGateException>(() => lake.Run());
        Assert.Contains("streaming_unified: consistency", failed.Message, StringComparison.Ordinal);
        Assert.Contains("streaming_unified_precedence_", failed.Message, StringComparison.Ordinal);

        // And with a tolerance of 15% the same lake passes, rerunning only the report
        using var pipeline = BedrotPipeline.Open(lake.Options() with
            {
                Thresholds = Repository.SamplesThresholds with { ConsistencyTolerance = 0.15 },
            },
            new FixedTime(lake.Now), new Serilog.LoggerConfiguration().CreateLogger());
        var steps = new[] { pipeline.ValidateRaw(), pipeline.StagePlatform(), pipeline.Unify(), pipeline.QualityReport() };
        Assert.Equal([0, 0, 0, 1], steps.Select(s => s.ItemsRun));
    }

    [Fact]
    public void Should_Fail_The_Gate_On_Stale_Data_Naming_The_Dataset_The_Score_And_The_Missing_Days()
    {
        // Given the DistroKid samples, whose stats pages end on 2025-05-31, judged as of 2025-06-20
        _lake.AsOf = new DateOnly(2025, 6, 20);

        // When the pipeline runs, Then the gate fails naming the dataset, its freshness and the missing days
        var failed = Assert.Throws<QualityGateException>(() => _lake.Run());
        Assert.Contains("distrokid/streams: freshness 0.3571 < 0.95", failed.Message, StringComparison.Ordinal);
        Assert.Contains("newest 2025-05-31, expected 2025-06-18", failed.Message, StringComparison.Ordinal);
        Assert.Contains("2025-06-01..2025-06-18", failed.Message, StringComparison.Ordinal);
        Assert.Contains("its stalest source, distrokid/applemusic: newest 2025-05-31", failed.Message, StringComparison.Ordinal);

        // And the summary lists the gap and judges the unified dataset by its stalest source
        var streams = Dataset("distrokid/streams");
        Assert.Equal(["2025-06-01..2025-06-18"], streams["freshness_detail"]!["gaps"]!.Values<string>());
        Assert.Equal("2025-06-20", (string?)Summary()["as_of"]);
        Assert.Equal((double)streams["freshness"]!, (double)Dataset("streaming_unified")["freshness"]!, 6);
    }

    [Fact]
    public void Should_Rerun_Only_The_Report_When_As_Of_Moves()
    {
        // Given a built lake
        _lake.Run();

        // When as-of moves a day and the gate only warns
        _lake.AsOf = _lake.AsOf.AddDays(1);
        using var pipeline = BedrotPipeline.Open(_lake.Options() with { QualityGate = QualityGateMode.Warn }, new FixedTime(_lake.Now),
            new Serilog.LoggerConfiguration().CreateLogger());
        var steps = new[] { pipeline.ValidateRaw(), pipeline.StagePlatform(), pipeline.Unify(), pipeline.QualityReport() };

        // Then nothing but the report reran
        Assert.Equal([0, 0, 0, 1], steps.Select(s => s.ItemsRun));
    }

    [Fact]
    public void Should_Flag_A_Score_That_Dropped_And_A_Row_Count_That_Moved_Since_The_Previous_Report()
    {
        // Given a built lake
        _lake.Run();
        Assert.Empty(Summary()["run_over_run"]!["flags"]!);

        // When a bank export arrives with 200 new rows and 30 whose quantity is not a number: rows out grow from
        // 600 to 800 (beyond 25%) and validity drops to 800/830 (beyond 0.02)
        Land("dk_bank_details_20250901_101500.tsv", string.Concat(Enumerable.Range(1, 230).Select(i =>
            $"2025-08-05\t2025-07\tSpotify\tZONE A0\tTrack {i}\tQZXKB2431{i:000}\t197368204153\t{(i <= 200 ? "12" : "many")}\t100\tSong\tDE\t0\t0.05\r\n")));
        var run = RunWarnOnly();

        // Then the report flags both, says what the previous values were, and logs them
        var flags = Summary()["run_over_run"]!["flags"]!.Select(f => ((string?)f["dataset"], (string?)f["measure"])).ToList();
        Assert.Contains(("distrokid/sales", "validity"), flags);
        Assert.Contains(("distrokid/sales", "rows_out"), flags);
        var rows = Summary()["run_over_run"]!["flags"]!.Single(f => (string?)f["measure"] == "rows_out" && (string?)f["dataset"] == "distrokid/sales");
        Assert.Equal("600", (string?)rows["previous"]);
        Assert.Equal(1, run.Step(BedrotPipeline.QualityReportStep).ItemsRun);
        Assert.Contains("rows out moved from 600", File.ReadAllText(Directory.GetFiles(_lake.InLake("staging/quality_reports"), "quality_report_*.html").Single()), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Say_In_The_Transformation_Log_What_Ran_And_Why_And_What_Was_Skipped_And_Why()
    {
        // Given a first run and a second run with nothing new
        _lake.Run();
        _lake.Run();

        // Then the day's log holds both runs: the first ran every item as new, the second skipped every item as up to date
        var log = File.ReadAllText(Directory.GetFiles(_lake.InLake("staging/quality_reports"), "transformation_log_*.txt").Single());
        var runs = log.Split("== run started ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, runs.Length);
        Assert.Contains("run  distrokid/dk_bank_details_20250601_093015.tsv: new", runs[0], StringComparison.Ordinal);
        Assert.DoesNotContain("\nskip ", runs[0], StringComparison.Ordinal);
        Assert.DoesNotContain("\nrun  ", runs[1], StringComparison.Ordinal);
        Assert.Contains("skip distrokid/dk_bank_details_20250601_093015.tsv: up to date\n", runs[1], StringComparison.Ordinal);
        Assert.Contains("skip streaming_unified: up to date\n", runs[1], StringComparison.Ordinal);

        // And what "up to date" means is said once per step, not on every skipped item's line
        var meaning = "\n     " + Bedrot.DataLake.Incremental.StepExecutor.UpToDate + "\n";
        Assert.Equal(4, runs[1].Split(meaning).Length - 1);
        Assert.DoesNotContain(": " + Bedrot.DataLake.Incremental.StepExecutor.UpToDate, runs[1], StringComparison.Ordinal);
        Assert.Contains("-- stage-platform: 0 run,", runs[1], StringComparison.Ordinal);
        Assert.Contains("quality gate: pass", runs[1], StringComparison.Ordinal);
    }

    private BedrotRun RunWarnOnly()
    {
        using var pipeline = BedrotPipeline.Open(_lake.Options() with { QualityGate = QualityGateMode.Warn }, new FixedTime(_lake.Now),
            new Serilog.LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        pipeline.StagePlatform();
        pipeline.Unify();
        pipeline.QualityReport();
        return new BedrotRun(pipeline.Complete(succeeded: true), pipeline.Paths);
    }

    private void Land(string name, string rows) => File.WriteAllText(_lake.LandingFile(name), Header + rows);

    private JObject Summary() =>
        JObject.Parse(File.ReadAllText(Directory.GetFiles(_lake.InLake("staging/quality_reports"), "validation_summary_*.json").Single()));

    private JToken Dataset(string name) => Summary()["datasets"]!.Single(d => (string?)d["dataset"] == name);
}
