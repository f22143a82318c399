using System.Diagnostics;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Quality;

/// <summary>The self-contained HTML quality report a run writes beside the summary and metrics.</summary>
public sealed class HtmlReportTests : IDisposable
{
    private readonly TempLake _lake = new();

    public HtmlReportTests() => _lake.Run();

    public void Dispose() => _lake.Dispose();

    private string Page => File.ReadAllText(Assert.Single(_lake.LakeFiles("staging/quality_reports"),
        f => f.Contains("quality_report_", StringComparison.Ordinal) && f.EndsWith(".html", StringComparison.Ordinal)) is { } relative
        ? _lake.InLake(relative)
        : throw new InvalidOperationException());

    [Fact]
    public void Should_Need_Nothing_From_The_Network()
    {
        // Then the page has no scripts, no external styles, images or fonts: everything is inline
        Assert.DoesNotContain("<script", Page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=", RegexOptions.IgnoreCase), Page);
        Assert.DoesNotContain("url(", Page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<style>", Page, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Chart_The_Daily_Account_Streams_Of_Each_Platform_And_Source()
    {
        // Given the unified streaming rows of the built lake, summed by hand: day rows without a track, per platform / source and day
        var unified = _lake.InLake(Assert.Single(_lake.LakeFiles("staging/cross_platform"),
            f => f.Contains("streaming_unified_staging_", StringComparison.Ordinal)));
        using var stream = unified.EndsWith(".gz", StringComparison.Ordinal)
            ? new System.IO.Compression.GZipStream(File.OpenRead(unified), System.IO.Compression.CompressionMode.Decompress)
            : (Stream)File.OpenRead(unified);
        using var reader = CsvHelper.CsvReader.Create(stream, new CsvHelper.CsvReaderOptions { HasHeader = true, Separator = ',' });
        var sums = new Dictionary<(string Series, string Day), decimal>();
        while (reader.Read())
        {
            if (reader.GetString("grain") == "day" && reader.GetString("track_name").Length == 0)
            {
                var key = ($"{reader.GetString("platform")} / {reader.GetString("source")}", reader.GetString("date"));
                sums[key] = sums.GetValueOrDefault(key) + decimal.Parse(reader.GetString("streams"), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Assert.NotEmpty(sums);

        // Then the streams chart has one line per series, through each day's sum on its scale
        // (1000 x 280, margins 70, 20, 15 and 35, the top at the largest sum)
        var chart = Regex.Match(Page, @"<svg[^>]*aria-label=""streams per day"">(.*?)</svg>", RegexOptions.Singleline).Groups[1].Value;
        var lines = Regex.Matches(chart, @"<polyline[^>]*points=""([^""]*)""><title>(.*?)</title>")
            .ToDictionary(m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value), m => m.Groups[1].Value);
        Assert.Equal(sums.Keys.Select(k => k.Series).Distinct().Order(StringComparer.Ordinal), lines.Keys.Order(StringComparer.Ordinal));
        var days = sums.Keys.Select(k => DateOnly.ParseExact(k.Day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).DayNumber).ToList();
        var (first, last, max) = (days.Min(), Math.Max(days.Max(), days.Min() + 1), Math.Max(sums.Values.Max(), 1m));
        static string Num(double value) => Math.Round(value, 2).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (series, points) in lines)
        {
            var expected = sums.Where(p => p.Key.Series == series)
                .Select(p => (Day: DateOnly.ParseExact(p.Key.Day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).DayNumber, p.Value))
                .OrderBy(p => p.Day)
                .Select(p => $"{Num(70 + (double)(p.Day - first) / (last - first) * 910)},{Num(15 + (1 - (double)(p.Value / max)) * 230)}");
            Assert.Equal(string.Join(' ', expected), points);
        }
    }

    [Fact]
    public void Should_Show_Every_Dataset_With_Its_Scores()
    {
        // Then each staged dataset has a row, the one with a rejected row showing its count
        foreach (var dataset in new[] { "distrokid/sales", "toolost/spotify", "spotify/audience", "metaads/daily", "metaads/ads_manager_daily" })
        {
            Assert.Contains($"<tr><td>{dataset}</td>", Page, StringComparison.Ordinal);
        }

        Assert.Matches(new Regex(@"<tr><td>spotify/audience</td><td class=""n"">2</td><td class=""n"">110</td><td class=""n"">109</td><td class=""n"">1</td>"), Page);
    }

    [Fact]
    public void Should_Chart_Daily_Streams_Per_Platform_And_Source_And_Rules_And_Quarantine()
    {
        // Then there is a line per platform and source of account-level daily streams
        foreach (var series in new[] { "spotify / toolost", "spotify / distrokid_stats_page", "apple_music / toolost", "spotify / spotify_for_artists" })
        {
            Assert.Contains($"<title>{series}</title></polyline>", Page, StringComparison.Ordinal);
        }

        // And a bar per rule that rejected or warned rows, and the quarantined files with their reasons
        Assert.Contains(">rejected: required<", Page, StringComparison.Ordinal);
        Assert.Contains(">warned: ctr_matches_clicks_over_impressions<", Page, StringComparison.Ordinal);
        Assert.Contains("toolost/toolost_apple_20250605_070000.json", Page, StringComparison.Ordinal);
        Assert.Contains("expected an array", Page, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Show_The_Five_Scores_Freshness_Disagreements_And_Control_Totals()
    {
        // Then the datasets table has a column per score, and the unified datasets are rows too
        foreach (var score in new[] { "completeness", "validity", "consistency", "freshness", "accuracy" })
        {
            Assert.Contains($"<th>{score}</th>", Page, StringComparison.Ordinal);
            Assert.Contains($"<dt>{score}</dt>", Page, StringComparison.Ordinal);
        }

        Assert.Contains("<tr><td>streaming_unified <span class=\"muted\">(unified)</span></td>", Page, StringComparison.Ordinal);

        // And freshness names each dataset's basis, newest and expected period, as of the samples' day
        Assert.Contains("judged as of 2025-06-02", Page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>distrokid/sales</td><td>sale_month</td><td>month, lag 75 d, window 3</td><td>2025-06</td><td>2025-03</td>", Page, StringComparison.Ordinal);

        // And the samples' one disagreement (2025-05-20, a late revision of the stats page) is listed with both values
        Assert.Contains("<td>2025-05-20 day spotify</td><td>streams</td><td>1311 (toolost)</td><td>1442 (distrokid_stats_page)</td>", Page, StringComparison.Ordinal);

        // And the control totals of both unified datasets reconcile, line by line
        Assert.Matches(new Regex(@"<h3>streaming_unified</h3>\n<p class=""pass"">All \d+ lines reconcile"), Page);
        Assert.Matches(new Regex(@"<h3>marketing_unified</h3>\n<p class=""pass"">All \d+ lines reconcile"), Page);
        Assert.Contains("<h2>Scores over time</h2>", Page, StringComparison.Ordinal);
        Assert.Contains("<h2>Since the previous report</h2>", Page, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Write_The_Same_Bytes_For_The_Same_Inputs()
    {
        // Given a second lake built from the same inputs at the same time
        using var other = new TempLake { Now = _lake.Now };
        other.Run();

        // Then the two reports are identical
        var name = Path.GetFileName(Assert.Single(other.LakeFiles("staging/quality_reports"), f => f.EndsWith(".html", StringComparison.Ordinal)));
        Assert.Equal(Page, File.ReadAllText(other.InLake("staging/quality_reports/" + name)));
    }

    [ChromiumFact]
    public void Should_Render_In_A_Headless_Browser()
    {
        // Given the page and headless Chromium
        var page = Assert.Single(_lake.LakeFiles("staging/quality_reports"), f => f.EndsWith(".html", StringComparison.Ordinal));
        var screenshot = Path.Combine(_lake.Root, "report.png");
        var dom = Path.Combine(_lake.Root, "report.dom.html");

        // When Chromium loads it offline and takes a screenshot, and dumps the document it built
        Chromium.Run($"--screenshot={screenshot} --window-size=1200,2400 file://{_lake.InLake(page)}");
        File.WriteAllText(dom, Chromium.Run($"--dump-dom file://{_lake.InLake(page)}"));

        // Then the screenshot is a real image, and the browser built the charts from the page
        var png = File.ReadAllBytes(screenshot);
        Assert.True(png.Length > 20_000, $"the screenshot is only {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var built = File.ReadAllText(dom);
        Assert.True(Regex.Matches(built, "<polyline").Count >= 4);
        Assert.Contains("Data quality,", built, StringComparison.Ordinal);
    }
}

/// <summary>A test that runs only where headless Chromium is installed (Debian: <c>apt-get install chromium</c>).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null)
        {
            Skip = "Chromium is not installed (apt-get install chromium)";
        }
    }
}

/// <summary>Headless Chromium with the flags this machine needs, and no network.</summary>
public static class Chromium
{
    public static string? Path { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public static string Run(string arguments)
    {
        var start = new ProcessStartInfo(Path!, "--headless --no-sandbox --disable-gpu --disable-background-networking " + arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "Chromium did not finish within a minute");
        return output.Result;
    }
}
