using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;
using Serilog;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>
/// Rule 3 of unify: when two sources report the same day, platform and key, the source listed first
/// in the <c>sourcePrecedence</c> of <c>schemas/staging/streaming_unified.json</c> wins.
/// </summary>
public sealed class SourcePrecedenceTests
{
    private const string DefaultOrder = "spotify_for_artists, toolost, distrokid_stats_page, distrokid_bank";

    [Theory]
    [InlineData("spotify", "staging/distrokid/streams", "streams")]
    [InlineData("apple_music", "staging/distrokid/applemusic", "totalStreams")]
    public void Should_Keep_TooLost_Over_The_Stats_Page_On_Shared_Days(string platform, string pageFolder, string tooLostSeries)
    {
        // Given a lake built from every sample
        using var lake = new TempLake();
        lake.Run();

        // And what each source says per day: the newest page snapshot, the newest TooLost reply
        var page = NewestPageDays(lake, pageFolder);
        var tooLost = tooLostSeries == "streams"
            ? lake.NewestPerDay("streams").ToDictionary(d => d.Key, d => d.Value.Streams, StringComparer.Ordinal)
            : lake.Series("toolost_apple_20250601_091500.json", "totalStreams");
        var shared = page.Keys.Intersect(tooLost.Keys).Order(StringComparer.Ordinal).ToList();
        var pageOnly = page.Keys.Except(tooLost.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(StreamingSamples.Days("2025-05-01", "2025-05-31"), shared);
        Assert.Contains("2025-03-15", pageOnly);

        // Then on a shared day unified keeps the toolost row only
        var unifiedPage = lake.UnifiedDays("distrokid_stats_page", platform);
        var unifiedTooLost = lake.UnifiedDays("toolost", platform);
        Assert.All(shared, day =>
        {
            Assert.DoesNotContain(day, unifiedPage.Keys);
            Assert.Equal(tooLost[day], StreamingSamples.Long(unifiedTooLost[day]["streams"]));
        });

        // And the precedence file lists each set-aside page row with its streams and snapshot
        var setAside = lake.PrecedenceRows().Where(r => r["platform"] == platform).ToList();
        Assert.Equal(shared, setAside.Select(r => r["date"]));
        Assert.All(setAside, row =>
        {
            Assert.Equal("day", row["grain"]);
            Assert.Equal("toolost", row["kept_source"]);
            Assert.Equal(tooLost[row["date"]], StreamingSamples.Long(row["kept_streams"]));
            Assert.Equal("distrokid_stats_page", row["set_aside_source"]);
            Assert.Equal(page[row["date"]].Streams, StreamingSamples.Long(row["set_aside_streams"]));
            Assert.Equal(page[row["date"]].File, row["set_aside_source_file"]);
        });

        // And a day only the page has keeps the page's row and value
        Assert.Equal(pageOnly, unifiedPage.Keys.Order(StringComparer.Ordinal));
        Assert.All(pageOnly, day => Assert.Equal(page[day].Streams, StreamingSamples.Long(unifiedPage[day]["streams"])));
        Assert.Equal(page["2025-03-15"].Streams, StreamingSamples.Long(unifiedPage["2025-03-15"]["streams"]));
        Assert.DoesNotContain("2025-03-15", unifiedTooLost.Keys);
    }

    [Fact]
    public void Should_Reconcile_What_Precedence_Set_Aside_In_The_Control_Totals()
    {
        // Given a lake built from every streaming sample
        using var lake = new TempLake("distrokid", "toolost", "spotify");
        var run = lake.Run();
        var totals = lake.ControlTotals();
        var setAside = lake.PrecedenceRows();

        // Then for the stats page, staging less superseded is unified, month by month
        var page = totals.Where(t => t["source"] == "distrokid_stats_page").ToList();
        Assert.Equal(6, page.Count);
        Assert.All(page, t => Assert.Equal(
            StreamingSamples.Long(t["staging_streams"]) - StreamingSamples.Long(t["superseded_streams"]),
            StreamingSamples.Long(t["unified_streams"])));

        // And what was superseded is what the precedence file lists, platform by platform
        foreach (var platform in new[] { "spotify", "apple_music" })
        {
            var superseded = page.Where(t => t["platform"] == platform).Sum(t => StreamingSamples.Long(t["superseded_streams"]));
            Assert.True(superseded > 0);
            Assert.Equal(setAside.Where(r => r["platform"] == platform).Sum(r => StreamingSamples.Long(r["set_aside_streams"])), superseded);
        }

        // And May, which TooLost covers entirely, is all superseded; the winners lose nothing
        Assert.All(page.Where(t => t["month"] == "2025-05"), t =>
        {
            Assert.Equal(t["staging_streams"], t["superseded_streams"]);
            Assert.Equal("0", t["unified_streams"]);
        });
        Assert.All(totals.Where(t => t["source"] != "distrokid_stats_page"), t => Assert.Equal("0", t["superseded_streams"]));
        Assert.All(totals, t => Assert.Equal("ok", t["status"]));
        Assert.Equal(setAside.Count, run.Step(BedrotPipeline.UnifyStep).Counts["removed.source_precedence"]);
        Assert.Equal(62, setAside.Count);
    }

    [Fact]
    public void Should_Flip_The_Winner_When_The_Stated_Order_Changes()
    {
        // Given a lake built with the shipped order
        using var lake = new TempLake("distrokid", "toolost");
        lake.Run();
        var before = lake.Snapshot("staging/cross_platform");
        var page = NewestPageDays(lake, "staging/distrokid/streams");
        var tooLost = lake.NewestPerDay("streams");

        // When the lake's schema ranks the stats page above TooLost
        lake.EditSchema("staging/streaming_unified.json", schema =>
            schema["sourcePrecedence"]!["order"] = new JArray("spotify_for_artists", "distrokid_stats_page", "toolost", "distrokid_bank"));
        var run = lake.Run(explain: true);

        // Then only unify reruns, saying the schema changed
        Assert.Equal(0, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
        Assert.Equal(0, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.Equal(1, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
        Assert.Contains("schema staging/streaming_unified.json changed", run.Step(BedrotPipeline.UnifyStep).Reasons["streaming_unified"], StringComparison.Ordinal);

        // And on every shared day the page's row is kept and TooLost's is set aside
        var shared = StreamingSamples.Days("2025-05-01", "2025-05-31");
        var unifiedPage = lake.UnifiedDays("distrokid_stats_page", "spotify");
        var unifiedTooLost = lake.UnifiedDays("toolost", "spotify");
        Assert.All(shared, day =>
        {
            Assert.Equal(page[day].Streams, StreamingSamples.Long(unifiedPage[day]["streams"]));
            Assert.DoesNotContain(day, unifiedTooLost.Keys);
        });
        Assert.Equal(StreamingSamples.Days("2025-06-01", "2025-06-11"), unifiedTooLost.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(lake.UnifiedDays("toolost", "apple_music")); // TooLost Apple Music covers May only

        var setAside = lake.PrecedenceRows().Where(r => r["platform"] == "spotify").ToList();
        Assert.Equal(shared, setAside.Select(r => r["date"]));
        Assert.All(setAside, row =>
        {
            Assert.Equal("distrokid_stats_page", row["kept_source"]);
            Assert.Equal("toolost", row["set_aside_source"]);
            Assert.Equal(tooLost[row["date"]].Streams, StreamingSamples.Long(row["set_aside_streams"]));
            Assert.Equal(tooLost[row["date"]].File, row["set_aside_source_file"]);
        });

        // And the control totals now put the superseded streams on TooLost, and still reconcile
        var totals = lake.ControlTotals();
        Assert.All(totals, t => Assert.Equal("ok", t["status"]));
        var mayTooLost = totals.Single(t => t["source"] == "toolost" && t["platform"] == "spotify" && t["month"] == "2025-05");
        Assert.Equal(mayTooLost["staging_streams"], mayTooLost["superseded_streams"]);
        Assert.All(totals.Where(t => t["source"] == "distrokid_stats_page"), t => Assert.Equal("0", t["superseded_streams"]));
        var unified = lake.CrossPlatformFile("streaming_unified_staging_");
        Assert.NotEqual(before[unified], File.ReadAllBytes(lake.InLake(unified)));
    }

    [Fact]
    public void Should_Restore_The_Same_Bytes_When_The_Order_Is_Put_Back()
    {
        // Given a lake built, rebuilt with another order, then given its shipped order back
        using var lake = new TempLake("distrokid", "toolost");
        lake.Run();
        var before = lake.Snapshot("staging/cross_platform");
        var shipped = File.ReadAllText(Path.Combine(lake.Schemas, "staging/streaming_unified.json"));
        lake.EditSchema("staging/streaming_unified.json", schema =>
            schema["sourcePrecedence"]!["order"] = new JArray("spotify_for_artists", "distrokid_stats_page", "toolost", "distrokid_bank"));
        lake.Run();
        File.WriteAllText(Path.Combine(lake.Schemas, "staging/streaming_unified.json"), shipped);

        // When it runs again
        var run = lake.Run();

        // Then unify reruns and writes what the first build wrote, byte for byte
        Assert.Equal(1, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
        Assert.Equal(before.Keys, lake.Snapshot("staging/cross_platform").Keys);
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(lake.InLake(file.Key))));
    }

    [Theory]
    [InlineData("\"=toolost\"", "\"=toolost_v2\"", "found =toolost_v2")]
    [InlineData("\"source\": \"=toolost\",", "", "found nothing")]
    public void Should_Refuse_A_Mapping_Whose_Source_Is_Not_Ranked(string from, string to, string found)
    {
        // Given the lake's TooLost mapping feeds streaming_unified under a source the schema does not rank
        using var lake = new TempLake("toolost");
        var mapping = Path.Combine(lake.Schemas, "mappings/toolost.json");
        var shipped = File.ReadAllText(mapping);
        Assert.Contains(from, shipped, StringComparison.Ordinal);
        File.WriteAllText(mapping, shipped.Replace(from, to, StringComparison.Ordinal));

        // When the lake is opened, Then it is refused naming the mapping file, the dataset and the allowed sources
        var error = Assert.Throws<LakeConfigurationException>(() =>
            BedrotPipeline.Open(lake.Options(), new FixedTime(lake.Now), new LoggerConfiguration().CreateLogger()));
        Assert.Contains("schemas/mappings/toolost.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("'spotify'", error.Message, StringComparison.Ordinal);
        Assert.Contains(DefaultOrder, error.Message, StringComparison.Ordinal);
        Assert.Contains(found, error.Message, StringComparison.Ordinal);

        // And nothing was built, and the lake is not left locked
        Assert.Empty(lake.LakeFiles("raw"));
        Assert.Empty(lake.LakeFiles("staging"));
        File.WriteAllText(mapping, shipped);
        Assert.Equal(5, lake.Run().Step(BedrotPipeline.ValidateRawStep).ItemsRun);
    }

    [Fact]
    public void Should_Refuse_A_Source_Removed_From_The_Stated_Order()
    {
        // Given the lake's schema no longer ranks toolost
        using var lake = new TempLake("toolost");
        lake.EditSchema("staging/streaming_unified.json", schema =>
            schema["sourcePrecedence"]!["order"] = new JArray("spotify_for_artists", "distrokid_stats_page", "distrokid_bank"));

        // When the lake is opened, Then it is refused naming the first mapping that uses it
        var error = Assert.Throws<LakeConfigurationException>(() =>
            BedrotPipeline.Open(lake.Options(), new FixedTime(lake.Now), new LoggerConfiguration().CreateLogger()));
        Assert.Contains("schemas/mappings/toolost.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("spotify_for_artists, distrokid_stats_page, distrokid_bank", error.Message, StringComparison.Ordinal);
        Assert.Contains("found =toolost", error.Message, StringComparison.Ordinal);
    }

    /// <summary>For each day of a stats page dataset, the streams in the newest snapshot having it, and that snapshot's page.</summary>
    private static Dictionary<string, (long Streams, string File)> NewestPageDays(TempLake lake, string folder)
    {
        var days = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var file in lake.LakeFiles(folder).Order(StringComparer.Ordinal))
        {
            foreach (var row in lake.LakeCsv(file))
            {
                days[row["date"]] = (StreamingSamples.Long(row["streams"]), row["source_file"]);
            }
        }

        Assert.NotEmpty(days);
        return days;
    }
}
