using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>What one build of the TooLost and Spotify for Artists samples leaves in each zone.</summary>
public sealed class StreamingSourcesTests : IDisposable
{
    private const string Malformed = "toolost_apple_20250605_070000.json";

    private readonly TempLake _lake = new("toolost", "spotify");
    private readonly BedrotRun _run;

    public StreamingSourcesTests() => _run = _lake.Run();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Account_For_Every_Landing_File()
    {
        // Then every landing file is promoted or quarantined, and the run says how many of each
        var landing = Directory.GetFiles(_lake.Landing, "*", SearchOption.AllDirectories);
        var raw = _run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(12, landing.Length);
        Assert.Equal(landing.Length, raw.ItemsRun);
        Assert.Equal(11, raw.Counts["promoted"]);
        Assert.Equal(1, raw.Counts["quarantined"]);

        // And the ledger holds one promotion per valid file, under the platform and datatype it was recognised as
        var ledger = Ledger.Load(_lake.InLake("raw/_ledger.jsonl"));
        Assert.Empty(ledger.Problems);
        Assert.Equal(11, ledger.Entries.Count(e => e.Event == LedgerEntry.Promoted));
        Assert.Equal(4, ledger.Entries.Count(e => e.Platform == "toolost"));
        Assert.Equal(7, ledger.Entries.Count(e => e.Platform == "spotify"));
        Assert.Equal("raw/toolost/spotify/2025/06/toolost_analytics_20250612_080000.json",
            ledger.Entries.Single(e => e.Source == "toolost/toolost_analytics_20250612_080000.json").RawPath);
        Assert.DoesNotContain(ledger.Entries, e => e.Source.EndsWith(Malformed, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Quarantine_The_Malformed_Apple_Reply_Naming_Both_Breaks()
    {
        // Then the reply whose totalStreams is an object and whose second track has no ISRC sits in quarantine
        var copy = _lake.InLake($"quarantine/toolost/{Malformed}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(_lake.Landing, "toolost", Malformed)), File.ReadAllBytes(copy));
        Assert.Equal([$"quarantine/toolost/{Malformed}", $"quarantine/toolost/{Malformed}.reason.json"], _lake.LakeFiles("quarantine"));

        // And its reason names both places by their JSON path
        var reason = JObject.Parse(File.ReadAllText(copy + ".reason.json"));
        Assert.Equal("toolost", (string?)reason["platform"]);
        Assert.Equal("apple", (string?)reason["datatype"]);
        Assert.Equal($"toolost/{Malformed}", (string?)reason["file"]);
        var where = ((JArray)reason["problems"]!).Select(p => (string)p["where"]!).ToList();
        Assert.Contains(where, w => w.StartsWith("$.totalStreams", StringComparison.Ordinal));
        Assert.Contains(where, w => w.StartsWith("$.tracksTotal[1]", StringComparison.Ordinal));
        Assert.Equal(2, where.Count);

        // And nothing of it reached raw or staging
        Assert.DoesNotContain(_lake.LakeFiles("raw"), f => f.Contains("20250605_070000", StringComparison.Ordinal));
        Assert.DoesNotContain(_lake.LakeFiles("staging"), f => f.Contains("20250605_070000", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Stage_Each_TooLost_Dataset_With_Every_Row_Of_Its_Reply()
    {
        // Then each TooLost reply feeds its datasets, one row per series entry
        string[] expected =
        [
            "staging/toolost/analytics/toolost_analytics_staging_20250601_091500.csv",
            "staging/toolost/apple_countries/toolost_apple_countries_staging_20250601_091500.csv",
            "staging/toolost/apple_tracks/toolost_apple_tracks_staging_20250601_091500.csv",
            "staging/toolost/spotify/toolost_spotify_staging_20250601_091500.csv",
            "staging/toolost/spotify/toolost_spotify_staging_20250610_090000.csv",
            "staging/toolost/spotify/toolost_spotify_staging_20250612_080000.csv",
        ];
        Assert.Equal(expected, _lake.LakeFiles("staging/toolost"));

        Assert.Equal(41, _lake.LakeCsv(expected[3]).Count); // 31 streams + 10 discovery
        Assert.Equal(39, _lake.LakeCsv(expected[4]).Count); // 31 streams + 8 discovery
        Assert.Equal(15, _lake.LakeCsv(expected[5]).Count); // 11 streams + 4 discovery
        var analytics = _lake.LakeCsv(expected[0]);
        Assert.Equal(31, analytics.Count(r => r["measure"] == "streams"));
        Assert.Equal(31, analytics.Count(r => r["measure"] == "shazams"));
        Assert.Equal(4, _lake.LakeCsv(expected[2]).Count);
        Assert.Equal(5, _lake.LakeCsv(expected[1]).Count);

        // And the counts match the replies themselves
        foreach (var (file, json) in _lake.TooLostReplies().Where(r => r.File != Malformed && r.Json["streams"] is JArray))
        {
            var staged = _lake.LakeCsv($"staging/toolost/spotify/toolost_spotify_staging_{Path.GetFileNameWithoutExtension(file)[^15..]}.csv");
            Assert.Equal(((JArray)json["streams"]!).Count, staged.Count(r => r["series"] == "streams"));
            Assert.Equal(((JArray)json["discovery"]!).Count, staged.Count(r => r["series"] == "discovery"));
            Assert.All(staged, r => Assert.Equal(file, r["source_file"]));
        }

        var stage = _run.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal(13, stage.ItemsRun);
        Assert.Equal(1, stage.Counts["rows_rejected"]);
    }

    [Fact]
    public void Should_Reject_The_Audience_Row_With_Unknown_Streams_With_Its_Line()
    {
        // Then the PIG1987 row with an empty streams cell is a required-rule reject at its line
        var rejectsFile = Assert.Single(_lake.LakeFiles("staging/_rejects"));
        Assert.Matches(@"^staging/_rejects/spotify_audience_rejects_20250802_060000_pig1987-audience-timeline-[0-9a-f]+\.csv$", rejectsFile);
        var reject = Assert.Single(_lake.LakeCsv(rejectsFile));
        Assert.Equal("required", reject["rule"]);
        Assert.Equal("streams", reject["field"]);
        Assert.Equal("line 18", reject["locator"]); // 5/17/2025 is the 17th data line, after the header
        Assert.Equal(string.Empty, reject["value"]);
        Assert.Equal("raw/spotify/audience/2025/08/PIG1987-audience-timeline.csv", reject["source_file"]);

        // And that day is absent from unified, not a zero
        var pig = _lake.UnifiedRows().Where(r => r["artist_name"] == "PIG1987").ToList();
        Assert.DoesNotContain(pig, r => r["date"] == "2025-05-17");
        Assert.Equal(39, pig.Count);
    }

    [Fact]
    public void Should_Take_Each_TooLost_Spotify_Day_From_The_Newest_Reply_That_Has_It()
    {
        // Given the value of each day in the newest TooLost Spotify reply having it
        var expected = _lake.NewestPerDay("streams");
        Assert.Equal(StreamingSamples.Days("2025-05-01", "2025-06-11"), expected.Keys);

        // Then unified has exactly one toolost spotify row per day, with that value and file
        var unified = _lake.UnifiedDays("toolost", "spotify");
        Assert.Equal(expected.Keys, unified.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, day =>
        {
            Assert.Equal(day.Value.Streams, StreamingSamples.Long(unified[day.Key]["streams"]));
            Assert.Equal(day.Value.File, unified[day.Key]["source_file"]);
        });

        // And the revised end of May comes from the later reply, the last two days from the analytics save
        Assert.Equal(1347, StreamingSamples.Long(unified["2025-05-29"]["streams"]));
        Assert.Equal(1208, StreamingSamples.Long(unified["2025-05-30"]["streams"]));
        Assert.Equal(1119, StreamingSamples.Long(unified["2025-05-31"]["streams"]));
        Assert.Equal("toolost_spotify_20250610_090000.json", unified["2025-05-29"]["source_file"]);
        Assert.Equal("toolost_analytics_20250612_080000.json", unified["2025-06-10"]["source_file"]);
        Assert.Equal("toolost_analytics_20250612_080000.json", unified["2025-06-11"]["source_file"]);
        Assert.Equal("toolost_spotify_20250601_091500.json", unified["2025-05-09"]["source_file"]);
    }

    [Fact]
    public void Should_Not_Add_Discovery_Streams_To_The_Day()
    {
        // Given a day with Discovery Mode streams in the reply that wins it
        var streams = _lake.Series("toolost_spotify_20250601_091500.json", "streams");
        var discovery = _lake.Series("toolost_spotify_20250601_091500.json", "discovery");
        var day = discovery.Keys.Order(StringComparer.Ordinal).First(d => string.CompareOrdinal(d, "2025-05-10") < 0);

        // Then the unified day is the streams series alone
        Assert.True(discovery[day] > 0);
        Assert.Equal(streams[day], StreamingSamples.Long(_lake.UnifiedDays("toolost", "spotify")[day]["streams"]));
    }

    [Fact]
    public void Should_Take_Apple_Music_Days_From_Total_Streams_Only()
    {
        // Given the daily totalStreams of the valid Apple reply (the malformed one is quarantined)
        var reply = _lake.TooLostReplies().Single(r => r.File == "toolost_apple_20250601_091500.json").Json;
        var streams = _lake.Series("toolost_apple_20250601_091500.json", "totalStreams");
        var shazams = _lake.Series("toolost_apple_20250601_091500.json", "totalShazam");

        // Then unified has one toolost apple_music row per day of May with totalStreams' value
        var unified = _lake.UnifiedDays("toolost", "apple_music");
        Assert.Equal(StreamingSamples.Days("2025-05-01", "2025-05-31"), unified.Keys.Order(StringComparer.Ordinal));
        Assert.All(streams, day => Assert.Equal(day.Value, StreamingSamples.Long(unified[day.Key]["streams"])));
        Assert.All(unified.Values, r => Assert.Equal("toolost_apple_20250601_091500.json", r["source_file"]));
        Assert.Equal((long)reply["streamTotal"]!, unified.Values.Sum(r => StreamingSamples.Long(r["streams"])));

        // And the malformed reply's single 2025-06-01 value is nowhere
        Assert.DoesNotContain("2025-06-01", unified.Keys);

        // And Shazam lookups stay in staging: no unified row carries them, alone or added
        Assert.True(shazams.Values.Sum() > 0);
        Assert.Equal(31, _lake.LakeCsv("staging/toolost/analytics/toolost_analytics_staging_20250601_091500.csv").Count(r => r["measure"] == "shazams"));
        Assert.DoesNotContain(_lake.UnifiedRows(), r => r["source_file"] == "toolost_apple_20250601_091500.json" && r["platform"] != "apple_music");
        var appleTotal = _lake.ControlTotals().Single(t => t["source"] == "toolost" && t["platform"] == "apple_music");
        Assert.Equal(streams.Values.Sum(), StreamingSamples.Long(appleTotal["staging_streams"]));
        Assert.Equal(streams.Values.Sum(), StreamingSamples.Long(appleTotal["unified_streams"]));
    }

    [Theory]
    [InlineData("ZONE A0-audience-timeline.csv", "ZONE A0", 70)]
    [InlineData("PIG1987-audience-timeline.csv", "PIG1987", 39)]
    public void Should_Unify_Audience_Timelines_Per_Artist_With_The_Downloaded_Values(string file, string artist, int days)
    {
        // Given the downloaded days with a known streams value
        var expected = _lake.SpotifyCsv(file, "streams").Where(d => d.Value is not null).ToDictionary(d => d.Date, d => d.Value!.Value);

        // Then unified holds each as a spotify_for_artists row of that artist, name as written
        var rows = _lake.UnifiedRows().Where(r => r["source"] == "spotify_for_artists" && r["artist_name"] == artist).ToList();
        Assert.Equal(days, expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rows.Select(r => r["date"]));
        Assert.All(rows, r =>
        {
            Assert.Equal(expected[r["date"]], StreamingSamples.Long(r["streams"]));
            Assert.Equal("spotify", r["platform"]);
            Assert.Equal("day", r["grain"]);
            Assert.Equal(artist.ToLowerInvariant(), r["artist_key"]);
            Assert.Equal(string.Empty, r["track_name"]);
            Assert.Equal(file, r["source_file"]);
        });
    }

    [Theory]
    [InlineData("Midnight Drive-timeline-1year.csv", "Midnight Drive", "2025-05-01", "2025-06-09")]
    [InlineData("Sólveig-timeline.csv", "Sólveig", "2025-05-20", "2025-06-09")]
    public void Should_Unify_Song_Timelines_Per_Track_With_The_Downloaded_Values(string file, string track, string first, string last)
    {
        // Given the downloaded days of one song
        var expected = _lake.SpotifyCsv(file, "streams").ToDictionary(d => d.Date, d => d.Value!.Value);
        Assert.Equal(StreamingSamples.Days(first, last), expected.Keys.Order(StringComparer.Ordinal));

        // Then unified holds each as a spotify_for_artists row of that track, name as written
        var rows = _lake.UnifiedRows().Where(r => r["source"] == "spotify_for_artists" && r["track_name"] == track).ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rows.Select(r => r["date"]));
        Assert.All(rows, r =>
        {
            Assert.Equal(expected[r["date"]], StreamingSamples.Long(r["streams"]));
            Assert.Equal("spotify", r["platform"]);
            Assert.Equal(string.Empty, r["artist_name"]);
            Assert.Equal(file, r["source_file"]);
        });
    }

    [Fact]
    public void Should_Hold_Only_The_Expected_Sources_In_Unified()
    {
        // Then unified is exactly the TooLost series and the Spotify for Artists timelines
        var groups = _lake.UnifiedRows().GroupBy(r => (r["source"], r["platform"], r["grain"])).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, groups.Count);
        Assert.Equal(42, groups[("toolost", "spotify", "day")]);
        Assert.Equal(31, groups[("toolost", "apple_music", "day")]);
        Assert.Equal(70 + 39 + 40 + 21, groups[("spotify_for_artists", "spotify", "day")]);

        // And two sources never collided, so precedence set nothing aside
        Assert.Empty(_lake.PrecedenceRows());
        Assert.Equal(0, _run.Step(BedrotPipeline.UnifyStep).Counts["removed.source_precedence"]);
    }

    [Fact]
    public void Should_Reconcile_Control_Totals_For_Every_Group()
    {
        // Then every source, platform and month reconciles between staging and unified
        var totals = _lake.ControlTotals();
        Assert.Equal(6, totals.Count);
        Assert.All(totals, t => Assert.Equal("ok", t["status"]));

        // And the TooLost Spotify totals are the newest-reply values, month by month
        var expected = _lake.NewestPerDay("streams");
        foreach (var month in new[] { "2025-05", "2025-06" })
        {
            var total = totals.Single(t => t["source"] == "toolost" && t["platform"] == "spotify" && t["month"] == month);
            var sum = expected.Where(d => d.Key.StartsWith(month, StringComparison.Ordinal)).Sum(d => d.Value.Streams);
            Assert.Equal(sum, StreamingSamples.Long(total["unified_streams"]));
            Assert.Equal(sum, StreamingSamples.Long(total["staging_streams"]));
            Assert.Equal(0, StreamingSamples.Long(total["superseded_streams"]));
        }
    }
}
