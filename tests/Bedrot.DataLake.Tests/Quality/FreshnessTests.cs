using Bedrot.DataLake.Quality;
using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Tests.Quality;

/// <summary>
/// Freshness by cadence: the share of the expected periods present in the window up to as-of less
/// the lag, with every gap and every pair of overlapping files listed.
/// </summary>
public sealed class FreshnessTests
{
    private static readonly DateOnly AsOf = new(2025, 6, 2);
    private static readonly FreshnessRule Daily = new("date", "day", 2, 28);

    [Fact]
    public void Should_Score_1_When_Every_Day_Up_To_As_Of_Less_The_Lag_Is_Present()
    {
        // Given days 2025-05-01..2025-05-31 and as-of 2025-06-02 with a lag of 2 days
        var result = FreshnessResult.Judge(Daily, AsOf, [("a.json", "2025-05-01..2025-05-31")], "newest wins");

        // Then the newest expected day is 2025-05-31, it is there, and nothing is missing
        Assert.Equal(1, result.Score);
        Assert.Equal("2025-05-31", result.Expected);
        Assert.Equal("2025-05-31", result.Newest);
        Assert.Empty(result.Gaps);
    }

    [Fact]
    public void Should_Lower_The_Score_By_The_Missing_Days_Of_The_Window_And_List_Them_As_Gaps()
    {
        // Given a series that stopped on 2025-05-25 (6 of the 28 window days missing) and lacks 2025-05-10
        var result = FreshnessResult.Judge(Daily, AsOf, [("a.json", "2025-05-01..2025-05-09 2025-05-11..2025-05-25")], "newest wins");

        // Then the window 2025-05-04..2025-05-31 holds 21 of its 28 days, and both gaps are named
        Assert.Equal(21d / 28, result.Score, 6);
        Assert.Equal(["2025-05-10", "2025-05-26..2025-05-31"], result.Gaps);
    }

    [Fact]
    public void Should_Count_Only_Periods_From_The_First_One_When_The_History_Is_Shorter_Than_The_Window()
    {
        // Given five days of history ending on the expected day
        var result = FreshnessResult.Judge(Daily, AsOf, [("a.json", "2025-05-27..2025-05-31")], "newest wins");

        // Then the window is those five days, all present
        Assert.Equal(1, result.Score);
    }

    [Fact]
    public void Should_Not_Penalise_Data_Newer_Than_Expected()
    {
        // Given a series that starts after the expected day
        var result = FreshnessResult.Judge(Daily, AsOf, [("a.json", "2025-06-05..2025-06-10")], "newest wins");

        // Then it is fresh
        Assert.Equal(1, result.Score);
        Assert.Empty(result.Gaps);
    }

    [Fact]
    public void Should_Judge_Statement_Months_By_Month()
    {
        // Given sale months up to 2025-01, a lag of 75 days and a window of 3 months, as of 2025-06-02
        var monthly = new FreshnessRule("sale_month", "month", 75, 3);
        var result = FreshnessResult.Judge(monthly, AsOf, [("bank.tsv", "2024-10..2024-12 2025-01")], "newest wins");

        // Then 2025-03 is expected (2025-06-02 less 75 days is 2025-03-19), 2025-02 and 2025-03 are missing: 1 of 3
        Assert.Equal("2025-03", result.Expected);
        Assert.Equal(1d / 3, result.Score, 6);
        Assert.Equal(["2025-02..2025-03"], result.Gaps);
    }

    [Fact]
    public void Should_List_Files_That_Hold_The_Same_Periods_With_How_They_Are_Resolved()
    {
        // Given two snapshots that share ten days
        var result = FreshnessResult.Judge(Daily, AsOf,
            [("one.json", "2025-05-01..2025-05-31"), ("two.json", "2025-05-22..2025-05-31")], "streaming_unified: the newest file wins per date");

        // Then the overlap names both files, the shared days and the rule
        var overlap = Assert.Single(result.Overlaps);
        Assert.Equal(("one.json", "two.json", "2025-05-22..2025-05-31", 10), (overlap.First, overlap.Second, overlap.Periods, overlap.Count));
        Assert.Equal("streaming_unified: the newest file wins per date", overlap.Resolution);
    }

    [Fact]
    public void Should_Judge_A_Dataset_Without_A_Date_Field_By_Its_Newest_File()
    {
        // Given a dataset judged by the days its files were taken, with a lag of 7 days
        var bySnapshot = FreshnessRule.BySnapshot;

        // Then a file taken within the week is fresh, and one taken before it is not
        Assert.Equal(1, FreshnessResult.Judge(bySnapshot, AsOf, [("a.csv", "2025-05-20"), ("b.csv", "2025-05-30")], "").Score);
        var stale = FreshnessResult.Judge(bySnapshot, AsOf, [("a.csv", "2025-05-20")], "");
        Assert.Equal(0, stale.Score);
        Assert.Equal(["2025-05-21..2025-05-26"], stale.Gaps);
    }

    [Fact]
    public void Should_Score_0_Without_Any_Data()
    {
        var result = FreshnessResult.Judge(Daily, AsOf, [("empty.csv", "")], "");
        Assert.Equal(0, result.Score);
        Assert.Null(result.Newest);
    }

    [Theory]
    [InlineData("day", "2025-05-01 2025-05-02 2025-05-04", "2025-05-01..2025-05-02 2025-05-04")]
    [InlineData("month", "2024-12 2025-01 2025-03", "2024-12..2025-01 2025-03")]
    [InlineData("day", "2024-12-31 2025-01-01", "2024-12-31..2025-01-01")]
    public void Should_Write_Periods_As_Ranges_And_Read_Them_Back(string cadence, string periods, string ranges)
    {
        // When periods are written as coverage, Then consecutive ones become ranges, and reading them gives the periods back
        var written = Coverage.Format(periods.Split(' '), cadence);
        Assert.Equal(ranges, written);
        Assert.Equal(periods.Split(' '), Coverage.Periods(Coverage.Ranges(written), cadence).Select(p => Coverage.Text(p, cadence)));
    }

    [Fact]
    public void Should_Count_Every_File_That_Repeats_Earlier_Periods_In_One_Pass_And_List_The_First_Hundred()
    {
        // Given 3,000 bank exports that each repeat the same eight statement months (as DistroKid's do)
        var monthly = new FreshnessRule("sale_month", "month", 75, 3);
        var files = Enumerable.Range(1, 3000).Select(i => ($"bank_{i:0000}.tsv", "2024-11..2025-06")).ToList();

        // When the dataset is judged
        var result = FreshnessResult.Judge(monthly, AsOf, files, "streaming_unified: the newest file wins per reporting_date");

        // Then every file after the first is counted as repeating them, the first hundred are listed, each
        // naming the first file and how many more held them before
        Assert.Equal(2999, result.OverlapCount);
        Assert.Equal(FreshnessResult.MostOverlapsListed, result.Overlaps.Count);
        var last = result.Overlaps[^1];
        Assert.Equal(("bank_0001.tsv", "bank_0101.tsv", "2024-11..2025-06", 8, 99), (last.First, last.Second, last.Periods, last.Count, last.OtherFiles));
    }

    [Fact]
    public void Should_Count_Only_The_Files_That_Repeat_Earlier_Periods_After_The_List_Is_Full()
    {
        // Given 200 exports of the same months, then ones with new months, with some new and some old,
        // with none, and again the same as an earlier one
        var monthly = new FreshnessRule("sale_month", "month", 75, 3);
        var files = Enumerable.Range(1, 200).Select(i => ($"bank_{i:0000}.tsv", "2024-11..2025-06"))
            .Append(("new.tsv", "2025-07..2025-08"))
            .Append(("partly.tsv", "2025-08..2025-09"))
            .Append(("empty.tsv", string.Empty))
            .Append(("new-again.tsv", "2025-07..2025-08"))
            .Append(("later.tsv", "2025-10"))
            .ToList();

        // When the dataset is judged
        var result = FreshnessResult.Judge(monthly, AsOf, files, "streaming_unified: the newest file wins per reporting_date");

        // Then 199 repeats of the first, the one partly repeating, and the one repeating new.tsv are counted; the rest are not
        Assert.Equal(199 + 2, result.OverlapCount);
        Assert.Equal(FreshnessResult.MostOverlapsListed, result.Overlaps.Count);
        Assert.Equal("2025-10", result.Newest);
    }
}
