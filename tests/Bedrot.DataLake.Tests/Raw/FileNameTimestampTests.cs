using Bedrot.DataLake.Raw;

namespace Bedrot.DataLake.Tests.Raw;

public sealed class FileNameTimestampTests
{
    public sealed class TheTextMethod
    {
        [Theory]
        [InlineData("streams_stats_20250522_085156.html", "20250522_085156")]
        [InlineData("dk_bank_details_20250601_093015.tsv", "20250601_093015")]
        [InlineData("sales_report_20240601.tsv", "20240601")]
        [InlineData("distrokid/2025/applemusic_stats_20250819_073704.html", "20250819_073704")]
        [InlineData("dk_bank_details_20250601_093015.v2.tsv", "20250601_093015")]
        public void Should_Find_The_Timestamp_In_The_Name(string fileName, string expected)
        {
            // Given an export's name
            // When its timestamp is looked for
            // Then it is the text as it appears in the name
            Assert.Equal(expected, FileNameTimestamp.Text(fileName));
        }

        [Theory]
        [InlineData("foo.tsv")]
        [InlineData("export_2025060.tsv")]
        [InlineData("export_123456789.tsv")]
        [InlineData("export_20251340_000000.tsv")]
        [InlineData("export_20250230.tsv")]
        public void Should_Find_None_In_A_Name_Without_A_Valid_Date(string fileName)
        {
            // Given a name without eight digits, with more, or with an impossible date
            // When its timestamp is looked for
            // Then there is none
            Assert.Null(FileNameTimestamp.Text(fileName));
        }
    }

    public sealed class TheParseMethod
    {
        [Fact]
        public void Should_Read_A_Date_And_Time_As_Utc()
        {
            // Given a timestamp with a time
            // When it is parsed
            var value = FileNameTimestamp.Parse("20250522_085156");

            // Then it is that moment in UTC
            Assert.Equal(new DateTimeOffset(2025, 5, 22, 8, 51, 56, TimeSpan.Zero), value);
        }

        [Fact]
        public void Should_Read_A_Date_Alone_As_Midnight_Utc()
        {
            // Given a date only
            // When it is parsed
            var value = FileNameTimestamp.Parse("20240601");

            // Then it is the start of that day in UTC
            Assert.Equal(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), value);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("20250522_256000")]
        [InlineData("2025-05-22")]
        public void Should_Give_Null_For_No_Or_Bad_Text(string? text)
        {
            // Given nothing, an impossible time or another format
            // When it is parsed
            // Then there is no time
            Assert.Null(FileNameTimestamp.Parse(text));
        }
    }
}
