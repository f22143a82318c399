using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;
using static Bedrot.DataLake.Tests.Support.MetaAdsSamples;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>The incremental guarantees on a temporary lake built from the Meta Ads samples, where an SDK dump folder is one work item.</summary>
public sealed class MetaAdsIncrementalTests : IDisposable
{
    private const string SecondDumpFolder = $"raw/metaads/dump/2025/06/{SecondDump}";

    private static readonly string[] InsightsAndExports =
    [
        "raw/metaads/ads_manager/2025/06/" + EnglishExport,
        "raw/metaads/ads_manager/2025/06/" + SpanishExport,
        $"raw/metaads/dump/2025/06/{FirstDump}/insights.json",
        $"{SecondDumpFolder}/insights.json",
        "raw/metaads/insights/2025/06/insights_20250610.json",
    ];

    private readonly TempLake _lake = new("metaads");

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Run_Nothing_And_Read_No_Input_When_Nothing_Changed()
    {
        // Given a lake built once
        _lake.Run();

        // When the build runs again
        var second = _lake.Run();

        // Then every step skips every item (3 dumps and 4 lone files, 8 raw files with a dataset), and nothing was re-read
        Assert.All(second.Report.Steps, step => Assert.Equal(0, step.ItemsRun));
        Assert.Equal(7, second.Step(BedrotPipeline.ValidateRawStep).ItemsSkipped);
        Assert.Equal(8, second.Step(BedrotPipeline.StagePlatformStep).ItemsSkipped);
        Assert.Equal(1, second.Step(BedrotPipeline.UnifyStep).ItemsSkipped);
        Assert.Equal(1, second.Step(BedrotPipeline.QualityReportStep).ItemsSkipped);
        Assert.Equal(0, second.Report.FilesHashed);
    }

    [Fact]
    public void Should_Only_Rehash_A_Dump_Member_Rewritten_With_The_Same_Bytes()
    {
        // Given a built lake
        _lake.Run();
        var staging = _lake.Snapshot("staging");

        // When a member of a dump is written again with the same bytes and a later time
        var path = _lake.MetaLanding($"{SecondDump}/insights.json");
        File.WriteAllBytes(path, File.ReadAllBytes(path));
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddMinutes(5));
        var run = _lake.Run();

        // Then that file alone is read to hash it, and nothing runs
        Assert.Equal(1, run.Report.FilesHashed);
        Assert.Equal(0, run.ItemsRun);
        Assert.Equal(7, run.Step(BedrotPipeline.ValidateRawStep).ItemsSkipped);
        Assert.Equal(staging.Keys, _lake.Snapshot("staging").Keys);
        Assert.All(_lake.Snapshot("staging"), file => Assert.Equal(staging[file.Key], file.Value));
    }

    [Fact]
    public void Should_Version_Only_The_Changed_Member_Of_A_Dump_And_Let_It_Win()
    {
        // Given a built lake
        _lake.Run();
        var before = _lake.MarketingDays("meta_ads_api");
        var originalInsights = File.ReadAllBytes(_lake.MetaLanding($"{SecondDump}/insights.json"));

        // When the second dump lands again with one ad set's spend on 2025-05-30 corrected
        var insights = JArray.Parse(File.ReadAllText(_lake.MetaLanding($"{SecondDump}/insights.json")));
        var row = insights.Single(r => (string?)r["campaign_id"] == CampaignA && (string?)r["adset_name"] == "MD Traffic - UK/DE 18-44" && (string?)r["date_start"] == "2025-05-30");
        Assert.Equal("17.62", (string?)row["spend"]);
        row["spend"] = "18.62";
        File.WriteAllText(_lake.MetaLanding($"{SecondDump}/insights.json"), insights.ToString());
        var log = new CollectedLog();
        var run = _lake.Run(explain: true, log: log.Logger());

        // Then that dump's folder alone is made an item and validated again, because of that member
        Assert.Contains(log.Messages, m => m.StartsWith("\"validate-raw\": planned only the 1 item(s) whose inputs are new or changed since its last plan; its 7 recorded", StringComparison.Ordinal));
        var raw = run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(1, raw.ItemsRun);
        Assert.Equal(6, raw.ItemsSkipped);
        Assert.Equal([$"metaads/{SecondDump}/"], raw.Reasons.Keys);
        Assert.StartsWith("input changed", raw.Reasons[$"metaads/{SecondDump}/"], StringComparison.Ordinal);
        Assert.Contains($"metaads/{SecondDump}/insights.json", raw.Reasons[$"metaads/{SecondDump}/"], StringComparison.Ordinal);
        Assert.Equal(1, raw.Counts["promoted"]);
        Assert.Equal(1, raw.Counts["already_in_raw"]);
        Assert.Equal(2, raw.Counts["duplicate"]);

        // And only that member gets a new version, beside the first in the dump's raw folder
        Assert.Equal(
            [
                $"{SecondDumpFolder}/campaigns.json",
                $"{SecondDumpFolder}/insights.json",
                $"{SecondDumpFolder}/insights.v2.json",
            ],
            _lake.LakeFiles(SecondDumpFolder).Where(f => !f.EndsWith(".lineage.json", StringComparison.Ordinal)));
        Assert.Equal(originalInsights, File.ReadAllBytes(_lake.InLake($"{SecondDumpFolder}/insights.json")));
        Assert.Equal(File.ReadAllBytes(_lake.MetaLanding($"{SecondDump}/insights.json")), File.ReadAllBytes(_lake.InLake($"{SecondDumpFolder}/insights.v2.json")));
        var entry = Ledger.Load(_lake.InLake("raw/_ledger.jsonl")).Entries.Last();
        Assert.Equal(LedgerEntry.Promoted, entry.Event);
        Assert.Equal($"{SecondDumpFolder}/insights.v2.json", entry.RawPath);
        Assert.Equal("insights", entry.Datatype);
        Assert.Equal("2025-06-08T10:15:00Z", entry.ExtractedAt);

        // And only that version is staged, and unify reruns for it
        var stage = run.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal(1, stage.ItemsRun);
        Assert.Equal(8, stage.ItemsSkipped);
        Assert.Equal("new", stage.Reasons[$"{SecondDumpFolder}/insights.v2.json"]);
        Assert.Equal(40, _lake.LakeCsv("staging/metaads/daily/metaads_daily_staging_20250608_101500_v2.csv").Count);
        Assert.Equal(1, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
        Assert.Equal("new input staging/metaads/daily/metaads_daily_staging_20250608_101500_v2.csv",
            run.Step(BedrotPipeline.UnifyStep).Reasons["marketing_unified"]);

        // And the corrected version wins that day, every other day keeps its value
        var after = _lake.MarketingDays("meta_ads_api");
        Assert.Equal(Dec(before[(CampaignA, "2025-05-30")]["spend_usd"]) + 1m, Dec(after[(CampaignA, "2025-05-30")]["spend_usd"]));
        Assert.Equal($"{SecondDump}/insights.v2.json", after[(CampaignA, "2025-05-30")]["source_file"]);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before.Keys.Where(k => k != (CampaignA, "2025-05-30")), key => Assert.Equal(before[key]["spend_usd"], after[key]["spend_usd"]));
        Assert.All(_lake.MarketingTotals(), t => Assert.Equal("ok", t["status"]));
    }

    [Fact]
    public void Should_Validate_A_New_Dump_Folder_As_One_New_Item()
    {
        // Given a built lake
        _lake.Run();
        var before = _lake.MarketingDays("meta_ads_api");

        // When a new dump lands: the second dump's files, with 2025-06-07 of one ad set revised
        const string dump = "meta_ads_dump_20250622_101500";
        Directory.CreateDirectory(_lake.MetaLanding(dump));
        foreach (var member in Members)
        {
            File.Copy(_lake.MetaLanding($"{SecondDump}/{member}"), _lake.MetaLanding($"{dump}/{member}"));
        }

        var insights = JArray.Parse(File.ReadAllText(_lake.MetaLanding($"{dump}/insights.json")));
        var row = insights.Single(r => (string?)r["campaign_id"] == CampaignA && (string?)r["adset_name"] == "MD Traffic - US/CA 18-34" && (string?)r["date_start"] == "2025-06-07");
        Assert.Equal("12.53", (string?)row["spend"]);
        row["spend"] = "12.63"; // a small revision, within what the Ads Manager export of that day still agrees with
        File.WriteAllText(_lake.MetaLanding($"{dump}/insights.json"), insights.ToString());
        var run = _lake.Run(explain: true);

        // Then the folder is the one item validated, as new; its unchanged members are duplicates
        var raw = run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(1, raw.ItemsRun);
        Assert.Equal(7, raw.ItemsSkipped);
        Assert.Equal("new", Assert.Single(raw.Reasons, r => r.Key == $"metaads/{dump}/").Value);
        Assert.Equal(1, raw.Counts["promoted"]);
        Assert.Equal(3, raw.Counts["duplicate"]);
        Assert.Equal(File.ReadAllBytes(_lake.MetaLanding($"{dump}/insights.json")), File.ReadAllBytes(_lake.InLake($"raw/metaads/dump/2025/06/{dump}/insights.json")));

        // And its insights alone are staged, and the newest dump wins the day it revised
        Assert.Equal(1, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.Contains("staging/metaads/daily/metaads_daily_staging_20250622_101500.csv", _lake.LakeFiles("staging/metaads/daily"));
        var after = _lake.MarketingDays("meta_ads_api");
        Assert.Equal(Dec(before[(CampaignA, "2025-06-07")]["spend_usd"]) + 0.1m, Dec(after[(CampaignA, "2025-06-07")]["spend_usd"]));
        Assert.All(before.Keys.Where(k => k != (CampaignA, "2025-06-07")), key => Assert.Equal(before[key]["spend_usd"], after[key]["spend_usd"]));
    }

    [Fact]
    public void Should_Quarantine_A_Promoted_Dump_That_Loses_A_Member_And_Keep_Its_Raw_Copies()
    {
        // Given a built lake
        _lake.Run();
        var raw = _lake.Snapshot($"raw/metaads/dump/2025/06/{FirstDump}");
        var ledger = File.ReadAllBytes(_lake.InLake("raw/_ledger.jsonl"));
        Assert.Equal(8, raw.Count);

        // When ads.json of the first dump is removed from landing
        File.Delete(_lake.MetaLanding($"{FirstDump}/ads.json"));
        var run = _lake.Run(explain: true);

        // Then the folder is validated again for that reason, and its three remaining files are quarantined
        var step = run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(1, step.ItemsRun);
        Assert.Equal($"input metaads/{FirstDump}/ads.json removed", step.Reasons[$"metaads/{FirstDump}/"]);
        Assert.Equal(3, step.Counts["quarantined"]);
        foreach (var member in new[] { "campaigns.json", "adsets.json", "insights.json" })
        {
            var copy = _lake.InLake($"quarantine/metaads/{FirstDump}/{member}");
            Assert.Equal(File.ReadAllBytes(_lake.MetaLanding($"{FirstDump}/{member}")), File.ReadAllBytes(copy));
            var problem = Assert.Single((JArray)JObject.Parse(File.ReadAllText(copy + ".reason.json"))["problems"]!);
            Assert.Equal("ads.json", (string?)problem["where"]);
            Assert.StartsWith("missing", (string?)problem["problem"], StringComparison.Ordinal);
        }

        Assert.False(File.Exists(_lake.InLake($"quarantine/metaads/{FirstDump}/ads.json")));

        // And raw keeps every promoted copy and the ledger is untouched
        Assert.Equal(raw.Keys, _lake.LakeFiles($"raw/metaads/dump/2025/06/{FirstDump}"));
        Assert.All(_lake.Snapshot($"raw/metaads/dump/2025/06/{FirstDump}"), file => Assert.Equal(raw[file.Key], file.Value));
        Assert.Equal(ledger, File.ReadAllBytes(_lake.InLake("raw/_ledger.jsonl")));
    }

    [Fact]
    public void Should_Restage_Exactly_The_Insights_And_Exports_When_The_Daily_Schema_Tightens()
    {
        // Given a built lake
        _lake.Run();
        var staging = _lake.Snapshot("staging/metaads");
        var unified = _lake.Snapshot("staging/cross_platform");

        // When the daily schema gets a maximum spend no sample row exceeds
        _lake.EditSchema("staging/metaads_daily.json", schema =>
            schema["fields"]!.Single(f => (string?)f["name"] == "spend_usd")!["constraints"]!["maximum"] = 1000);
        var run = _lake.Run(explain: true);

        // Then the three insights files and the two exports are restaged, for that reason, and no campaigns file
        var stage = run.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal(5, stage.ItemsRun);
        Assert.Equal(3, stage.ItemsSkipped);
        Assert.Equal(InsightsAndExports.Order(StringComparer.Ordinal), stage.Reasons.Keys);
        Assert.All(stage.Reasons.Values, reason => Assert.Equal("schema staging/metaads_daily.json changed", reason));
        Assert.Equal(0, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
        Assert.Equal(1, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
        Assert.Contains("schema staging/metaads_daily.json changed", run.Step(BedrotPipeline.UnifyStep).Reasons["marketing_unified"], StringComparison.Ordinal);

        // And, the new limit keeping every row, every output is what it was
        Assert.Equal(staging.Keys, _lake.LakeFiles("staging/metaads"));
        Assert.All(_lake.Snapshot("staging/metaads"), file => Assert.Equal(staging[file.Key], file.Value));
        Assert.All(_lake.Snapshot("staging/cross_platform"), file => Assert.Equal(unified[file.Key], file.Value));
    }

    [Fact]
    public void Should_Rerun_Everything_When_Forced_And_Write_The_Same_Bytes()
    {
        // Given a built lake
        _lake.Run();
        var staging = _lake.Snapshot("staging");
        var quarantine = _lake.Snapshot("quarantine");
        var ledger = File.ReadAllBytes(_lake.InLake("raw/_ledger.jsonl"));

        // When forced
        var run = _lake.Run(force: true);

        // Then every item of every step runs
        Assert.All(run.Report.Steps, step => Assert.Equal(0, step.ItemsSkipped));
        var raw = run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(7, raw.ItemsRun);
        Assert.Equal(8, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.Equal(1, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
        Assert.Equal(1, run.Step(BedrotPipeline.QualityReportStep).ItemsRun);
        Assert.Equal(10, raw.Counts["already_in_raw"]);
        Assert.Equal(2, raw.Counts["duplicate"]);
        Assert.Equal(4, raw.Counts["quarantined"]);
        Assert.False(raw.Counts.ContainsKey("promoted"));

        // And raw gains nothing, and the data in staging and quarantine is byte for byte the same
        Assert.Equal(ledger, File.ReadAllBytes(_lake.InLake("raw/_ledger.jsonl")));
        Assert.Equal(staging.Keys, _lake.Snapshot("staging").Keys);
        Assert.All(_lake.Snapshot("staging").Where(f => !f.Key.StartsWith("staging/quality_reports/", StringComparison.Ordinal)),
            file => Assert.Equal(staging[file.Key], file.Value));
        Assert.All(_lake.Snapshot("quarantine"), file => Assert.Equal(quarantine[file.Key], file.Value));
    }

    [Fact]
    public void Should_Give_Byte_Identical_Staging_Trees_For_The_Same_Inputs()
    {
        // Given two lakes built from the same inputs at the same time
        using var other = new TempLake("metaads");
        _lake.Run();
        other.Run();

        // Then every staging output is byte for byte the same
        var files = _lake.LakeFiles("staging").ToList();
        Assert.Equal(files, other.LakeFiles("staging").ToList());
        Assert.All(files, file => Assert.Equal(File.ReadAllBytes(_lake.InLake(file)), File.ReadAllBytes(other.InLake(file))));
        Assert.Contains(files, f => f.StartsWith("staging/metaads/daily/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("staging/metaads/campaigns/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("staging/_rejects/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("staging/_warnings/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("staging/cross_platform/marketing_unified_", StringComparison.Ordinal));
    }
}
