using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>The incremental guarantees on a temporary lake built from the TooLost and Spotify for Artists samples.</summary>
public sealed class StreamingSourcesIncrementalTests : IDisposable
{
    private const string AudienceZone = "raw/spotify/audience/2025/08/ZONE A0-audience-timeline.csv";
    private const string AudiencePig = "raw/spotify/audience/2025/08/PIG1987-audience-timeline.csv";

    private readonly TempLake _lake = new("toolost", "spotify");

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Run_Nothing_And_Read_No_Input_When_Nothing_Changed()
    {
        // Given a lake built once
        _lake.Run();

        // When the build runs again
        var second = _lake.Run();

        // Then every step skips every item, and no file was re-read to hash it
        Assert.All(second.Report.Steps, step => Assert.Equal(0, step.ItemsRun));
        Assert.Equal(12, second.Step(BedrotPipeline.ValidateRawStep).ItemsSkipped);
        Assert.Equal(13, second.Step(BedrotPipeline.StagePlatformStep).ItemsSkipped);
        Assert.Equal(1, second.Step(BedrotPipeline.UnifyStep).ItemsSkipped);
        Assert.Equal(1, second.Step(BedrotPipeline.QualityReportStep).ItemsSkipped);
        Assert.Equal(0, second.Report.FilesHashed);
    }

    [Fact]
    public void Should_Rerun_Only_What_Depends_On_A_New_TooLost_Reply()
    {
        // Given a built lake
        _lake.Run();
        var before = _lake.UnifiedDays("toolost", "spotify");

        // When a later TooLost Spotify reply lands with a revised last day and a new day
        File.WriteAllText(Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250620_080000.json"),
            """
            {
              "streams": [
                {"date": "2025-06-12", "streams": "1290"},
                {"date": "2025-06-11", "streams": "1400"}
              ],
              "discovery": []
            }
            """);
        var run = _lake.Run(explain: true);

        // Then that file alone is validated and staged, and unify reruns for its new input
        var raw = run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(1, raw.ItemsRun);
        Assert.Equal(12, raw.ItemsSkipped);
        Assert.Equal("new", raw.Reasons["toolost/toolost_spotify_20250620_080000.json"]);
        var stage = run.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal(1, stage.ItemsRun);
        Assert.Equal(13, stage.ItemsSkipped);
        Assert.Equal("new", stage.Reasons["raw/toolost/spotify/2025/06/toolost_spotify_20250620_080000.json"]);
        Assert.Equal(1, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
        Assert.Equal("new input staging/toolost/spotify/toolost_spotify_staging_20250620_080000.csv",
            run.Step(BedrotPipeline.UnifyStep).Reasons["streaming_unified"]);

        // And the newest reply wins its two days while every other day keeps its value
        var after = _lake.UnifiedDays("toolost", "spotify");
        Assert.Equal("1400", after["2025-06-11"]["streams"]);
        Assert.Equal("1290", after["2025-06-12"]["streams"]);
        Assert.Equal("toolost_spotify_20250620_080000.json", after["2025-06-12"]["source_file"]);
        Assert.NotEqual("1400", before["2025-06-11"]["streams"]);
        Assert.Equal(before.Count + 1, after.Count);
        Assert.All(before.Keys.Where(d => d != "2025-06-11"), day => Assert.Equal(before[day]["streams"], after[day]["streams"]));
        Assert.All(_lake.ControlTotals(), t => Assert.Equal("ok", t["status"]));
    }

    [Fact]
    public void Should_Replace_The_Dated_Outputs_When_A_Newer_Reply_Moves_Their_Date()
    {
        // Given a lake of TooLost replies only, whose newest capture is 2025-06-12
        using var lake = new TempLake("toolost");
        lake.Run();
        Assert.Equal(
            [
                "staging/cross_platform/streaming_unified_control_totals_20250612.csv",
                "staging/cross_platform/streaming_unified_lineage_totals_20250612.csv",
                "staging/cross_platform/streaming_unified_precedence_20250612.csv",
                "staging/cross_platform/streaming_unified_staging_20250612.csv",
            ],
            lake.LakeFiles("staging/cross_platform"));

        // When a reply captured on 2025-06-20 lands
        File.WriteAllText(Path.Combine(lake.Landing, "toolost", "toolost_spotify_20250620_080000.json"),
            """{"streams": [{"date": "2025-06-12", "streams": "1290"}]}""");
        lake.Run();

        // Then the unified outputs carry the new date, and the old ones are gone; each run's log stays under the date it reported
        Assert.Equal(
            [
                "staging/cross_platform/streaming_unified_control_totals_20250620.csv",
                "staging/cross_platform/streaming_unified_lineage_totals_20250620.csv",
                "staging/cross_platform/streaming_unified_precedence_20250620.csv",
                "staging/cross_platform/streaming_unified_staging_20250620.csv",
            ],
            lake.LakeFiles("staging/cross_platform"));
        Assert.Equal(
            ["data_quality_metrics_20250620.csv", "quality_report_20250620.html", "transformation_log_20250612.txt", "transformation_log_20250620.txt", "validation_summary_20250620.json"],
            lake.LakeFiles("staging/quality_reports").Select(Path.GetFileName));
        Assert.Equal("1290", lake.UnifiedDays("toolost", "spotify")["2025-06-12"]["streams"]);
    }

    [Fact]
    public void Should_Not_Let_A_Late_Older_Reply_Override_Newer_Days()
    {
        // Given a built lake
        _lake.Run();
        var before = _lake.UnifiedDays("toolost", "spotify");

        // When a reply captured before the others lands late, with a day they have and a day they lack
        File.WriteAllText(Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250520_080000.json"),
            """{"streams": [{"date": "2025-05-15", "streams": "9999"}, {"date": "2025-04-30", "streams": "500"}]}""");
        var run = _lake.Run();

        // Then the newer replies keep their day, and the day only the old reply has is added
        Assert.Equal(1, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        var after = _lake.UnifiedDays("toolost", "spotify");
        Assert.Equal(before["2025-05-15"]["streams"], after["2025-05-15"]["streams"]);
        Assert.Equal(before["2025-05-15"]["source_file"], after["2025-05-15"]["source_file"]);
        Assert.Equal("500", after["2025-04-30"]["streams"]);
        Assert.Equal(before.Count + 1, after.Count);
    }

    [Fact]
    public void Should_Take_The_Corrected_Reply_When_A_Reply_Lands_Again_Under_Its_Name()
    {
        // Given a built lake
        _lake.Run();
        var before = _lake.UnifiedDays("toolost", "spotify");

        // When the 2025-06-10 reply lands again with 2025-05-29 (which no later reply has) and 2025-06-05 (which one has) corrected
        var path = Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250610_090000.json");
        var reply = JObject.Parse(File.ReadAllText(path));
        reply["streams"]!.Single(e => (string?)e["date"] == "2025-05-29")!["streams"] = "1350";
        reply["streams"]!.Single(e => (string?)e["date"] == "2025-06-05")!["streams"] = "1";
        File.WriteAllText(path, reply.ToString());
        var run = _lake.Run(explain: true);

        // Then the new content is a second raw version, staged beside the first
        Assert.StartsWith("input changed", run.Step(BedrotPipeline.ValidateRawStep).Reasons["toolost/toolost_spotify_20250610_090000.json"], StringComparison.Ordinal);
        Assert.Equal(1, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.Equal("new", run.Step(BedrotPipeline.StagePlatformStep).Reasons["raw/toolost/spotify/2025/06/toolost_spotify_20250610_090000.v2.json"]);
        Assert.Contains("staging/toolost/spotify/toolost_spotify_staging_20250610_090000_v2.csv", _lake.LakeFiles("staging/toolost"));

        // And the corrected version wins the day it has over the first version, not over a later reply
        var after = _lake.UnifiedDays("toolost", "spotify");
        Assert.Equal("1350", after["2025-05-29"]["streams"]);
        Assert.Equal("toolost_spotify_20250610_090000.v2.json", after["2025-05-29"]["source_file"]);
        Assert.Equal(before["2025-06-05"]["streams"], after["2025-06-05"]["streams"]);
        Assert.Equal("toolost_analytics_20250612_080000.json", after["2025-06-05"]["source_file"]);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_Read_The_Artist_From_The_Landed_Name_When_A_Download_Lands_Again()
    {
        // Given a built lake
        _lake.Run();

        // When a newer audience download for ZONE A0 lands under the same name, one day revised, a day later
        var path = Path.Combine(_lake.Landing, "spotify", "ZONE A0-audience-timeline.csv");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\n2025-06-09,", "\n2025-06-09,1", StringComparison.Ordinal));
        _lake.Now = _lake.Now.AddDays(1);
        var run = _lake.Run();

        // Then the new content is a second raw version, and its rows still carry the artist, which
        // only the name the file was landed under says (the raw copy is named ...timeline.v2.csv)
        Assert.Equal(1, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.Equal(0, run.Step(BedrotPipeline.StagePlatformStep).Counts["rows_rejected"]);
        var unified = _lake.UnifiedRows().Where(r => r["source"] == "spotify_for_artists" && r["artist_name"] == "ZONE A0").ToList();
        var revised = Assert.Single(unified, r => r["date"] == "2025-06-09");
        Assert.Equal("ZONE A0-audience-timeline.v2.csv", revised["source_file"]);
        Assert.Equal(70, unified.Count);
    }

    [Fact]
    public void Should_Take_The_Latest_Correction_Even_After_Nine_Earlier_Ones()
    {
        // Given a built lake
        _lake.Run();
        var path = Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250610_090000.json");

        // When the 2025-06-10 reply lands again nine times, a day apart, each time with 2025-05-29 corrected once more
        for (var version = 2; version <= 10; version++)
        {
            _lake.Now = _lake.Now.AddDays(1);
            var reply = JObject.Parse(File.ReadAllText(path));
            reply["streams"]!.Single(e => (string?)e["date"] == "2025-05-29")!["streams"] = (1350 + version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            File.WriteAllText(path, reply.ToString());
            _lake.Run();
        }

        // Then the tenth version is in raw, and its value, the last one landed, is the day's value
        Assert.True(File.Exists(_lake.InLake("raw/toolost/spotify/2025/06/toolost_spotify_20250610_090000.v10.json")));
        var day = _lake.UnifiedDays("toolost", "spotify")["2025-05-29"];

        // Versions share the capture time of their name: the version number, not the text of the
        // path (where ".v10.json" sorts before ".v9.json"), decides which is newest.
        Assert.Equal("toolost_spotify_20250610_090000.v10.json", day["source_file"]);
        Assert.Equal("1360", day["streams"]);
    }

    [Fact]
    public void Should_Rerun_Nothing_When_Only_A_Schema_Description_Changes()
    {
        // Given a built lake
        _lake.Run();

        // When only prose in the TooLost Spotify schema changes
        _lake.EditSchema("staging/toolost_spotify.json", schema =>
        {
            schema["description"] = "Reworded.";
            schema["fields"]![4]!["description"] = "Also reworded.";
        });
        var run = _lake.Run();

        // Then nothing runs
        Assert.Equal(0, run.ItemsRun);
    }

    [Fact]
    public void Should_Restage_Only_The_Audience_Files_When_Their_Schema_Tightens()
    {
        // Given a built lake
        _lake.Run();
        var staging = _lake.Snapshot("staging/social_media");
        var unified = _lake.Snapshot("staging/cross_platform");

        // When the audience schema gets a maximum no sample row exceeds
        _lake.EditSchema("staging/spotify_audience.json", schema =>
        {
            var listeners = schema["fields"]!.Single(f => (string?)f["name"] == "listeners")!;
            listeners["constraints"]!["maximum"] = 1_000_000;
        });
        var run = _lake.Run(explain: true);

        // Then the two audience downloads are restaged, for that reason, and nothing else is
        var stage = run.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal(2, stage.ItemsRun);
        Assert.Equal(11, stage.ItemsSkipped);
        Assert.Equal([AudiencePig, AudienceZone], stage.Reasons.Keys.Order(StringComparer.Ordinal));
        Assert.All(stage.Reasons.Values, reason => Assert.Equal("schema staging/spotify_audience.json changed", reason));
        Assert.Equal(0, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
        Assert.Equal("schema staging/spotify_audience.json changed", run.Step(BedrotPipeline.UnifyStep).Reasons["streaming_unified"]);

        // And, the new limit keeping every row, every output is what it was
        Assert.Equal(staging.Keys, _lake.LakeFiles("staging/social_media"));
        Assert.All(_lake.Snapshot("staging/social_media"), file => Assert.Equal(staging[file.Key], file.Value));
        Assert.All(_lake.Snapshot("staging/cross_platform"), file => Assert.Equal(unified[file.Key], file.Value));
    }

    [Fact]
    public void Should_Move_Rows_Over_A_New_Limit_To_Rejects_And_Out_Of_Unified()
    {
        // Given a built lake, and the few ZONE A0 days with more than 855 listeners (PIG1987 has none)
        _lake.Run();
        var over = _lake.SpotifyCsv("ZONE A0-audience-timeline.csv", "listeners").Where(d => d.Value > 855).Select(d => d.Date).ToList();
        Assert.Equal(3, over.Count);
        Assert.DoesNotContain(_lake.SpotifyCsv("PIG1987-audience-timeline.csv", "listeners"), d => d.Value > 855);

        // When the audience schema caps listeners at 855
        _lake.EditSchema("staging/spotify_audience.json", schema =>
            schema["fields"]!.Single(f => (string?)f["name"] == "listeners")!["constraints"]!["maximum"] = 855);
        var run = _lake.Run();

        // Then those rows are maximum-rule rejects, and unified no longer has those ZONE A0 days
        var rejects = _lake.LakeFiles("staging/_rejects").Where(f => f.Contains("zone-a0-audience", StringComparison.Ordinal)).ToList();
        var rows = _lake.LakeCsv(Assert.Single(rejects));
        Assert.Equal(over.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal("listeners", r["field"]));
        Assert.All(rows, r => Assert.Equal("maximum", r["rule"]));
        Assert.Equal(over.Count + 1, run.Step(BedrotPipeline.StagePlatformStep).Counts["rows_rejected"]); // and PIG1987's unknown streams
        var zone = _lake.UnifiedRows().Where(r => r["artist_name"] == "ZONE A0").Select(r => r["date"]).ToList();
        Assert.Equal(70 - over.Count, zone.Count);
        Assert.Empty(zone.Intersect(over));
        Assert.All(_lake.ControlTotals(), t => Assert.Equal("ok", t["status"]));
    }

    [Fact]
    public void Should_Revalidate_Only_The_Files_A_Changed_Raw_Contract_Can_Claim()
    {
        // Given a built lake
        _lake.Run();

        // When the TooLost Spotify contract gains a harmless property
        _lake.EditSchema("raw/toolost_spotify.schema.json", schema =>
            schema["properties"]!["label"] = new JObject { ["type"] = "string" });
        var run = _lake.Run(explain: true);

        // Then the files named like a Spotify reply are validated again, and no other
        var raw = run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(
            [
                "toolost/toolost_analytics_20250612_080000.json",
                "toolost/toolost_spotify_20250601_091500.json",
                "toolost/toolost_spotify_20250610_090000.json",
            ],
            raw.Reasons.Keys.Order(StringComparer.Ordinal));
        Assert.All(raw.Reasons.Values, reason => Assert.Equal("schema raw/toolost_spotify.schema.json changed", reason));
        Assert.Equal(9, raw.ItemsSkipped);
        Assert.Equal(3, raw.Counts["already_in_raw"]);

        // And, the raw copies being the same, nothing is restaged
        Assert.Equal(0, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.Equal(0, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
    }

    [Theory]
    [InlineData("staging/toolost/spotify/toolost_spotify_staging_20250610_090000.csv",
        "raw/toolost/spotify/2025/06/toolost_spotify_20250610_090000.json")]
    [InlineData("staging/toolost/apple_tracks/toolost_apple_tracks_staging_20250601_091500.csv",
        "raw/toolost/apple/2025/06/toolost_apple_20250601_091500.json -> apple_tracks")]
    public void Should_Rebuild_A_Staging_File_That_Went_Missing(string output, string item)
    {
        // Given a built lake whose staging file was deleted
        _lake.Run();
        var bytes = File.ReadAllBytes(_lake.InLake(output));
        File.Delete(_lake.InLake(output));

        // When the build runs
        var run = _lake.Run(explain: true);

        // Then that item alone is restaged for that reason, with the same bytes
        var stage = run.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal(1, stage.ItemsRun);
        Assert.Equal($"output missing ({output})", stage.Reasons[item]);
        Assert.Equal(bytes, File.ReadAllBytes(_lake.InLake(output)));

        // And nothing downstream changed, so nothing downstream runs
        Assert.Equal(0, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
        Assert.Equal(0, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
    }

    [Fact]
    public void Should_Rerun_Everything_When_Forced_And_Write_The_Same_Bytes()
    {
        // Given a built lake
        _lake.Run();
        var staging = _lake.Snapshot("staging");
        var quarantine = _lake.Snapshot("quarantine");

        // When forced
        var run = _lake.Run(force: true);

        // Then every item of every step runs
        Assert.All(run.Report.Steps, step => Assert.Equal(0, step.ItemsSkipped));
        Assert.Equal(12, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
        Assert.Equal(13, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.Equal(1, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
        Assert.Equal(1, run.Step(BedrotPipeline.QualityReportStep).ItemsRun);
        Assert.Equal(11, run.Step(BedrotPipeline.ValidateRawStep).Counts["already_in_raw"]);
        Assert.Equal(1, run.Step(BedrotPipeline.ValidateRawStep).Counts["quarantined"]);

        // And the raw zone gains no version, and the data in staging and quarantine is byte for byte the same
        // (the quality log, which records each run's outcomes, now says already_in_raw)
        Assert.Equal(11, _lake.LakeFiles("raw").Count(f => !f.EndsWith(".lineage.json", StringComparison.Ordinal) && !f.EndsWith(".jsonl", StringComparison.Ordinal)));
        Assert.Equal(staging.Keys, _lake.Snapshot("staging").Keys);
        Assert.All(_lake.Snapshot("staging").Where(f => !f.Key.StartsWith("staging/quality_reports/", StringComparison.Ordinal)),
            file => Assert.Equal(staging[file.Key], file.Value));
        Assert.All(_lake.Snapshot("quarantine"), file => Assert.Equal(quarantine[file.Key], file.Value));
        Assert.Contains("outcome=already_in_raw", File.ReadAllText(_lake.InLake("staging/quality_reports/transformation_log_20250802.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Give_Byte_Identical_Staging_Trees_For_The_Same_Inputs()
    {
        // Given two lakes built from the same inputs at the same time
        using var other = new TempLake("toolost", "spotify");
        _lake.Run();
        other.Run();

        // Then every staging output is byte for byte the same
        var files = _lake.LakeFiles("staging").ToList();
        Assert.Equal(files, other.LakeFiles("staging").ToList());
        Assert.All(files, file => Assert.Equal(File.ReadAllBytes(_lake.InLake(file)), File.ReadAllBytes(other.InLake(file))));
        Assert.Contains(files, f => f.StartsWith("staging/toolost/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("staging/social_media/spotify/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("staging/_rejects/", StringComparison.Ordinal));
    }
}
