using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.Linktree;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.Linktree;

public sealed class AdminGraphqlJsonTests
{
    private const string Name = "graphql_20250608_101500_1.json";
    private static readonly AdminGraphqlJson Kind = new();

    private const string Overview =
        "{\"data\":{\"getAccountAnalytics\":{\"__typename\":\"AccountAnalytics\",\"username\":\"bedrotrecords\"," +
        "\"overview\":{\"__typename\":\"AnalyticsOverview\",\"views\":{\"__typename\":\"AnalyticsMetric\",\"total\":1000},\"clicks\":{\"__typename\":\"AnalyticsMetric\",\"total\":504},\"clickThroughRate\":0.504,\"clickThroughBenchmark\":38.2}," +
        "\"timeseries\":[{\"__typename\":\"AnalyticsTimeseriesPoint\",\"date\":\"2025-06-01\",\"views\":{\"__typename\":\"AnalyticsMetric\",\"total\":40},\"clicks\":{\"__typename\":\"AnalyticsMetric\",\"total\":21},\"clickThroughRate\":0.525}]}}}";

    [Fact]
    public void Should_Unwrap_Counts_And_Drop_Typenames()
    {
        // Given an overview capture
        var content = Some.Content(Name, Overview);

        // When it is validated and read
        Assert.Empty(Kind.Validate(content));
        var daily = Kind.Read(content).Single(r => r.Record == "daily");

        // Then the wrapped counts are plain numbers, the profile is the capture's, and __typename is gone
        Assert.Equal("40", daily.Fields["views"]);
        Assert.Equal("21", daily.Fields["clicks"]);
        Assert.Equal("bedrotrecords", daily.Fields["account"]);
        Assert.DoesNotContain("__typename", daily.Fields.Keys);
    }

    [Fact]
    public void Should_Stage_The_Benchmark_Percentage_As_A_Fraction_And_Keep_The_Rate_A_Fraction()
    {
        // Given the overview's totals: a rate of 0.504 (a fraction) and a benchmark of 38.2 (a percentage)
        var overview = Kind.Read(Some.Content(Name, Overview)).Single(r => r.Record == "overview");

        // When they are converted by the summary dataset
        var converter = Some.Converter("linktree", "analytics", "summary");
        var (row, reject) = converter.Convert(overview);

        // Then the rate stays 0.504, the benchmark becomes 0.382, and ctr is derived from clicks / views
        Assert.Null(reject);
        Assert.Equal(0.504m, converter.Value(row!, "click_through_rate"));
        Assert.Equal(0.382m, converter.Value(row!, "click_through_benchmark"));
        Assert.Equal(0.504m, converter.Value(row!, "ctr"));
    }

    [Fact]
    public void Should_Read_Link_Titles_Keyed_By_Link_Id()
    {
        // Given a titles capture: link<ID> keys of __typename Link
        var content = Some.Content("graphql_20250608_101500_4.json",
            "{\"data\":{\"link881\":{\"__typename\":\"Link\",\"id\":\"881\",\"title\":\"S\u00f3lveig\"},\"link882\":{\"__typename\":\"Link\",\"title\":\"Merch\"}}}");

        // When it is validated and read
        Assert.Empty(Kind.Validate(content));
        var rows = Kind.Read(content).ToList();

        // Then each link is a title row, its id from the object or else from the key
        Assert.Equal(["881", "882"], rows.Select(r => r.Fields["linkId"]));
        Assert.All(rows, r => Assert.Equal("link_title", r.Record));
    }

    [Fact]
    public void Should_Refuse_A_GraphQL_Error_And_A_Capture_Of_Another_Query()
    {
        // Given an error reply, and a capture of a query that holds no analytics
        var error = Some.Content(Name, "{\"errors\":[{\"message\":\"Unauthorized\"}],\"data\":null}");
        var other = Some.Content(Name, "{\"data\":{\"getAccount\":{\"__typename\":\"Account\"}}}");

        // When they are validated
        // Then the first names Linktree's message, the second what was found instead
        Assert.Contains("Unauthorized", Assert.Single(Kind.Validate(error)).Problem, StringComparison.Ordinal);
        Assert.Contains("found getAccount", Assert.Single(Kind.Validate(other)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Recognise_A_Capture_By_Its_Content_Under_Any_Name()
    {
        // Given an overview capture saved under a browser's default name
        // When it is recognised
        // Then it is a Linktree capture
        Assert.IsType<AdminGraphqlJson>(new Recognizer(PlatformCatalog.Kinds).Recognize("response.json", System.Text.Encoding.UTF8.GetBytes(Overview)));
    }
}
