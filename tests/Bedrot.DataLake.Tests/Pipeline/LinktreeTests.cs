using System.Globalization;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>What one build of the Linktree captures leaves in staging and social_media_unified.</summary>
public sealed class LinktreeTests : IDisposable
{
    private readonly TempLake _lake = new("linktree");

    public LinktreeTests() => _lake.Run();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Keep_Every_Capture_Of_One_Second_Apart_And_Unify_The_Newest_Per_Day()
    {
        // Given, per day, the views of the newest overview capture that has the day
        var newest = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var file in new[] { "graphql_20250608_101500_1.json", "graphql_20250615_090000_1.json" })
        {
            var capture = JObject.Parse(File.ReadAllText(Path.Combine(_lake.Landing, "linktree", file)));
            foreach (var point in (JArray)capture["data"]!["getAccountAnalytics"]!["timeseries"]!)
            {
                newest[(string)point["date"]!] = (decimal)point["views"]!["total"]!;
            }
        }

        // When the unified profile views are read
        var unified = _lake.SocialMetric("linktree", "bedrotrecords", "profile_views");

        // Then they are exactly those: four captures taken in the same second did not overwrite each other's staging
        Assert.Equal(newest, new SortedDictionary<string, decimal>(unified, StringComparer.Ordinal));
        Assert.Equal(5, _lake.LakeFiles("staging/social_media/linktree").Count(f => f.Contains("linktree_analytics_staging_", StringComparison.Ordinal)));
    }

    [Fact]
    public void Should_Stage_Per_Link_Clicks_And_Breakdowns_With_Derived_Ctr()
    {
        // Then the links capture's three links are staged with their clicks
        var links = _lake.LakeCsv("staging/social_media/linktree/linktree_links_staging_20250608_101500_2.csv");
        Assert.Equal(["214", "97", "0"], links.Select(l => l["clicks"]));

        // And each breakdown row's ctr is clicks / views
        var breakdowns = _lake.LakeCsv("staging/social_media/linktree/linktree_breakdowns_staging_20250608_101500_3.csv");
        Assert.Equal(["referrer", "country", "device"], breakdowns.Select(b => b["dimension"]).Distinct());
        Assert.All(breakdowns, b => Assert.Equal(
            Math.Round(decimal.Parse(b["clicks"], CultureInfo.InvariantCulture) / decimal.Parse(b["views"], CultureInfo.InvariantCulture), 6),
            decimal.Parse(b["ctr"], CultureInfo.InvariantCulture)));
    }
}
