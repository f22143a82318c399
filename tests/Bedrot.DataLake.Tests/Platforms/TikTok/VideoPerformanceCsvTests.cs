using Bedrot.DataLake.Platforms.TikTok;
using Bedrot.DataLake.Tests.Support;

using static Bedrot.DataLake.Tests.Platforms.TikTok.StudioExports;

namespace Bedrot.DataLake.Tests.Platforms.TikTok;

public sealed class VideoPerformanceCsvTests
{
    private static readonly VideoPerformanceCsv Kind = new();

    [Theory]
    [InlineData("video_performance_20250105.csv", null)]
    [InlineData("video_performance_pig1987_20250105.csv", "pig1987")]
    [InlineData("video_performance_bedrot_records_20250105_101500.csv", "bedrot_records")]
    public void Should_Take_The_Export_Date_And_Account_From_The_Name(string name, string? account)
    {
        // Given a Content sheet saved alone, its post times without a year
        var bytes = Sheet(ContentHeader, ["A", "https://www.tiktok.com/@x/video/42", "December 30", "1", "2", "3", "4"]);

        // When it is validated and read
        Assert.Empty(Kind.Validate(Some.Content(name, bytes)));
        var row = Assert.Single(Kind.Read(Some.Content(name, bytes)));

        // Then the post time takes its year from the date in the name, and the account is the name's, if any
        Assert.Equal("2024-12-30", row.Fields["Post time"]);
        Assert.Equal(account, row.Fields["account"]);
        Assert.Equal("content", row.Record);
    }

    [Fact]
    public void Should_Refuse_A_Studio_Zip_Saved_Under_The_Csv_Name()
    {
        // Given a whole Studio ZIP renamed video_performance_*.csv
        var zip = OverviewZip(("January 5", "1"));

        // When it is validated
        var problem = Assert.Single(Kind.Validate(Some.Content("video_performance_20250105.csv", zip)));

        // Then the reason says it is a ZIP and how to land it
        Assert.Contains("a ZIP archive", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_A_Header_Without_The_Content_Columns()
    {
        // Given a CSV under the name with an Overview header instead
        var bytes = Overview(("January 5", "1"));

        // When it is validated
        var problem = Assert.Single(Kind.Validate(Some.Content("video_performance_20250105.csv", bytes)));

        // Then the missing columns are named
        Assert.Contains("missing column(s) Video title", problem.Problem, StringComparison.Ordinal);
    }
}
