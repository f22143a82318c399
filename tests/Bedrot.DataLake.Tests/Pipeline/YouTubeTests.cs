using System.Globalization;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>What one build of the YouTube samples (API replies, Studio exports) leaves in staging and social_media_unified.</summary>
public sealed class YouTubeTests : IDisposable
{
    private const string StudioFolder = "Date 2025-01-08_2025-01-21 Bedrot Records";
    private const string ExcelFolder = "Date 2025-01-22_2025-02-04 Bedrot Records (Excel)";

    private readonly TempLake _lake = new("youtube");
    private readonly BedrotRun _run;

    public YouTubeTests() => _run = _lake.Run();

    public void Dispose() => _lake.Dispose();

    /// <summary>The API reply's rows: day to views.</summary>
    private Dictionary<string, decimal> ApiViews()
    {
        var reply = JObject.Parse(File.ReadAllText(Path.Combine(_lake.Landing, "youtube", "youtube_analytics_20250115_080000.json")));
        var names = ((JArray)reply["columnHeaders"]!).Select(h => (string)h["name"]!).ToList();
        return ((JArray)reply["rows"]!).ToDictionary(r => (string)r[names.IndexOf("day")]!, r => (decimal)r[names.IndexOf("views")]!, StringComparer.Ordinal);
    }

    /// <summary>A Studio table's day rows (the Total row skipped): ISO day to the named column's text.</summary>
    private Dictionary<string, string> TableColumn(string folder, string column)
    {
        var lines = File.ReadAllLines(Path.Combine(_lake.Landing, "youtube", folder, "Table data.csv"));
        var header = lines[0].Split(',').ToList();
        return lines.Skip(2).Select(Cells).ToDictionary(
            c => DateOnly.ParseExact(c[0], ["MMM d, yyyy", "d-MMM-yy"], CultureInfo.InvariantCulture).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            c => c[header.IndexOf(column)], StringComparer.Ordinal);

        // "Jan 8, 2025",870,... : the only quoted cell is the date
        static string[] Cells(string line) => line.StartsWith('"')
            ? [line[1..line.IndexOf('"', 1)], .. line[(line.IndexOf('"', 1) + 2)..].Split(',')]
            : line.Split(',');
    }

    [Fact]
    public void Should_Promote_Every_File_And_Stage_The_Empty_Reply_As_No_Rows()
    {
        // Then all 8 files are promoted, none quarantined
        Assert.Equal(8, _run.Step(BedrotPipeline.ValidateRawStep).Counts["promoted"]);
        Assert.Empty(_lake.LakeFiles("quarantine"));

        // And the reply without rows gave a staging file with only its header
        var empty = _lake.LakeCsv("staging/social_media/youtube/youtube_analytics_staging_20250201_080000.csv");
        Assert.Empty(empty);
    }

    [Fact]
    public void Should_Take_Views_From_The_Api_Where_It_Has_The_Day_And_From_Studio_Elsewhere()
    {
        // Given the API's days, and the days of both Studio tables
        var api = ApiViews();
        var studio = TableColumn(StudioFolder, "Views").Concat(TableColumn(ExcelFolder, "Views"))
            .ToDictionary(p => p.Key, p => decimal.Parse(p.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);

        // When the unified views are read by source
        var rows = _lake.SocialRows().Where(r => r["platform"] == "youtube" && r["metric"] == "views").ToList();

        // Then the API's days come from the API, every other Studio day from Studio, one row per day
        Assert.Equal(rows.Count, rows.Select(r => r["date"]).Distinct().Count());
        foreach (var row in rows)
        {
            var value = decimal.Parse(row["value"], CultureInfo.InvariantCulture);
            Assert.Equal(api.ContainsKey(row["date"]) ? "youtube_analytics_api" : "youtube_studio", row["source"]);
            Assert.Equal(api.TryGetValue(row["date"], out var fromApi) ? fromApi : studio[row["date"]], value);
        }

        Assert.Equal(api.Keys.Union(studio.Keys).Order(StringComparer.Ordinal), rows.Select(r => r["date"]).Order(StringComparer.Ordinal));

        // And the Studio rows the API overrode are listed in the precedence file with their values
        var setAside = _lake.LakeCsv(_lake.CrossPlatformFile("social_media_unified_precedence_"));
        Assert.Equal(api.Keys.Intersect(studio.Keys).Order(StringComparer.Ordinal), setAside.Select(r => r["date"]).Order(StringComparer.Ordinal));
        Assert.All(setAside, r => Assert.Equal(studio[r["date"]], decimal.Parse(r["set_aside_value"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Should_Keep_Negative_Subscriber_Changes_And_Leave_Empty_Cells_Out()
    {
        // Given the Studio table's subscriber changes and watch time, some negative, one cell empty
        var subscribers = TableColumn(StudioFolder, "Subscribers").Concat(TableColumn(ExcelFolder, "Subscribers")).ToDictionary();
        var hours = TableColumn(StudioFolder, "Watch time (hours)");
        Assert.Contains(subscribers.Values, v => v.StartsWith('-'));
        var emptyDay = Assert.Single(hours, h => h.Value.Length == 0).Key;

        // When the unified rows are read
        var net = _lake.SocialMetric("youtube", "own_channel", "subscribers_net");
        var watch = _lake.SocialMetric("youtube", "own_channel", "watch_hours");

        // Then each change is there with its sign, and the empty watch-time cell has no row
        Assert.Equal(subscribers.ToDictionary(p => p.Key, p => decimal.Parse(p.Value, CultureInfo.InvariantCulture)), net);
        Assert.DoesNotContain(emptyDay, watch.Keys);
    }

    [Fact]
    public void Should_Never_Stage_The_Total_Row()
    {
        // Given the first Studio table: a Total row and 14 days
        var days = TableColumn(StudioFolder, "Views");

        // When its staging file is read
        var staged = _lake.LakeCsv(_lake.LakeFiles("staging/social_media/youtube")
            .Single(f => Path.GetFileName(f).StartsWith("youtube_studio_table_staging_", StringComparison.Ordinal) && !f.Contains("_v2", StringComparison.Ordinal)));

        // Then it holds the days only, and their views add up to the Total row's, not twice that
        Assert.Equal(days.Count, staged.Count);
        var total = File.ReadAllLines(Path.Combine(_lake.Landing, "youtube", StudioFolder, "Table data.csv"))[1].Split(',')[1];
        Assert.Equal(long.Parse(total, CultureInfo.InvariantCulture), staged.Sum(r => long.Parse(r["views"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Should_Reconcile_The_Control_Totals()
    {
        // Then every source, account, metric and month reconciles from staging to unified
        var totals = _lake.LakeCsv(_lake.CrossPlatformFile("social_media_unified_control_totals_"));
        Assert.NotEmpty(totals);
        Assert.All(totals, t => Assert.Equal("ok", t["status"]));
    }
}
