using System.Text;
using Bedrot.DataLake.Platforms.DistroKid;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.DistroKid;

public sealed class StreamsStatsPageTests
{
    private const string FileName = "streams_stats_20250819_073704.html";

    /// <summary>A chart object like the real one: trailing commas in the array and in an object, CRLF line ends.</summary>
    private const string Chart =
        "{\r\n" +
        "\"type\": \"serial\",\r\n" +
        "\"categoryField\": \"category\",\r\n" +
        "\"categoryAxis\": {\"gridPosition\": \"start\", \"parseDates\": true,},\r\n" +
        "\"dataProvider\": [\r\n" +
        "{\"category\": \"2025-08-15\",\"column-1\": 4580},{\"category\": \"2025-08-16\",\"column-1\": 3675,},{\"category\": \"2025-08-17\",\"column-1\": 3697},\r\n" +
        "]\r\n" +
        "}";

    public sealed class TheReadMethod
    {
        private readonly StreamsStatsPage _kind = new();

        [Fact]
        public void Should_Read_One_Row_Per_Day_Of_The_Trend365day_Chart()
        {
            // Given a CRLF page with several scripts, trendWeekly first and trend365day last
            var page = StatsPages.Streams(Chart, "\r\n");

            // When it is read
            var rows = _kind.Read(Some.Content(FileName, page)).ToList();

            // Then each dataProvider entry of trend365day (not trendWeekly) is a row with its JSON path
            Assert.Equal(3, rows.Count);
            Assert.All(rows, row => Assert.Null(row.Problem));
            Assert.Equal(
                ["trend365day.dataProvider[0]", "trend365day.dataProvider[1]", "trend365day.dataProvider[2]"],
                rows.Select(r => r.Locator));
            Assert.Equal(["2025-08-15", "2025-08-16", "2025-08-17"], rows.Select(r => r.Fields["category"]));
            Assert.Equal(["4580", "3675", "3697"], rows.Select(r => r.Fields["column-1"]));
            Assert.All(rows, row => Assert.Equal("trend365day", row.Fields["series"]));
        }

        [Fact]
        public void Should_Yield_An_Unreadable_Row_For_An_Entry_That_Is_Not_An_Object()
        {
            // Given a dataProvider with a bare number between two entries
            var chart = "{\"dataProvider\": [{\"category\": \"2025-08-15\",\"column-1\": 1}, 42, {\"category\": \"2025-08-17\",\"column-1\": 3}]}";

            // When it is read
            var rows = _kind.Read(Some.Content(FileName, StatsPages.Streams(chart))).ToList();

            // Then that entry is a problem at its own index and its neighbours are read
            Assert.Equal(3, rows.Count);
            Assert.Null(rows[0].Problem);
            Assert.Equal("trend365day.dataProvider[1]", rows[1].Locator);
            Assert.Contains("expected an object", rows[1].Problem);
            Assert.Equal("2025-08-17", rows[2].Fields["category"]);
        }

        [Fact]
        public void Should_Not_Be_Misled_By_Braces_And_Brackets_Inside_Strings()
        {
            // Given strings with unbalanced braces, brackets and an escaped quote before the data
            var chart =
                "{\"balloonText\": \"[[category]]: <b>[[value]]</b> }}\", " +
                "\"note\": \"open { and [ and \\\" quote\", " +
                "'single': '} ]', " +
                "\"dataProvider\": [{\"category\": \"2025-08-17\",\"column-1\": 3697}]}";

            // When it is read
            var rows = _kind.Read(Some.Content(FileName, StatsPages.Streams(chart))).ToList();

            // Then the whole object is found and its one entry read
            var row = Assert.Single(rows);
            Assert.Null(row.Problem);
            Assert.Equal("2025-08-17", row.Fields["category"]);
            Assert.Equal("3697", row.Fields["column-1"]);
        }

        [Fact]
        public void Should_Yield_One_Unreadable_Row_When_The_Chart_Is_Missing()
        {
            // Given a page without the chart
            var page = "<html><body><script>var nothing = 1;</script></body></html>";

            // When it is read
            var row = Assert.Single(_kind.Read(Some.Content(FileName, page)));

            // Then the one row says what is missing rather than the page reading as zero rows
            Assert.NotNull(row.Problem);
            Assert.Contains("trend365day", row.Problem);
        }
    }

    public sealed class TheValidateMethod
    {
        private readonly StreamsStatsPage _kind = new();

        [Fact]
        public void Should_Accept_A_Page_With_The_Daily_Chart()
        {
            // Given a page with trend365day
            // When it is validated
            var problems = _kind.Validate(Some.Content(FileName, StatsPages.Streams(Chart)));

            // Then there is nothing to report
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Report_A_Page_Without_Charts()
        {
            // Given a saved "session expired" page: HTML, scripts, no charts
            var page = "<!DOCTYPE html>\n<html><head><script>var session = {\"expired\": true};</script></head>" +
                       "<body><p>Session expired, please sign in</p></body></html>\n";

            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, page)));

            // Then the problem names the missing chart
            Assert.Contains("trend365day", problem.Problem);
        }

        [Fact]
        public void Should_Report_A_File_That_Is_Not_Html()
        {
            // Given a tab-separated export saved under a page's name
            var bytes = new BankExport().WithRow().Bytes();

            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, bytes)));

            // Then the problem says it is not HTML
            Assert.Contains("not an HTML page", problem.Problem);
        }

        [Fact]
        public void Should_Report_An_Empty_Daily_Series()
        {
            // Given the chart with an empty dataProvider
            var page = StatsPages.Streams("{\"dataProvider\": []}");

            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, page)));

            // Then the problem says the series is empty, not that the page is fine
            Assert.Equal("trend365day.dataProvider", problem.Where);
            Assert.Contains("empty", problem.Problem);
        }

        [Fact]
        public void Should_Report_A_Chart_Object_That_Is_Never_Closed()
        {
            // Given a page cut off inside the chart object
            var page = "<html><body><script>AmCharts.makeChart(\"trend365day\", {\"dataProvider\": [{\"category\": \"2025-08-17\"</script></body></html>";

            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, page)));

            // Then the problem says the object is not closed
            Assert.Contains("not closed", problem.Problem);
        }

        [Fact]
        public void Should_Report_An_Empty_File()
        {
            // Given no bytes
            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, [])));

            // Then the problem says so
            Assert.Contains("empty", problem.Problem);
        }
    }

    public sealed class TheMatchesMethods
    {
        [Theory]
        [InlineData("streams_stats_20250819_073704.html", true)]
        [InlineData("streams_stats_20250819.htm", true)]
        [InlineData("applemusic_stats_20250819_073704.html", false)]
        [InlineData("streams_stats.html", false)]
        public void Should_Match_Streams_Page_Names(string fileName, bool expected)
        {
            // Given a file name
            // When / Then only the streams page's names match
            Assert.Equal(expected, new StreamsStatsPage().MatchesName(fileName));
        }

        [Fact]
        public void Should_Match_Content_With_The_Weekly_Chart_Call()
        {
            // Given a page and an export
            var page = Encoding.UTF8.GetBytes(StatsPages.Streams(Chart));
            var export = new BankExport().WithRow().Bytes();

            // When / Then only the page matches
            Assert.True(new StreamsStatsPage().MatchesContent(page));
            Assert.False(new StreamsStatsPage().MatchesContent(export));
        }
    }
}
