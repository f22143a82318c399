using System.Globalization;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using static Bedrot.DataLake.Tests.Support.SocialSamples;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>What one build of the TikTok Studio samples leaves in each zone, stated from the samples themselves.</summary>
public sealed class TikTokTests : IDisposable
{
    private const string January = "Overview_2025-01-05_1736071200_bedrotrecords.zip";
    private const string Later = "Overview_2025-01-12_1736674200_bedrotrecords.zip";
    private const string Spanish = "Overview_2025-03-10_1741632300_zonea0.official.zip";
    private const string AnalyticsFolder = "staging/tiktok/analytics";

    private readonly TempLake _lake = new("tiktok");
    private readonly BedrotRun _run;

    public TikTokTests() => _run = _lake.Run();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Promote_Each_Zip_Whole_With_Its_Export_Moment()
    {
        // Then each ZIP sits in raw byte for byte, in the month of its export, extracted at the epoch in its name
        var ledger = Ledger.Load(_lake.InLake("raw/_ledger.jsonl"));
        foreach (var (zip, month, extracted) in new[]
                 {
                     (January, "2025/01", "2025-01-05T10:00:00Z"), (Later, "2025/01", "2025-01-12T09:30:00Z"), (Spanish, "2025/03", "2025-03-10T18:45:00Z"),
                 })
        {
            var entry = Assert.Single(ledger.Entries, e => e.Source == $"tiktok/{zip}");
            Assert.Equal($"raw/tiktok/analytics/{month}/{zip}", entry.RawPath);
            Assert.Equal(extracted, entry.ExtractedAt);
            Assert.Equal(File.ReadAllBytes(Path.Combine(_lake.Landing, "tiktok", zip)), File.ReadAllBytes(_lake.InLake(entry.RawPath)));
        }

        Assert.Equal(4, _run.Step(BedrotPipeline.ValidateRawStep).Counts["promoted"]);
        Assert.Empty(_lake.LakeFiles("quarantine"));
    }

    [Fact]
    public void Should_Stage_Every_Overview_Day_With_Its_Year_Resolved_Across_New_Year()
    {
        // Given the first export's Overview, written without years, and its export date
        var sheet = _lake.Sheet(January, "Overview.csv");
        var expected = sheet.Select(r => StudioDay(r["Date"], new DateOnly(2025, 1, 5))).ToList();

        // When its staging file is read
        var staged = _lake.LakeCsv($"{AnalyticsFolder}/tiktok_analytics_staging_2025-01-05_1736071200_bedrotrecords.csv");

        // Then there is one row per sheet row, November and December in 2024, January in 2025, and the missing day stays missing
        Assert.Equal(expected, staged.Select(r => r["date"]));
        Assert.Contains("2024-11-07", expected);
        Assert.Contains("2025-01-01", expected);
        Assert.DoesNotContain("2024-12-25", expected);
        Assert.All(staged, r => Assert.Equal("bedrotrecords", r["account"]));
    }

    [Fact]
    public void Should_Stage_Spanish_Days()
    {
        // Given the Spanish-language export (8 de marzo ...)
        var sheet = _lake.Sheet(Spanish, "Overview.csv");
        Assert.Contains(sheet, r => r["Date"] == "8 de marzo");

        // When its staging file is read
        var staged = _lake.LakeCsv($"{AnalyticsFolder}/tiktok_analytics_staging_2025-03-10_1741632300_zonea0.official.csv");

        // Then every day is resolved, each view count carried over
        Assert.Equal(sheet.Select(r => (StudioDay(r["Date"], new DateOnly(2025, 3, 10)), r["Video Views"])),
            staged.Select(r => (r["date"], r["video_views"])));
    }

    [Fact]
    public void Should_Leave_Undefined_Values_Empty_And_Derive_Engagement_Only_From_Known_Parts()
    {
        // Given the first export's rows, some with undefined
        var sheet = _lake.Sheet(January, "Overview.csv");
        var staged = _lake.LakeCsv($"{AnalyticsFolder}/tiktok_analytics_staging_2025-01-05_1736071200_bedrotrecords.csv");
        Assert.Contains(sheet, r => r.ContainsValue("undefined"));

        foreach (var (raw, row) in sheet.Zip(staged))
        {
            // Then undefined became an empty value, never 0
            Assert.Equal(raw["Likes"] == "undefined" ? string.Empty : raw["Likes"], row["likes"]);
            Assert.Equal(raw["Video Views"] == "undefined" ? string.Empty : raw["Video Views"], row["video_views"]);

            // And engagement_rate is (likes + comments + shares) / views when all are known and views are not 0, else empty
            var parts = new[] { raw["Likes"], raw["Comments"], raw["Shares"], raw["Video Views"] };
            if (parts.Contains("undefined") || raw["Video Views"] == "0")
            {
                Assert.Equal(string.Empty, row["engagement_rate"]);
                continue;
            }

            var engagements = parts.Take(3).Sum(p => long.Parse(p, CultureInfo.InvariantCulture));
            Assert.Equal(engagements.ToString(CultureInfo.InvariantCulture), row["engagements"]);
            Assert.Equal(Math.Round((decimal)engagements / long.Parse(raw["Video Views"], CultureInfo.InvariantCulture), 6),
                decimal.Parse(row["engagement_rate"], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Should_Keep_Negative_Follower_Changes()
    {
        // Given the follower history of the first export, which has days that lost followers
        var sheet = _lake.Sheet(January, "FollowerHistory.csv");
        Assert.Contains(sheet, r => r["Difference in followers from previous day"].StartsWith('-'));

        // When its staging file is read
        var staged = _lake.LakeCsv($"{AnalyticsFolder}/tiktok_followers_staging_2025-01-05_1736071200_bedrotrecords.csv");

        // Then each change is kept with its sign
        Assert.Equal(sheet.Select(r => r["Difference in followers from previous day"]), staged.Select(r => r["follower_change"]));
    }

    [Fact]
    public void Should_Unify_The_Newest_Export_Per_Day_And_Reconcile_With_The_Raw_Sheets()
    {
        // Given, for each day, the video views of the newest export that has a value for the day (undefined is no value)
        var newest = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (zip, exported) in new[] { (January, new DateOnly(2025, 1, 5)), (Later, new DateOnly(2025, 1, 12)) })
        {
            foreach (var row in _lake.Sheet(zip, "Overview.csv"))
            {
                var day = StudioDay(row["Date"], exported);
                if (row["Video Views"] != "undefined")
                {
                    newest[day] = decimal.Parse(row["Video Views"], CultureInfo.InvariantCulture);
                }
            }
        }

        // When the unified dataset is read
        var unified = _lake.SocialMetric("tiktok", "bedrotrecords", "video_views");

        // Then it holds exactly those days and values: the revised days of the later export won, and totals reconcile
        Assert.Equal(newest, new SortedDictionary<string, decimal>(unified, StringComparer.Ordinal));
        Assert.Equal(newest.Values.Sum(), unified.Values.Sum());
        var totals = _lake.LakeCsv(_lake.CrossPlatformFile("social_media_unified_control_totals_"));
        Assert.All(totals, t => Assert.Equal("ok", t["status"]));
        Assert.Equal(newest.Values.Sum(), totals.Where(t => t["account"] == "bedrotrecords" && t["metric"] == "video_views")
            .Sum(t => decimal.Parse(t["unified_value"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Should_Put_No_Row_In_The_Unified_Dataset_For_An_Undefined_Value()
    {
        // Given the day whose views the newest export left undefined
        var undefinedDay = _lake.Sheet(Later, "Overview.csv").Single(r => r["Video Views"] == "undefined");
        var day = StudioDay(undefinedDay["Date"], new DateOnly(2025, 1, 12));

        // When the unified dataset is read
        var views = _lake.SocialMetric("tiktok", "bedrotrecords", "video_views");
        var likes = _lake.SocialMetric("tiktok", "bedrotrecords", "likes");

        // Then that day has no video_views row, while its known likes are there
        Assert.DoesNotContain(day, views.Keys);
        Assert.Equal(decimal.Parse(undefinedDay["Likes"], CultureInfo.InvariantCulture), likes[day]);
    }

    [Fact]
    public void Should_Skip_Every_Step_On_A_Second_Run()
    {
        // When the build runs again on the same landing
        var second = _lake.Run();

        // Then nothing runs
        Assert.All(second.Report.Steps, step => Assert.Equal(0, step.ItemsRun));
        Assert.Equal(4, second.Step(BedrotPipeline.ValidateRawStep).ItemsSkipped);
    }
}
