using System.Text;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.SpotifyForArtists;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.SpotifyForArtists;

public sealed class AudienceTimelineCsvTests
{
    private const string FileName = "ZONE A0-audience-timeline.csv";

    public sealed class TheReadMethod
    {
        private readonly AudienceTimelineCsv _kind = new();

        private List<SourceRow> Read(byte[] bytes, string fileName = FileName) => _kind.Read(Some.Content(fileName, bytes)).ToList();

        [Fact]
        public void Should_Read_The_Header_Of_A_Bom_Prefixed_File()
        {
            // Given a download starting with a byte order mark right before "date"
            var bytes = Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133");
            Assert.Equal(0xEF, bytes[0]);

            // When it is read
            var row = Assert.Single(Read(bytes));

            // Then the first column is called "date", without the mark
            Assert.Null(row.Problem);
            Assert.Equal("2025-05-01", row.Fields["date"]);
            Assert.Equal(["artist", "date", "followers", "listeners", "streams"], row.Fields.Keys.Order(StringComparer.Ordinal));
        }

        [Theory]
        [InlineData("\n")]
        [InlineData("\r\n")]
        [InlineData("\r")]
        public void Should_Read_The_Same_Rows_Whatever_The_Line_End(string lineEnd)
        {
            // Given the same download written with different line ends
            var bytes = Downloads.WithBom(lineEnd, Downloads.AudienceHeader, "2025-05-01,775,1056,2133", "2025-05-02,517,995,2134");

            // When it is read
            var rows = Read(bytes);

            // Then the rows, their line numbers and their last field carry no line-end characters
            Assert.Equal(["line 2", "line 3"], rows.Select(r => r.Locator));
            Assert.Equal(["2133", "2134"], rows.Select(r => r.Fields["followers"]));
            Assert.Equal(["2025-05-01", "2025-05-02"], rows.Select(r => r.Fields["date"]));
        }

        [Theory]
        [InlineData("ZONE A0-audience-timeline.csv", "ZONE A0")]
        [InlineData("pig1987-audience-timeline.csv", "pig1987")]
        [InlineData("S\u00f3lveig-audience-timeline.csv", "S\u00f3lveig")]
        public void Should_Take_The_Artist_From_The_File_Name_With_Its_Case(string fileName, string artist)
        {
            // Given a download whose artist is only in the file name
            var bytes = Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133", "2025-05-02,517,995,2134");

            // When it is read
            var rows = Read(bytes, fileName);

            // Then every row carries the artist as written in the name
            Assert.All(rows, row => Assert.Equal(artist, row.Fields["artist"]));
            Assert.All(rows, row => Assert.Equal("audience", row.Record));
        }

        [Fact]
        public void Should_Keep_The_Extra_Columns_Of_A_Newer_Export()
        {
            // Given the newer header with monthly, super listeners, playlist adds and saves
            var bytes = Downloads.Fresh(Downloads.NewerAudienceHeader, "2025-04-01,849,10429,3546,112,1239,0,15,2108");

            // When it is read
            var row = Assert.Single(Read(bytes));

            // Then every column is a field under its header name
            Assert.Equal("10429", row.Fields["monthly listeners"]);
            Assert.Equal("3546", row.Fields["monthly active listeners"]);
            Assert.Equal("112", row.Fields["super listeners"]);
            Assert.Equal("1239", row.Fields["streams"]);
            Assert.Equal("0", row.Fields["playlist adds"]);
            Assert.Equal("15", row.Fields["saves"]);
            Assert.Equal("2108", row.Fields["followers"]);
        }

        [Fact]
        public void Should_Read_Column_Names_In_Any_Case_And_Padding()
        {
            // Given a header re-typed by hand
            var bytes = Downloads.WithoutBom("\r\n", "Date, Listeners ,\"Streams\",FOLLOWERS", "2025-05-01,775,1056,2133");

            // When it is read
            var row = Assert.Single(Read(bytes));

            // Then the fields have the lower-case names
            Assert.Equal("775", row.Fields["listeners"]);
            Assert.Equal("1056", row.Fields["streams"]);
            Assert.Equal("2133", row.Fields["followers"]);
        }

        [Fact]
        public void Should_Yield_An_Unreadable_Row_With_Its_Line_When_The_Field_Count_Is_Wrong()
        {
            // Given a row with three fields between two good rows
            var bytes = Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133", "2025-05-02,517,995", "2025-05-03,708,1449,2135");

            // When it is read
            var rows = Read(bytes);

            // Then the short row is a problem on line 3 and its neighbours are read
            Assert.Equal(["line 2", "line 3", "line 4"], rows.Select(r => r.Locator));
            Assert.Null(rows[0].Problem);
            Assert.Equal("expected 4 comma-separated fields as in the header, found 3", rows[1].Problem);
            Assert.Empty(rows[1].Fields);
            Assert.Equal("audience", rows[1].Record);
            Assert.Equal("2025-05-03", rows[2].Fields["date"]);
        }

        [Fact]
        public void Should_Skip_Blank_Lines_And_Keep_Counting_Them()
        {
            // Given blank lines after the header and between the rows
            var bytes = Downloads.Fresh(Downloads.AudienceHeader, "", "2025-05-01,775,1056,2133", "", "2025-05-02,517,995,2134");

            // When it is read
            var rows = Read(bytes);

            // Then only the data lines are rows, at their real line numbers
            Assert.Equal(["line 3", "line 5"], rows.Select(r => r.Locator));
            Assert.All(rows, row => Assert.Null(row.Problem));
        }

        [Fact]
        public void Should_Read_No_Rows_From_A_Header_Only_File()
        {
            // Given a download with only its header
            var bytes = Downloads.Fresh(Downloads.AudienceHeader);

            // When it is read
            var rows = Read(bytes);

            // Then there are no rows
            Assert.Empty(rows);
        }
    }

    public sealed class TheValidateMethod
    {
        private readonly AudienceTimelineCsv _kind = new();

        private IReadOnlyList<RawProblem> Validate(byte[] bytes, string fileName = FileName) => _kind.Validate(Some.Content(fileName, bytes));

        [Fact]
        public void Should_Accept_A_Fresh_Download()
        {
            // Given a BOM, LF download with two days
            var bytes = Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133", "2025-05-02,517,995,2134");

            // When it is validated
            var problems = Validate(bytes);

            // Then there is nothing to report
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Accept_The_Newer_Header()
        {
            // Given the header with the extra columns
            var bytes = Downloads.Fresh(Downloads.NewerAudienceHeader, "2025-04-01,849,10429,3546,112,1239,0,15,2108");

            // When it is validated
            var problems = Validate(bytes);

            // Then the extra columns are not a problem
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Refuse_A_Header_Only_File_Naming_Why()
        {
            // Given a download with only its header
            var bytes = Downloads.Fresh(Downloads.AudienceHeader);

            // When it is validated
            var problems = Validate(bytes);

            // Then it is refused: there is nothing to load, and a half-finished download looks the same
            var problem = Assert.Single(problems);
            Assert.Equal("line 2", problem.Where);
            Assert.Contains("no data rows", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Name_The_Missing_Column()
        {
            // Given a header without followers
            var bytes = Downloads.Fresh("date,listeners,streams", "2025-05-01,775,1056");

            // When it is validated
            var problem = Assert.Single(Validate(bytes));

            // Then the problem is on the header line and names the column
            Assert.Equal("line 1 (header)", problem.Where);
            Assert.StartsWith("missing column(s) followers;", problem.Problem, StringComparison.Ordinal);
            Assert.Contains("found date,listeners,streams", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Report_A_Duplicated_Column()
        {
            // Given a header with streams twice
            var bytes = Downloads.Fresh("date,listeners,streams,followers,streams", "2025-05-01,775,1056,2133,1056");

            // When it is validated
            var problem = Assert.Single(Validate(bytes));

            // Then the problem is on the header line and names the column
            Assert.Equal("line 1 (header)", problem.Where);
            Assert.Equal("duplicated column(s) streams", problem.Problem);
        }

        [Fact]
        public void Should_Report_Columns_That_Differ_Only_In_Case_As_Duplicated()
        {
            // Given a header with "Date" and "date"
            var bytes = Downloads.Fresh("Date,listeners,streams,followers,date", "2025-05-01,775,1056,2133,2025-05-01");

            // When it is validated
            var problem = Assert.Single(Validate(bytes));

            // Then they are one column twice
            Assert.Equal("duplicated column(s) date", problem.Problem);
        }

        [Fact]
        public void Should_Reject_A_File_Whose_Name_Does_Not_Carry_The_Artist()
        {
            // Given an audience download saved as foo.csv
            var bytes = Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133");

            // When it is recognised and validated
            var kind = new Recognizer(PlatformCatalog.Kinds).Recognize("foo.csv", bytes);
            var problems = kind!.Validate(Some.Content("foo.csv", bytes));

            // Then its content makes it an audience timeline, whose artist the name does not give
            Assert.IsType<AudienceTimelineCsv>(kind);
            var problem = Assert.Single(problems);
            Assert.Equal("file name", problem.Where);
            Assert.Equal(
                "the artist is only in the file name, and 'foo.csv' does not have the expected form (<artist>-audience-timeline.csv)",
                problem.Problem);
        }

        [Theory]
        [InlineData(new byte[0])]
        [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
        [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'\r', (byte)'\n' })]
        public void Should_Report_An_Empty_File(byte[] bytes)
        {
            // Given a file with nothing, or only a byte order mark
            // When it is validated
            var problem = Assert.Single(Validate(bytes));

            // Then the problem is about the whole file
            Assert.Equal("file", problem.Where);
            Assert.Equal("the file is empty; expected a header line", problem.Problem);
        }

        [Fact]
        public void Should_Report_Binary_Data()
        {
            // Given a NUL byte in a row
            var bytes = Downloads.WithoutBom("\n", Downloads.AudienceHeader, "2025-05-01,7\0,1056,2133");

            // When it is validated
            var problem = Assert.Single(Validate(bytes));

            // Then the problem gives the byte's offset
            Assert.Equal($"byte {Array.IndexOf(bytes, (byte)0)}", problem.Where);
            Assert.Contains("NUL", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Read_The_Header_Of_A_Bom_Prefixed_File_With_A_Latin1_Byte()
        {
            // Given a download with its byte order mark whose one row holds a Latin-1 byte (0xF3), not UTF-8
            var bytes = Encoding.UTF8.GetPreamble()
                .Concat(Encoding.Latin1.GetBytes("date,listeners,streams,followers,note\n2025-05-01,775,1056,2133,S\u00f3lveig\n"))
                .ToArray();

            // When it is validated
            var problems = Validate(bytes);

            // Then the header is still date, listeners, streams, followers
            // (read as Latin-1, the BOM's bytes would otherwise stick to the first column name as "ï»¿")
            Assert.Empty(problems);
        }
    }

    public sealed class TheConversionToStaging
    {
        private readonly AudienceTimelineCsv _kind = new();
        private readonly RowConverter _converter = Some.Converter("spotify", "audience", sourceFile: FileName);

        private List<SourceRow> Read(byte[] bytes) => _kind.Read(Some.Content(FileName, bytes)).ToList();

        private object?[] Converted(SourceRow source)
        {
            var (row, reject) = _converter.Convert(source);
            Assert.Null(reject);
            return row!;
        }

        [Theory]
        [InlineData("5/7/2025")]
        [InlineData("05/07/2025")]
        [InlineData("2025-05-07")]
        public void Should_Convert_An_Excel_Date_To_An_Iso_Date(string text)
        {
            // Given an Excel round-trip: CRLF, no BOM, the 7th of May as M/D/YYYY (or still ISO)
            var source = Assert.Single(Read(Downloads.WithoutBom("\r\n", Downloads.AudienceHeader, text + ",775,1056,2133")));

            // When it is converted
            var row = Converted(source);

            // Then the date is the 7th of May 2025, written as 2025-05-07
            var date = _converter.Value(row, "date");
            Assert.Equal(new DateOnly(2025, 5, 7), date);
            Assert.Equal("2025-05-07", FieldValues.Format(_converter.Schema.Fields[_converter.Schema.IndexOf("date")], date));
        }

        [Fact]
        public void Should_Stage_The_Artist_From_The_File_Name()
        {
            // Given a row of ZONE A0's download
            var source = Assert.Single(Read(Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133")));

            // When it is converted
            var row = Converted(source);

            // Then the artist keeps its case and gets a key
            Assert.Equal("ZONE A0", _converter.Value(row, "artist_name"));
            Assert.Equal("zone a0", _converter.Value(row, "artist_key"));
            Assert.Equal(775L, _converter.Value(row, "listeners"));
            Assert.Equal(1056L, _converter.Value(row, "streams"));
            Assert.Equal(2133L, _converter.Value(row, "followers"));
        }

        [Fact]
        public void Should_Map_The_Extra_Columns_Of_A_Newer_Export()
        {
            // Given a row with the newer header
            var source = Assert.Single(Read(Downloads.Fresh(Downloads.NewerAudienceHeader, "2025-04-01,849,10429,3546,112,1239,4,15,2108")));

            // When it is converted
            var row = Converted(source);

            // Then each extra column has its staging field, and the usual ones are in place
            Assert.Equal(10429L, _converter.Value(row, "monthly_listeners"));
            Assert.Equal(3546L, _converter.Value(row, "monthly_active_listeners"));
            Assert.Equal(112L, _converter.Value(row, "super_listeners"));
            Assert.Equal(4L, _converter.Value(row, "playlist_adds"));
            Assert.Equal(15L, _converter.Value(row, "saves"));
            Assert.Equal(849L, _converter.Value(row, "listeners"));
            Assert.Equal(1239L, _converter.Value(row, "streams"));
            Assert.Equal(2108L, _converter.Value(row, "followers"));
        }

        [Fact]
        public void Should_Leave_The_Extra_Fields_Empty_For_An_Older_Export()
        {
            // Given a row with the four-column header
            var source = Assert.Single(Read(Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133")));

            // When it is converted
            var row = Converted(source);

            // Then the fields the file does not have are empty, not zero
            Assert.Null(_converter.Value(row, "monthly_listeners"));
            Assert.Null(_converter.Value(row, "super_listeners"));
            Assert.Null(_converter.Value(row, "saves"));
        }

        [Fact]
        public void Should_Reject_A_Row_With_An_Empty_Streams_Cell()
        {
            // Given a row whose streams cell is empty
            var source = Assert.Single(Read(Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,,2133")));

            // When it is converted
            var (row, reject) = _converter.Convert(source);

            // Then it is rejected by the required rule on streams, at its line
            Assert.Null(row);
            Assert.Equal("required", reject!.Rule);
            Assert.Equal("streams", reject.Field);
            Assert.Equal("line 2", reject.Locator);
        }

        [Fact]
        public void Should_Reject_An_Unreadable_Row_As_A_Structure_Problem()
        {
            // Given a row with a field too many
            var source = Assert.Single(Read(Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133,9")));

            // When it is converted
            var (row, reject) = _converter.Convert(source);

            // Then the reject carries the reader's problem
            Assert.Null(row);
            Assert.Equal("structure", reject!.Rule);
            Assert.Equal("line 2", reject.Locator);
            Assert.Equal("expected 4 comma-separated fields as in the header, found 5", reject.Message);
        }
    }

    public sealed class TheRecognizer
    {
        private readonly Recognizer _recognizer = new(PlatformCatalog.Kinds);

        [Fact]
        public void Should_Recognise_An_Audience_Timeline_And_Not_A_Song_Timeline()
        {
            // Given an audience download, whose header also has date and streams
            var bytes = Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133");

            // When it is recognised
            var kind = _recognizer.Recognize(FileName, bytes);

            // Then it is an audience timeline
            Assert.IsType<AudienceTimelineCsv>(kind);
        }

        [Fact]
        public void Should_Recognise_An_Audience_Timeline_Saved_Under_Another_Name()
        {
            // Given an audience download renamed by a browser
            var bytes = Downloads.Fresh(Downloads.NewerAudienceHeader, "2025-04-01,849,10429,3546,112,1239,0,15,2108");

            // When it is recognised
            var kind = _recognizer.Recognize("download (1).csv", bytes);

            // Then its header identifies it
            Assert.IsType<AudienceTimelineCsv>(kind);
        }

        [Fact]
        public void Should_Quarantine_A_Song_Timeline_Saved_Under_An_Audience_Name()
        {
            // Given a song timeline (date,streams) saved under an audience timeline's name
            var bytes = Downloads.Fresh(Downloads.TimelineHeader, "2025-05-01,207");

            // When it is recognised and validated
            var kind = _recognizer.Recognize(FileName, bytes);
            var problem = Assert.Single(kind!.Validate(Some.Content(FileName, bytes)));

            // Then the name makes it an audience timeline, and its validator names the missing columns
            Assert.IsType<AudienceTimelineCsv>(kind);
            Assert.Equal("line 1 (header)", problem.Where);
            Assert.StartsWith("missing column(s) listeners, followers;", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Not_Be_Claimed_By_The_Song_Timeline()
        {
            // Given an audience download
            var bytes = Downloads.Fresh(Downloads.AudienceHeader, "2025-05-01,775,1056,2133");

            // When / Then the song timeline kind claims neither its name nor its header
            Assert.False(new SongTimelineCsv().MatchesName(FileName));
            Assert.False(new SongTimelineCsv().MatchesContent(bytes));
        }
    }
}
