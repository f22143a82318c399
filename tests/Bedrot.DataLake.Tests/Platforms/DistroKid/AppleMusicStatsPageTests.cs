using System.Text;
using Bedrot.DataLake.Platforms.DistroKid;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.DistroKid;

public sealed class AppleMusicStatsPageTests
{
    private const string FileName = "applemusic_stats_20250819_073704.html";

    private const string ChartData =
        "{\"byMonth\":{\"isEmpty\":0,\"categoryField\":\"field\",\"dataProvider\":[{\"field\":\"07-25\",\"value\":1701},{\"field\":\"08-25\",\"value\":1699}]}," +
        "\"byWeek\":{\"isEmpty\":0,\"categoryField\":\"field\",\"dataProvider\":[{\"field\":\"32/25\",\"value\":400}]}," +
        "\"last365days\":{\"isEmpty\":0,\"categoryField\":\"field\",\"dataProvider\":[" +
        "{\"field\":\"2025-08-16\",\"value\":37},{\"field\":\"2025-08-17\",\"value\":29,\"id\":7},{\"field\":\"2025-08-18\",\"value\":6}]}," +
        "\"playlists1year\":{\"isEmpty\":1,\"titleField\":\"title\",\"dataProvider\":[]}}";

    public sealed class TheReadMethod
    {
        [Fact]
        public void Should_Read_One_Row_Per_Day_Of_Last365days()
        {
            // Given a page whose chartData has monthly, weekly and daily series
            var page = StatsPages.AppleMusic(ChartData);

            // When it is read
            var rows = new AppleMusicStatsPage().Read(Some.Content(FileName, page)).ToList();

            // Then only the daily series is read, one row per entry, with its JSON path
            Assert.Equal(3, rows.Count);
            Assert.All(rows, row => Assert.Null(row.Problem));
            Assert.Equal(["2025-08-16", "2025-08-17", "2025-08-18"], rows.Select(r => r.Fields["field"]));
            Assert.Equal(["37", "29", "6"], rows.Select(r => r.Fields["value"]));
            Assert.Equal("last365days.dataProvider[2]", rows[2].Locator);
            Assert.All(rows, row => Assert.Equal("last365days", row.Fields["series"]));
            Assert.Equal("7", rows[1].Fields["id"]);
        }
    }

    public sealed class TheValidateMethod
    {
        [Fact]
        public void Should_Accept_A_Page_With_The_Daily_Series()
        {
            // Given a page with last365days
            // When it is validated
            var problems = new AppleMusicStatsPage().Validate(Some.Content(FileName, StatsPages.AppleMusic(ChartData, "\r\n")));

            // Then there is nothing to report
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_List_The_Series_It_Has_When_Last365days_Is_Missing()
        {
            // Given chartData with only a monthly and a weekly series
            var chartData = "{\"byMonth\":{\"dataProvider\":[{\"field\":\"08-25\",\"value\":1}]},\"byWeek\":{\"dataProvider\":[]}}";

            // When it is validated
            var problem = Assert.Single(new AppleMusicStatsPage().Validate(Some.Content(FileName, StatsPages.AppleMusic(chartData))));

            // Then the problem names the missing series and lists the ones present
            Assert.Contains("last365days", problem.Problem);
            Assert.Contains("byMonth, byWeek", problem.Problem);
        }

        [Fact]
        public void Should_Report_A_Page_Without_Chart_Data()
        {
            // Given an HTML page without the variable
            var page = "<html><body><script>var other = {};</script></body></html>";

            // When it is validated
            var problem = Assert.Single(new AppleMusicStatsPage().Validate(Some.Content(FileName, page)));

            // Then the problem names the variable
            Assert.Contains("chartData", problem.Problem);
        }
    }

    public sealed class TheMatchesMethods
    {
        [Theory]
        [InlineData("applemusic_stats_20250819_073704.html", true)]
        [InlineData("applemusic_stats_20250522.html", true)]
        [InlineData("streams_stats_20250819_073704.html", false)]
        public void Should_Match_Apple_Music_Page_Names(string fileName, bool expected)
        {
            // Given a file name
            // When / Then only the Apple Music page's names match
            Assert.Equal(expected, new AppleMusicStatsPage().MatchesName(fileName));
        }

        [Fact]
        public void Should_Match_Content_With_The_Chart_Data_Variable()
        {
            // Given an Apple Music page and a streams page
            var apple = Encoding.UTF8.GetBytes(StatsPages.AppleMusic(ChartData));
            var streams = Encoding.UTF8.GetBytes(StatsPages.Streams("{\"dataProvider\": []}"));

            // When / Then only the Apple Music page matches
            Assert.True(new AppleMusicStatsPage().MatchesContent(apple));
            Assert.False(new AppleMusicStatsPage().MatchesContent(streams));
        }
    }
}
