using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.YouTube;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.YouTube;

public sealed class StudioCsvTests
{
    private const string TableHeader = "Date,Views,Watch time (hours),Subscribers,Impressions,Impressions click-through rate (%)";

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    [Fact]
    public void Should_Set_The_Total_Row_Apart_From_The_Days()
    {
        // Given a table by date that starts with its Total row
        var content = Some.Content("Table data.csv", Lines(TableHeader, "Total,1200,40.5,3,9000,", "\"Jan 8, 2025\",700,20.25,5,5000,4.2", "\"Jan 9, 2025\",500,20.25,-2,4000,3.1"));

        // When it is read
        var rows = new StudioTableCsv().Read(content).ToList();

        // Then the total row is its own record, the days are days, and the negative change is kept
        Assert.Equal(["total", "day", "day"], rows.Select(r => r.Record));
        Assert.Equal("-2", rows[2].Fields["Subscribers"]);
        Assert.Equal("Jan 8, 2025", rows[1].Fields["Date"]);
    }

    [Theory]
    [InlineData("\"Jan 8, 2025\"", "2025-01-08")]
    [InlineData("8-Jan-25", "2025-01-08")]
    [InlineData("3-Jun-26", "2026-06-03")]
    [InlineData("7/16/2026", "2026-07-16")]
    [InlineData("2025-01-08", "2025-01-08")]
    public void Should_Stage_Studio_And_Excel_Date_Forms(string written, string expected)
    {
        // Given a day as Studio writes it or as Excel re-saves it
        var content = Some.Content("Table data.csv", Lines(TableHeader, "Total,1,,,,", $"{written},1,,,,"));
        var row = new StudioTableCsv().Read(content).Single(r => r.Record == "day");

        // When it is converted by the studio table dataset
        var converter = Some.Converter("youtube", "studio_table");
        var (staged, reject) = converter.Convert(row);

        // Then it is that day, and the empty cells are no value
        Assert.Null(reject);
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), converter.Value(staged!, "date"));
        Assert.Null(converter.Value(staged!, "watch_time_hours"));
    }

    [Fact]
    public void Should_Turn_The_Percentage_Click_Through_Rate_Into_A_Fraction()
    {
        // Given a day whose impressions click-through rate Studio states as 4.2 (percent)
        var row = new StudioTableCsv().Read(Some.Content("Table data.csv", Lines(TableHeader, "\"Jan 8, 2025\",700,20.25,5,5000,4.2"))).Single();

        // When it is converted
        var converter = Some.Converter("youtube", "studio_table");
        var (staged, _) = converter.Convert(row);

        // Then the staged rate is the fraction 0.042
        Assert.Equal(0.042m, converter.Value(staged!, "impressions_ctr"));
    }

    [Fact]
    public void Should_Accept_A_Chart_With_Only_Its_Header_But_Not_A_Table()
    {
        // Given a chart and a table that hold only their headers
        var chart = Some.Content("Chart data.csv", "Date,Content,Video title,Video publish time,Views\r\n");
        var table = Some.Content("Table data.csv", TableHeader + "\n");

        // When they are validated
        // Then the empty chart is valid (nothing was charted), the table without even its Total row is not
        Assert.Empty(new StudioChartCsv().Validate(chart));
        Assert.Contains("no data rows", Assert.Single(new StudioTableCsv().Validate(table)).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Table data.csv", typeof(StudioTableCsv))]
    [InlineData("Table data (1).csv", typeof(StudioTableCsv))]
    [InlineData("Chart data.csv", typeof(StudioChartCsv))]
    [InlineData("Totals.csv", typeof(StudioTotalsCsv))]
    public void Should_Recognise_Each_Studio_File_By_Its_Name(string name, Type kind)
    {
        // Given the three files of a Studio export
        var content = name.StartsWith("Table", StringComparison.Ordinal) ? Lines(TableHeader, "Total,1,1,1,1,")
            : name.StartsWith("Chart", StringComparison.Ordinal) ? Lines("Date,Content,Video title,Video publish time,Views")
            : Lines("Date,Views", "\"Jan 8, 2025\",3");

        // When each is recognised
        // Then it is its own kind
        Assert.IsType(kind, new Recognizer(PlatformCatalog.Kinds).Recognize(name, System.Text.Encoding.UTF8.GetBytes(content)));
    }
}
