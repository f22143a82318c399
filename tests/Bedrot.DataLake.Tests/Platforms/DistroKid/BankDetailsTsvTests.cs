using System.Text;
using Bedrot.DataLake.Platforms.DistroKid;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.DistroKid;

public sealed class BankDetailsTsvTests
{
    private const string FileName = "dk_bank_details_20250601_093015.tsv";

    public sealed class TheReadMethod
    {
        private readonly BankDetailsTsv _kind = new();

        [Fact]
        public void Should_Read_Every_Row_When_Lines_End_With_A_Bare_Cr()
        {
            // Given an export with bare-CR line ends, the last line ending with a CR too
            var bytes = new BankExport()
                .WithRow(("Artist", "ZONE A0"), ("Title", "GLASS ANGEL"), ("Quantity", "1234"))
                .WithRow(("Artist", "PIG1987"), ("Title", "KEYGEN"), ("Store", "Apple Music"), ("Quantity", "17"))
                .WithRow(("Artist", "ZONE A0"), ("Title", "HOLD ON I"), ("Country of Sale", "DE"), ("Quantity", "3"))
                .Bytes("\r");
            Assert.DoesNotContain((byte)'\n', bytes);

            // When it is read
            var rows = _kind.Read(Some.Content(FileName, bytes)).ToList();

            // Then each line is one row with the field values of that line
            Assert.Equal(3, rows.Count);
            Assert.All(rows, row => Assert.Null(row.Problem));
            Assert.Equal(["ZONE A0", "PIG1987", "ZONE A0"], rows.Select(r => r.Fields["Artist"]));
            Assert.Equal(["GLASS ANGEL", "KEYGEN", "HOLD ON I"], rows.Select(r => r.Fields["Title"]));
            Assert.Equal(["1234", "17", "3"], rows.Select(r => r.Fields["Quantity"]));
            Assert.Equal("Apple Music", rows[1].Fields["Store"]);
            Assert.Equal("DE", rows[2].Fields["Country of Sale"]);
            Assert.Equal("3.41234567", rows[2].Fields["Earnings (USD)"]);
            Assert.Equal(BankExport.Columns.Order(StringComparer.Ordinal), rows[0].Fields.Keys.Order(StringComparer.Ordinal));
        }

        [Theory]
        [InlineData("\n")]
        [InlineData("\r\n")]
        [InlineData("\r")]
        public void Should_Read_The_Same_Rows_Whatever_The_Line_End(string lineEnd)
        {
            // Given the same export written with different line ends
            var bytes = new BankExport()
                .WithRow(("Title", "ONE"), ("Earnings (USD)", "0.5"))
                .WithRow(("Title", "TWO"), ("Earnings (USD)", "1.25"))
                .Bytes(lineEnd);

            // When it is read
            var rows = _kind.Read(Some.Content(FileName, bytes)).ToList();

            // Then the rows and their last field carry no line-end characters
            Assert.Equal(["ONE", "TWO"], rows.Select(r => r.Fields["Title"]));
            Assert.Equal(["0.5", "1.25"], rows.Select(r => r.Fields["Earnings (USD)"]));
        }

        [Fact]
        public void Should_Keep_Negative_Earnings()
        {
            // Given a reversal row (negative earnings, 8 decimals)
            var bytes = new BankExport().WithRow(("Quantity", "0"), ("Earnings (USD)", "-0.00123456")).Bytes();

            // When it is read
            var row = Assert.Single(_kind.Read(Some.Content(FileName, bytes)));

            // Then the earnings are the text of the file, sign and all
            Assert.Equal("-0.00123456", row.Fields["Earnings (USD)"]);
            Assert.Equal("0", row.Fields["Quantity"]);
        }

        [Fact]
        public void Should_Read_A_Latin1_Byte_As_The_Latin1_Character()
        {
            // Given an artist name with the Latin-1 byte 0xE9, which is not valid UTF-8 on its own
            var bytes = new BankExport().WithRow(("Artist", "Beyonc\u00e9")).Bytes();
            Assert.Contains((byte)0xE9, bytes);

            // When it is read
            var row = Assert.Single(_kind.Read(Some.Content(FileName, bytes)));

            // Then the name holds "é"
            Assert.Equal("Beyonc\u00e9", row.Fields["Artist"]);
        }

        [Fact]
        public void Should_Read_Utf8_Text_As_Utf8()
        {
            // Given an export that is valid UTF-8 with a two-byte character
            var bytes = Encoding.UTF8.GetBytes(new BankExport().WithRow(("Artist", "S\u00f3lveig")).Text());

            // When it is read
            var row = Assert.Single(_kind.Read(Some.Content(FileName, bytes)));

            // Then the character is decoded once, not as two Latin-1 characters
            Assert.Equal("S\u00f3lveig", row.Fields["Artist"]);
        }

        [Fact]
        public void Should_Yield_An_Unreadable_Row_With_Its_Line_When_The_Field_Count_Is_Wrong()
        {
            // Given a row with three fields between two good rows
            var bytes = new BankExport()
                .WithRow(("Title", "FIRST"))
                .WithLine("2025-06-01\t2025-03\tSpotify")
                .WithRow(("Title", "THIRD"))
                .Bytes();

            // When it is read
            var rows = _kind.Read(Some.Content(FileName, bytes)).ToList();

            // Then the short row is a problem at line 3 and the rows around it are read
            Assert.Equal(3, rows.Count);
            Assert.Equal(["line 2", "line 3", "line 4"], rows.Select(r => r.Locator));
            Assert.Null(rows[0].Problem);
            Assert.Contains("found 3", rows[1].Problem);
            Assert.Empty(rows[1].Fields);
            Assert.Equal("THIRD", rows[2].Fields["Title"]);
        }
    }

    public sealed class TheValidateMethod
    {
        private readonly BankDetailsTsv _kind = new();

        [Fact]
        public void Should_Accept_A_Well_Formed_Export()
        {
            // Given a bare-CR export with the contract's header and one row
            var bytes = new BankExport().WithRow().Bytes();

            // When it is validated
            var problems = _kind.Validate(Some.Content(FileName, bytes));

            // Then there is nothing to report
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Name_The_Missing_Column_When_A_Column_Is_Renamed()
        {
            // Given a header where "Store" is called "Shop"
            var header = BankExport.Columns.Select(c => c == "Store" ? "Shop" : c).ToArray();
            var bytes = new BankExport().WithHeader(header).WithRow().Bytes();

            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, bytes)));

            // Then the problem is on line 1 and names the missing and the unexpected column
            Assert.Contains("line 1", problem.Where);
            Assert.Contains("missing: Store", problem.Problem);
            Assert.Contains("unexpected: Shop", problem.Problem);
        }

        [Fact]
        public void Should_Name_The_Missing_Column_When_A_Column_Is_Dropped()
        {
            // Given a header without "Earnings (USD)"
            var header = BankExport.Columns.Where(c => c != "Earnings (USD)").ToArray();
            var bytes = new BankExport().WithHeader(header).WithLine(string.Join('\t', header)).Bytes();

            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, bytes)));

            // Then the problem is on line 1 and names the column
            Assert.Contains("line 1", problem.Where);
            Assert.Contains("missing: Earnings (USD)", problem.Problem);
            Assert.Contains("found 12 column(s)", problem.Problem);
        }

        [Fact]
        public void Should_Report_An_Export_With_A_Header_But_No_Rows()
        {
            // Given only the header line
            var bytes = new BankExport().Bytes();

            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, bytes)));

            // Then the problem says there are no data rows
            Assert.Contains("no data rows", problem.Problem);
        }

        [Fact]
        public void Should_Report_An_Empty_File()
        {
            // Given no bytes at all
            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, [])));

            // Then the problem says it is empty
            Assert.Contains("empty", problem.Problem);
        }

        [Fact]
        public void Should_Report_Binary_Data()
        {
            // Given an export with a NUL byte in a row
            var bytes = new BankExport().WithRow(("Title", "BAD\0TITLE")).Bytes();

            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, bytes)));

            // Then the problem names the NUL byte and where it is
            Assert.Contains("NUL", problem.Problem);
            Assert.Equal($"byte {Array.IndexOf(bytes, (byte)0)}", problem.Where);
        }
    }

    public sealed class TheMatchesNameMethod
    {
        [Theory]
        [InlineData("dk_bank_details_20250601_093015.tsv", true)]
        [InlineData("sales_report_20240601.tsv", true)]
        [InlineData("DK_BANK_DETAILS_20250601.TSV", true)]
        [InlineData("foo.tsv", false)]
        [InlineData("dk_bank_details_20250601_093015.csv", false)]
        [InlineData("dk_bank_details.tsv", false)]
        [InlineData("streams_stats_20250522_085156.html", false)]
        public void Should_Match_Only_Bank_Export_Names(string fileName, bool expected)
        {
            // Given a file name
            // When the kind checks it
            var matches = new BankDetailsTsv().MatchesName(fileName);

            // Then only the bank export's names match
            Assert.Equal(expected, matches);
        }
    }

    public sealed class TheMatchesContentMethod
    {
        [Fact]
        public void Should_Match_The_Bank_Export_Header()
        {
            // Given the start of an export
            var head = new BankExport().WithRow().Bytes();

            // When / Then it matches
            Assert.True(new BankDetailsTsv().MatchesContent(head));
        }

        [Fact]
        public void Should_Match_The_Header_After_A_Byte_Order_Mark()
        {
            // Given an export saved with a UTF-8 byte order mark
            var head = Encoding.UTF8.GetPreamble().Concat(new BankExport().WithRow().Bytes()).ToArray();

            // When / Then it still matches
            Assert.True(new BankDetailsTsv().MatchesContent(head));
        }

        [Theory]
        [InlineData("Reporting Date,Sale Month,Store")]
        [InlineData("<!DOCTYPE html><html>")]
        [InlineData("")]
        public void Should_Not_Match_Other_Content(string text)
        {
            // Given content that is not a tab-separated bank export
            // When / Then it does not match
            Assert.False(new BankDetailsTsv().MatchesContent(Encoding.UTF8.GetBytes(text)));
        }
    }
}
