using System.Text;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.TikTok;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;
using static Bedrot.DataLake.Tests.Hostile.Exports;
using static Bedrot.DataLake.Tests.Platforms.TikTok.StudioExports;

namespace Bedrot.DataLake.Tests.Platforms.TikTok;

public sealed class StudioExportZipTests
{
    private static readonly StudioExportZip Kind = new();

    private static IReadOnlyList<RawProblem> Validate(byte[] zip, string name = JanuaryName) => Kind.Validate(Some.Content(name, zip));

    private static List<SourceRow> Read(byte[] zip, string name = JanuaryName) => Kind.Read(Some.Content(name, zip)).ToList();

    private static string Problems(IReadOnlyList<RawProblem> problems) => string.Join("\n", problems.Select(p => $"{p.Where}: {p.Problem}"));

    public sealed class TheValidateMethod
    {
        [Fact]
        public void Should_Accept_An_Export_With_Every_Sheet()
        {
            // Given a ZIP with the seven sheets, BOM, quoted fields, no final newline and undefined values
            var zip = Zip(
                ("Overview.csv", Overview(("January 4", "100"), ("January 5", "undefined"))),
                ("Content.csv", Sheet(ContentHeader, ["A", "https://www.tiktok.com/@x/video/123", "January 2", "1", "2", "3", "4"])),
                ("Viewers.csv", Sheet(["Date", "Total Viewers", "New Viewers", "Returning Viewers"], ["January 5", "9", "5", "4"])),
                ("FollowerHistory.csv", Sheet(HistoryHeader, ["January 5", "100", "-3"])),
                ("FollowerGender.csv", Sheet(["Gender", "Distribution"], ["Female", "0.5"])),
                ("FollowerTopTerritories.csv", Sheet(["Top territories", "Distribution"], ["US", "0.4"])),
                ("FollowerActivity.csv", Sheet(["Date", "Hour", "Active followers"], ["January 5", "0", "12"])));

            // When it is validated
            // Then nothing is wrong with it
            Assert.Empty(Validate(zip));
        }

        [Theory]
        [InlineData("../x.csv", "climbs out")]
        [InlineData("sheets/../../x.csv", "climbs out")]
        [InlineData("/etc/Overview.csv", "absolute path")]
        [InlineData("C:/Users/x/Overview.csv", "absolute path")]
        [InlineData("..\\x.csv", "climbs out")]
        public void Should_Refuse_An_Entry_Whose_Path_Leaves_The_Archive(string entry, string words)
        {
            // Given an export with a good Overview and one entry whose path points outside the archive
            var zip = Zip(("Overview.csv", Overview(("January 5", "1"))), (entry, Encoding.UTF8.GetBytes("\"a\"")));

            // When it is validated
            var problems = Validate(zip);

            // Then the entry is named with what is wrong
            var problem = Assert.Single(problems);
            Assert.Contains(entry, problem.Where, StringComparison.Ordinal);
            Assert.Contains(words, problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Refuse_More_Entries_Than_An_Export_Has()
        {
            // Given a ZIP of 40 small CSVs
            var zip = Zip(Enumerable.Range(0, 40).Select(i => ($"Sheet{i}.csv", Encoding.UTF8.GetBytes("\"a\""))).Prepend(("Overview.csv", Overview(("January 5", "1")))).ToArray());

            // When it is validated
            // Then the count is the reason
            Assert.Contains("41 entries", Problems(Validate(zip)), StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Refuse_An_Entry_That_Inflates_Past_The_Size_Limit_Without_Inflating_It()
        {
            // Given a ZIP whose Overview.csv inflates to 33 MB
            var zip = ZipBomb("Overview.csv", 33L << 20);

            // When it is validated
            var problems = Validate(zip);

            // Then the declared size is the reason
            Assert.Contains("over the 32 MB", Problems(problems), StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Refuse_A_Zip_Bomb_By_Its_Compression_Ratio()
        {
            // Given a ZIP whose one sheet is 4 MB of zeros (a ratio of about 1000 to 1)
            var zip = ZipBomb("Overview.csv", 4L << 20);

            // When it is validated
            // Then it is named a ZIP bomb
            Assert.Contains("ZIP bomb", Problems(Validate(zip)), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("evil.exe")]
        [InlineData("Overview.xlsx")]
        [InlineData("nested.zip")]
        public void Should_Refuse_An_Entry_That_Is_Not_A_Csv(string entry)
        {
            // Given a good export with one more entry that is not a CSV
            var zip = Zip(("Overview.csv", Overview(("January 5", "1"))), (entry, [1, 2, 3]));

            // When it is validated
            var problem = Assert.Single(Validate(zip));

            // Then that entry is named
            Assert.Contains(entry, problem.Where, StringComparison.Ordinal);
            Assert.Contains("not a CSV", problem.Problem, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(0.5)]
        [InlineData(0.9)]
        [InlineData(0.1)]
        public void Should_Refuse_A_Truncated_Download(double kept)
        {
            // Given a download cut short
            var zip = OverviewZip(("January 5", "1"), ("January 4", "2"));
            var truncated = zip[..(int)(zip.Length * kept)];

            // When it is validated
            // Then it is not a readable ZIP
            Assert.Contains("not a readable ZIP", Problems(Validate(truncated)), StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Refuse_An_Export_Without_Its_Overview()
        {
            // Given a ZIP holding only a follower history
            var zip = Zip(("FollowerHistory.csv", Sheet(HistoryHeader, ["January 5", "100", "1"])));

            // When it is validated
            // Then the missing Overview.csv is the reason, and the entries found are listed
            var text = Problems(Validate(zip));
            Assert.Contains("no Overview.csv", text, StringComparison.Ordinal);
            Assert.Contains("FollowerHistory.csv", text, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Refuse_A_Sheet_Missing_A_Column_Naming_The_Sheet_And_The_Column()
        {
            // Given an Overview without its Shares column
            var zip = Zip(("Overview.csv", Sheet(["Date", "Video Views", "Profile Views", "Likes", "Comments"], ["January 5", "1", "2", "3", "4"])));

            // When it is validated
            var problem = Assert.Single(Validate(zip));

            // Then the sheet, the header line and the column are named
            Assert.Equal("Overview.csv line 1 (header)", problem.Where);
            Assert.Contains("missing column(s) Shares", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Refuse_A_Sheet_None_Of_Whose_Dates_Is_A_Day()
        {
            // Given an Overview whose dates are in a language the parser does not know
            var zip = OverviewZip(("5. Januar", "1"), ("6. Januar", "2"));

            // When it is validated
            var problem = Assert.Single(Validate(zip));

            // Then the first bad value is named with its sheet, line and field
            Assert.Equal("Overview.csv line 2, field Date", problem.Where);
            Assert.Contains("'5. Januar' is not a day", problem.Problem, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("Overview.zip")]
        [InlineData("Overview_2025-01-05_bedrotrecords.zip")]
        [InlineData("tiktok_export.zip")]
        public void Should_Refuse_A_Name_Without_The_Export_Date(string name)
        {
            // Given a good export saved under a name without its export date and account
            // When it is validated
            var problem = Assert.Single(Validate(OverviewZip(("January 5", "1")), name));

            // Then the name is the reason, since the year of every day comes from it
            Assert.Equal("file name", problem.Where);
            Assert.Contains("Overview_YYYY-MM-DD_<epoch>_<account>.zip", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Refuse_Two_Entries_For_One_Sheet()
        {
            // Given a ZIP with an Overview.csv at its root and another in a folder
            var zip = Zip(("Overview.csv", Overview(("January 5", "1"))), ("old/Overview.csv", Overview(("January 5", "9"))));

            // When it is validated
            // Then the second is named: which one is right cannot be known
            Assert.Contains("a second Overview.csv", Problems(Validate(zip)), StringComparison.Ordinal);
        }
    }

    public sealed class TheReadMethod
    {
        [Fact]
        public void Should_Resolve_Year_Less_Days_Across_New_Year_From_The_Export_Date()
        {
            // Given an export taken on 2025-01-05 whose Overview runs from December into January
            var zip = OverviewZip(("December 30", "1"), ("December 31", "2"), ("January 1", "3"), ("January 5", "4"));

            // When it is read
            var rows = Read(zip);

            // Then December is 2024 and January 2025, and the text as exported is kept beside
            Assert.Equal(["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-05"], rows.Select(r => r.Fields["Date"]));
            Assert.Equal(["December 30", "December 31", "January 1", "January 5"], rows.Select(r => r.Fields["Date (as exported)"]));
        }

        [Fact]
        public void Should_Read_Spanish_Month_Names()
        {
            // Given a Spanish-language export taken on 2025-03-10
            var zip = OverviewZip(("28 de febrero", "1"), ("8 de marzo", "2"));

            // When it is read
            var rows = Read(zip, "Overview_2025-03-10_1741632300_zonea0.official.zip");

            // Then the days are resolved, and the account comes from the name, dots and all
            Assert.Equal(["2025-02-28", "2025-03-08"], rows.Select(r => r.Fields["Date"]));
            Assert.All(rows, r => Assert.Equal("zonea0.official", r.Fields["account"]));
        }

        [Fact]
        public void Should_Read_The_Last_Row_Without_A_Final_Newline_And_Keep_Undefined_As_Written()
        {
            // Given an Overview ending without a newline, its last row holding undefined
            var zip = OverviewZip(("January 4", "7"), ("January 5", "undefined"));
            Assert.NotEqual((byte)'\n', Overview(("January 5", "undefined"))[^1]);

            // When it is read
            var rows = Read(zip);

            // Then both rows are there, the header without its BOM, and undefined is left for the schema to treat as missing
            Assert.Equal(2, rows.Count);
            Assert.Equal(["7", "undefined"], rows.Select(r => r.Fields["Video Views"]));
            Assert.Contains("Date", rows[0].Fields.Keys);
        }

        [Fact]
        public void Should_Name_The_Sheet_And_Line_Of_Each_Row_And_Tag_Its_Record()
        {
            // Given an Overview and a follower history
            var zip = Zip(("Overview.csv", Overview(("January 5", "1"))), ("FollowerHistory.csv", Sheet(HistoryHeader, ["January 4", "10", "-2"], ["January 5", "9", "-1"])));

            // When it is read
            var rows = Read(zip);

            // Then every row says which sheet and line it came from, and its record type
            Assert.Equal(["Overview.csv line 2", "FollowerHistory.csv line 2", "FollowerHistory.csv line 3"], rows.Select(r => r.Locator));
            Assert.Equal(["overview", "follower_history", "follower_history"], rows.Select(r => r.Record));
            Assert.Equal(["-2", "-1"], rows.Skip(1).Select(r => r.Fields["Difference in followers from previous day"]));
        }

        [Fact]
        public void Should_Take_The_Video_Id_From_The_Link_And_Keep_Quotes_And_Commas_In_Titles()
        {
            // Given a Content sheet with a title holding quotes, a comma and an emoji
            var zip = Zip(("Overview.csv", Overview(("January 5", "1"))),
                ("Content.csv", Sheet(ContentHeader, ["Studio day: \"KEYGEN\", take 4 \U0001F319", "https://www.tiktok.com/@bedrotrecords/video/7452704211234567890", "December 27", "455", "12", "9", "5120"])));

            // When it is read
            var video = Read(zip).Single(r => r.Record == "content");

            // Then the title is as written, the id is kept as text, and the post time has its year
            Assert.Equal("Studio day: \"KEYGEN\", take 4 \U0001F319", video.Fields["Video title"]);
            Assert.Equal("7452704211234567890", video.Fields["video_id"]);
            Assert.Equal("2024-12-27", video.Fields["Post time"]);
        }

        [Fact]
        public void Should_Give_Unreadable_Rows_Not_Throw_For_A_Damaged_Archive()
        {
            // Given a damaged ZIP read without validating it first
            var zip = OverviewZip(("January 5", "1"));

            // When it is read
            var rows = Read(zip[..(zip.Length / 2)]);

            // Then the rows say why it could not be read
            var row = Assert.Single(rows);
            Assert.Contains("not a readable ZIP", row.Problem, StringComparison.Ordinal);
        }
    }

    public sealed class TheRecognizer
    {
        private readonly Recognizer _recognizer = new(PlatformCatalog.Kinds);

        [Fact]
        public void Should_Recognise_A_Studio_Zip_By_Its_Name_And_By_Its_Content_Under_Another_Name()
        {
            // Given a Studio ZIP
            var zip = OverviewZip(("January 5", "1"));

            // When it is recognised under its own name and under a name of no platform
            // Then it is the Studio export both times
            Assert.IsType<StudioExportZip>(_recognizer.Recognize(JanuaryName, zip));
            Assert.IsType<StudioExportZip>(_recognizer.Recognize("download (3).zip", zip));
        }
    }
}
