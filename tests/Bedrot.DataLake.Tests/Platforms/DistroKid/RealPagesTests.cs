using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Platforms.DistroKid;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.DistroKid;

/// <summary>
/// The saved pages in <c>../shared/real-samples/distrokid</c> (see the README there). That folder is
/// not part of the repository: where it is absent these tests return at once and pass, since
/// xunit 2 cannot skip a test at run time. Every other test builds its input in memory.
/// </summary>
public sealed partial class RealPagesTests
{
    private static bool TryRead(string fileName, out byte[] bytes)
    {
        var path = Path.Combine(Repository.RealDistroKidSamples, fileName);
        bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];
        return bytes.Length > 0;
    }

    private static IEnumerable<string> AllSamples() =>
        Directory.EnumerateFiles(Repository.RealDistroKidSamples, "*.htm*").Order(StringComparer.Ordinal);

    [Fact]
    public void Should_Validate_Every_Real_Page_And_Stage_Every_Row_Without_Rejects()
    {
        // (absent outside this workplace: nothing to check then)
        if (!Directory.Exists(Repository.RealDistroKidSamples))
        {
            return;
        }

        var samples = AllSamples().ToList();
        Assert.NotEmpty(samples);
        var recognizer = new Recognizer(Bedrot.DataLake.Platforms.PlatformCatalog.Kinds);
        foreach (var path in samples)
        {
            // Given a real saved page
            var name = Path.GetFileName(path);
            var bytes = File.ReadAllBytes(path);
            var content = Some.Content(name, bytes);

            // When it is recognised, validated, read and converted
            var kind = recognizer.Recognize(name, bytes) as DailySeriesPage
                ?? throw new Xunit.Sdk.XunitException($"{name} is not recognised as a stats page");
            var problems = kind.Validate(content);
            var rows = kind.Read(content).ToList();
            var converter = Some.DistroKidConverter(kind.Datatype, name);
            var rejects = rows.Select(converter.Convert).Where(c => c.Reject is not null).Select(c => c.Reject!).ToList();

            // Then it is valid and every row becomes a staging row
            Assert.True(problems.Count == 0, $"{name}: {string.Join("; ", problems)}");
            Assert.NotEmpty(rows);
            Assert.True(rejects.Count == 0, $"{name}: {string.Join("; ", rejects.Take(5))}");
        }
    }

    [Theory]
    [InlineData("streams_stats_20250819_073704.html", "2024-08-23", "2025-08-17")]
    [InlineData("streams_stats_20250522_085156.html", "2024-08-23", "2025-05-20")]
    public void Should_Read_The_Full_Daily_Series_Of_A_Real_Streams_Page(string fileName, string first, string last)
    {
        // Given a real streams page (absent outside this workplace: nothing to check then)
        if (!TryRead(fileName, out var bytes))
        {
            return;
        }

        var content = Some.Content(fileName, bytes);
        var expectedRows = CategoryEntries().Count(Trend365Day(Encoding.UTF8.GetString(bytes)));

        // When it is validated and read
        var problems = new StreamsStatsPage().Validate(content);
        var rows = new StreamsStatsPage().Read(content).ToList();

        // Then every entry of trend365day is a day with a whole number of streams
        Assert.Empty(problems);
        Assert.Equal(expectedRows, rows.Count);
        Assert.Equal(first, rows[0].Fields["category"]);
        Assert.Equal(last, rows[^1].Fields["category"]);
        Assert.All(rows, row => Assert.True(
            long.TryParse(row.Fields["column-1"], NumberStyles.None, CultureInfo.InvariantCulture, out _),
            $"{row.Locator}: column-1 is '{row.Fields["column-1"]}'"));
        AssertStagesWithoutRejects("streams", fileName, rows);
    }

    [Theory]
    [InlineData("applemusic_stats_20250819_073704.html", 347, "2024-09-06", "2025-08-18")]
    [InlineData("applemusic_stats_20250522_085156.html", 258, "2024-09-06", "2025-05-21")]
    public void Should_Read_The_Full_Daily_Series_Of_A_Real_Apple_Music_Page(string fileName, int expectedRows, string first, string last)
    {
        // Given a real Apple Music page (absent outside this workplace: nothing to check then)
        if (!TryRead(fileName, out var bytes))
        {
            return;
        }

        var content = Some.Content(fileName, bytes);

        // When it is validated and read
        var problems = new AppleMusicStatsPage().Validate(content);
        var rows = new AppleMusicStatsPage().Read(content).ToList();

        // Then last365days yields every day
        Assert.Empty(problems);
        Assert.Equal(expectedRows, rows.Count);
        Assert.All(rows, row => Assert.Null(row.Problem));
        Assert.Equal(first, rows[0].Fields["field"]);
        Assert.Equal(last, rows[^1].Fields["field"]);

        AssertStagesWithoutRejects("applemusic", fileName, rows);
    }

    private static void AssertStagesWithoutRejects(string datatype, string fileName, IReadOnlyList<SourceRow> rows)
    {
        var converter = Some.DistroKidConverter(datatype, fileName);
        var results = rows.Select(converter.Convert).ToList();
        var rejects = results.Where(r => r.Reject is not null).Select(r => r.Reject!).ToList();
        Assert.True(rejects.Count == 0, $"{fileName}: {rejects.Count} rejects, first: {rejects.FirstOrDefault()}");
        Assert.All(results, r => Assert.IsType<DateOnly>(converter.Value(r.Row!, "date")));
    }

    /// <summary>The text of the trend365day chart call, from its name to the end of its script.</summary>
    private static string Trend365Day(string page)
    {
        var start = page.IndexOf("makeChart(\"trend365day\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the page has no trend365day chart");
        var end = page.IndexOf("</script>", start, StringComparison.Ordinal);
        return page[start..(end < 0 ? page.Length : end)];
    }

    /// <summary>A <c>"category":</c> key (the chart's <c>"categoryField": "category"</c> is a value, not a key).</summary>
    [GeneratedRegex("\"category\"\\s*:")]
    private static partial Regex CategoryEntries();
}
