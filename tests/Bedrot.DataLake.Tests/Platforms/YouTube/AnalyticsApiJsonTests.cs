using Bedrot.DataLake.Platforms.YouTube;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.YouTube;

public sealed class AnalyticsApiJsonTests
{
    private const string Name = "youtube_analytics_20250115_080000.json";
    private static readonly AnalyticsApiJson Kind = new();

    private static string Reply(string rows) =>
        "{\"kind\": \"youtubeAnalytics#resultTable\", \"columnHeaders\": [" +
        "{\"name\": \"day\", \"columnType\": \"DIMENSION\", \"dataType\": \"STRING\"}," +
        "{\"name\": \"views\", \"columnType\": \"METRIC\", \"dataType\": \"INTEGER\"}," +
        "{\"name\": \"estimatedMinutesWatched\", \"columnType\": \"METRIC\", \"dataType\": \"FLOAT\"}]" + rows + "}";

    [Fact]
    public void Should_Pair_Each_Value_With_Its_Column_Header()
    {
        // Given a reply with two days
        var content = Some.Content(Name, Reply(", \"rows\": [[\"2025-01-01\", 432, 997.5], [\"2025-01-02\", 211, 386.8]]"));

        // When it is validated and read
        Assert.Empty(Kind.Validate(content));
        var rows = Kind.Read(content).ToList();

        // Then each row's values sit under their column names, numbers as written
        Assert.Equal(["$.rows[0]", "$.rows[1]"], rows.Select(r => r.Locator));
        Assert.Equal(["2025-01-01", "2025-01-02"], rows.Select(r => r.Fields["day"]));
        Assert.Equal(["432", "211"], rows.Select(r => r.Fields["views"]));
        Assert.Equal(["997.5", "386.8"], rows.Select(r => r.Fields["estimatedMinutesWatched"]));
    }

    [Fact]
    public void Should_Accept_A_Reply_Without_Rows_As_No_Data()
    {
        // Given a reply for a period without data: rows is absent
        var content = Some.Content(Name, Reply(string.Empty));

        // When it is validated and read
        // Then it is valid and has no rows
        Assert.Empty(Kind.Validate(content));
        Assert.Empty(Kind.Read(content));
    }

    [Theory]
    [InlineData("youtube_analytics_20250115_080000.json", "own_channel")]
    [InlineData("youtube_analytics_BedrotRecords_20250115_080000.json", "BedrotRecords")]
    [InlineData("channel_analytics_20240522.json", "own_channel")]
    public void Should_Take_The_Channel_From_The_Name_Or_Say_It_Is_The_Own_Channel(string name, string channel)
    {
        // Given a reply, which never names its channel
        var content = Some.Content(name, Reply(", \"rows\": [[\"2025-01-01\", 1, 2.0]]"));

        // When it is read
        var row = Assert.Single(Kind.Read(content));

        // Then the channel is the file name's, or own_channel
        Assert.Equal(channel, row.Fields["channel"]);
    }

    [Fact]
    public void Should_Refuse_A_Report_That_Is_Not_Daily()
    {
        // Given a report by video, without a day dimension
        var content = Some.Content(Name,
            "{\"kind\": \"youtubeAnalytics#resultTable\", \"columnHeaders\": [{\"name\": \"video\", \"columnType\": \"DIMENSION\"}, {\"name\": \"views\", \"columnType\": \"METRIC\"}], \"rows\": [[\"abc\", 3]]}");

        // When it is validated
        var problem = Assert.Single(Kind.Validate(content));

        // Then the missing day dimension is the reason
        Assert.Contains("no 'day' dimension", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Mark_A_Row_With_Too_Few_Values_Unreadable()
    {
        // Given a row missing a value
        var content = Some.Content(Name, Reply(", \"rows\": [[\"2025-01-01\", 1]]"));

        // When it is read
        var row = Assert.Single(Kind.Read(content));

        // Then it is unreadable, saying how many values were expected
        Assert.Contains("expected an array of 3 values", row.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_An_Error_Reply()
    {
        // Given the API's error reply saved under the name
        var content = Some.Content(Name, "{\"error\": {\"code\": 403, \"message\": \"Forbidden\"}}");

        // When it is validated
        // Then the missing kind and column headers are named
        var problems = Kind.Validate(content).Select(p => p.Problem).ToList();
        Assert.Contains(problems, p => p.Contains("'kind'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'columnHeaders'", StringComparison.Ordinal));
    }
}
