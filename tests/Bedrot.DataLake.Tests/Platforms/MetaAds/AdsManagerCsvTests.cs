using System.Text;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.MetaAds;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.MetaAds;

public sealed class AdsManagerCsvTests
{
    private const string FileName = AdsManagerExports.FileName;

    private static List<SourceRow> Read(byte[] bytes) => new AdsManagerCsv().Read(Some.Content(FileName, bytes)).ToList();

    private static IReadOnlyList<RawProblem> Validate(byte[] bytes) => new AdsManagerCsv().Validate(Some.Content(FileName, bytes));

    private static IEnumerable<KeyValuePair<string, string?>> Sorted(SourceRow row) => row.Fields.OrderBy(f => f.Key, StringComparer.Ordinal);

    public sealed class TheReadMethod
    {
        [Fact]
        public void Should_Take_The_Decimal_Mark_From_The_Numbers_When_A_Semicolon_Export_Writes_Them_The_English_Way()
        {
            // Given a ';'-separated export whose numbers use '.' as the decimal mark (77.99, not 77,99)
            var bytes = AdsManagerExports.WithoutBom("\n",
                AdsManagerExports.EnglishHeader.Replace(',', ';'),
                "2025-06-05;2025-06-05;Night Drive;120212345678901234;52;actions:link_click;77.99;5165;52;1.01;4310;1.2;15.10");

            // When it is read
            var row = Assert.Single(Read(bytes));

            // Then the numbers keep their decimals: the '.' is not taken for a thousands separator
            Assert.Equal("77.99", row.Fields["Amount spent (USD)"]);
            Assert.Equal("1.01", row.Fields["CTR (link click-through rate)"]);
            Assert.Equal("5165", row.Fields["Impressions"]);
        }

        [Fact]
        public void Should_Refuse_An_Export_Whose_Numbers_Use_Both_Decimal_Marks()
        {
            // Given an English export with one amount written the continental way
            var bytes = AdsManagerExports.English(AdsManagerExports.EnglishSolveig.Replace("15.50", "\"15,50\""));

            // When it is validated
            var problems = new AdsManagerCsv().Validate(Some.Content(AdsManagerExports.FileName, bytes));

            // Then the ambiguity is named
            Assert.Contains(problems, p => p.Problem.Contains("both '.' and ','", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Read_An_English_Export_With_A_Bom_And_Crlf()
        {
            // Given an English export with a BOM, CRLF line ends, a total row and two campaigns
            // When it is read
            var rows = Read(AdsManagerExports.EnglishWithAllRows());

            // Then each line is a row with its line number, and the first column's name has no BOM
            Assert.Equal(["line 2", "line 3", "line 4"], rows.Select(r => r.Locator));
            Assert.All(rows, row => Assert.Null(row.Problem));
            Assert.Equal(["2025-06-01", "2025-06-01", "2025-06-01"], rows.Select(r => r.Fields["Reporting starts"]));
            Assert.Equal(["2025-06-07", "2025-06-07", "2025-06-07"], rows.Select(r => r.Fields["Reporting ends"]));
            Assert.Equal("S\u00f3lveig - Traffic", rows[2].Fields["Campaign name"]);
        }

        [Fact]
        public void Should_Make_Quoted_English_Thousands_Plain_Numbers()
        {
            // Given "1,234.56" spent, "12,345" impressions and "10,000" reached, each quoted
            // When the export is read
            var row = Read(AdsManagerExports.EnglishWithAllRows())[1];

            // Then the number columns are plain invariant numbers
            Assert.Equal("1234.56", row.Fields["Amount spent (USD)"]);
            Assert.Equal("12345", row.Fields["Impressions"]);
            Assert.Equal("10000", row.Fields["Reach"]);
            Assert.Equal("1.01", row.Fields["CTR (link click-through rate)"]);
            Assert.Equal("100.01", row.Fields["CPM (cost per 1,000 impressions) (USD)"]);
        }

        [Fact]
        public void Should_Keep_Text_Columns_As_Written()
        {
            // Given a campaign ID and a result indicator, which are not number columns
            // When the export is read
            var row = Read(AdsManagerExports.EnglishWithAllRows())[1];

            // Then they are the text of the file
            Assert.Equal("120212345678901234", row.Fields["Campaign ID"]);
            Assert.Equal("actions:offsite_conversion.fb_pixel_custom", row.Fields["Result indicator"]);
            Assert.Equal("GLASS ANGEL - Streams", row.Fields["Campaign name"]);
        }

        [Fact]
        public void Should_Read_A_Spanish_Export_Into_The_English_Fields_And_Values()
        {
            // Given the same report exported in Spanish: ';' separators, "1.234,56", "12.345"
            // When both exports are read
            var english = Read(AdsManagerExports.EnglishWithAllRows());
            var spanish = Read(AdsManagerExports.SpanishWithAllRows());

            // Then every row has the same canonical fields and the same values
            Assert.Equal(english.Count, spanish.Count);
            for (var i = 0; i < english.Count; i++)
            {
                Assert.Equal(Sorted(english[i]), Sorted(spanish[i]));
                Assert.Equal(english[i].Record, spanish[i].Record);
            }

            Assert.Equal("1234.56", spanish[1].Fields["Amount spent (USD)"]);
            Assert.Equal("12345", spanish[1].Fields["Impressions"]);
            Assert.Equal("1.01", spanish[1].Fields["CTR (link click-through rate)"]);
            Assert.Equal("15.50", spanish[2].Fields["Amount spent (USD)"]);
        }

        [Fact]
        public void Should_Name_Spanish_Columns_By_Their_English_Names()
        {
            // Given a Spanish export
            // When it is read
            var row = Read(AdsManagerExports.SpanishWithAllRows())[1];

            // Then the fields carry the English column names
            Assert.Equal(
                ["Amount spent (USD)", "CPM (cost per 1,000 impressions) (USD)", "CTR (link click-through rate)", "Campaign ID",
                 "Campaign name", "Frequency", "Impressions", "Link clicks", "Reach", "Reporting ends", "Reporting starts",
                 "Result indicator", "Results"],
                row.Fields.Keys.Order(StringComparer.Ordinal));
        }

        [Fact]
        public void Should_Match_English_Headers_Whatever_Their_Case()
        {
            // Given an English header written in upper and lower case
            var bytes = AdsManagerExports.English(AdsManagerExports.EnglishGlassAngel);
            var text = Encoding.UTF8.GetString(bytes);
            var header = AdsManagerExports.EnglishHeader;
            var shouted = Encoding.UTF8.GetBytes(text.Replace(header, header.ToUpperInvariant().Replace("REPORTING ENDS", "reporting ends", StringComparison.Ordinal), StringComparison.Ordinal));

            // When it is read
            var row = Assert.Single(Read(shouted));

            // Then the columns have their canonical names
            Assert.Equal("2025-06-01", row.Fields["Reporting starts"]);
            Assert.Equal("2025-06-07", row.Fields["Reporting ends"]);
            Assert.Equal("1234.56", row.Fields["Amount spent (USD)"]);
            Assert.Equal("120212345678901234", row.Fields["Campaign ID"]);
        }

        [Fact]
        public void Should_Match_Spanish_Headers_Whatever_Their_Case()
        {
            // Given a Spanish header in capitals, "Ñ" included
            var bytes = AdsManagerExports.WithoutBom("\n", AdsManagerExports.SpanishHeader.ToUpperInvariant(), AdsManagerExports.SpanishGlassAngel);
            Assert.Contains("NOMBRE DE LA CAMPA\u00d1A", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

            // When it is read
            var row = Assert.Single(Read(bytes));

            // Then the columns have their canonical names and the numbers are plain
            Assert.Equal("GLASS ANGEL - Streams", row.Fields["Campaign name"]);
            Assert.Equal("1234.56", row.Fields["Amount spent (USD)"]);
        }

        [Fact]
        public void Should_Match_A_Spanish_Header_Written_With_A_Decomposed_Accent()
        {
            // Given "campaña" written as "n" plus a combining tilde
            var header = AdsManagerExports.SpanishHeader.Replace("\u00f1", "n\u0303", StringComparison.Ordinal);
            var bytes = AdsManagerExports.WithoutBom("\n", header, AdsManagerExports.SpanishGlassAngel);

            // When it is read
            var row = Assert.Single(Read(bytes));

            // Then the column is still the campaign name and ID
            Assert.Equal("GLASS ANGEL - Streams", row.Fields["Campaign name"]);
            Assert.Equal("120212345678901234", row.Fields["Campaign ID"]);
        }

        [Fact]
        public void Should_Read_A_Spanish_Export_Saved_As_Latin1()
        {
            // Given a Spanish export re-saved in a legacy code page: "ñ" as the single byte 0xF1
            var bytes = Encoding.Latin1.GetBytes(AdsManagerExports.SpanishHeader + "\r\n" + AdsManagerExports.SpanishSolveig + "\r\n");
            Assert.Contains((byte)0xF1, bytes);

            // When it is read
            var row = Assert.Single(Read(bytes));

            // Then the header is recognised and the name holds "ó"
            Assert.Equal("S\u00f3lveig - Traffic", row.Fields["Campaign name"]);
            Assert.Equal("15.50", row.Fields["Amount spent (USD)"]);
        }

        [Theory]
        [InlineData("Identificador de la campa\u00f1a", "ID de la campa\u00f1a")]
        [InlineData("Importe gastado (USD)", "Importe gastado")]
        [InlineData("CPM (coste por 1000 impresiones) (USD)", "CPM (costo por 1000 impresiones) (USD)")]
        public void Should_Accept_Every_Listed_Spanish_Name_Of_A_Column(string usual, string other)
        {
            // Given a Spanish header naming a column by another of its listed translations
            var header = AdsManagerExports.SpanishHeader.Replace(usual, other, StringComparison.Ordinal);
            Assert.Contains(other, header, StringComparison.Ordinal);

            // When it is read
            var row = Assert.Single(Read(AdsManagerExports.WithoutBom("\n", header, AdsManagerExports.SpanishGlassAngel)));

            // Then the row has the same fields as with the usual names
            var usualRow = Assert.Single(Read(AdsManagerExports.Spanish(AdsManagerExports.SpanishGlassAngel)));
            Assert.Equal(Sorted(usualRow), Sorted(row));
        }

        [Fact]
        public void Should_Tag_The_Total_Row_As_Total()
        {
            // Given an export whose first row has no campaign name and no ID
            // When it is read
            var rows = Read(AdsManagerExports.EnglishWithAllRows());

            // Then that row is the total, with plain numbers, and the others are campaigns
            Assert.Equal(["total", "campaign", "campaign"], rows.Select(r => r.Record));
            Assert.Equal("1250.06", rows[0].Fields["Amount spent (USD)"]);
            Assert.Equal("12845", rows[0].Fields["Impressions"]);
            Assert.Null(rows[0].Problem);
        }

        [Theory]
        [InlineData("1.2E+17")]
        [InlineData("1.20E+17")]
        [InlineData("1.2e+17")]
        [InlineData("1.20212E+17")]
        public void Should_Report_A_Campaign_Id_In_Scientific_Notation(string id)
        {
            // Given an English export whose campaign ID a spreadsheet wrote as a power of ten
            var line = AdsManagerExports.EnglishGlassAngel.Replace("120212345678901234", id, StringComparison.Ordinal);

            // When it is read
            var rows = Read(AdsManagerExports.English(AdsManagerExports.EnglishTotal, line, AdsManagerExports.EnglishSolveig));

            // Then that row is unreadable, names the notation and the value, keeps its other fields (its spend
            // counts as rejected in the control totals), and the next row is read
            var bad = rows[1];
            Assert.Equal("line 3", bad.Locator);
            Assert.NotNull(bad.Problem);
            Assert.Contains("scientific notation", bad.Problem, StringComparison.Ordinal);
            Assert.Contains($"'{id}'", bad.Problem, StringComparison.Ordinal);
            Assert.Equal(id, bad.Fields["Campaign ID"]);
            Assert.False(string.IsNullOrEmpty(bad.Fields["Amount spent (USD)"]));
            Assert.Equal("campaign", bad.Record);
            Assert.Null(rows[2].Problem);
        }

        [Theory]
        [InlineData("1,2E+17")]
        [InlineData("1,20E+17")]
        public void Should_Report_A_Campaign_Id_In_Spanish_Scientific_Notation(string id)
        {
            // Given a Spanish export whose campaign ID a Spanish spreadsheet wrote with a decimal comma
            var line = AdsManagerExports.SpanishGlassAngel.Replace("120212345678901234", id, StringComparison.Ordinal);

            // When it is read
            var row = Read(AdsManagerExports.Spanish(AdsManagerExports.SpanishTotal, line))[1];

            // (a ';' export writes the mantissa with a decimal comma)
            Assert.NotNull(row.Problem);
            Assert.Contains("scientific notation", row.Problem, StringComparison.Ordinal);
            Assert.Contains(id, row.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Report_A_Row_With_Too_Few_Fields_By_Its_Line()
        {
            // Given a cut-off third line
            var rows = Read(AdsManagerExports.English(AdsManagerExports.EnglishTotal, "2025-06-01,2025-06-07,Cut,1", AdsManagerExports.EnglishSolveig));

            // Then it is unreadable at its line, and the rows around it are read
            Assert.Equal("line 3", rows[1].Locator);
            Assert.Equal("expected 13 ','-separated fields as in the header, found 4", rows[1].Problem);
            Assert.Null(rows[0].Problem);
            Assert.Null(rows[2].Problem);
            Assert.Equal("line 4", rows[2].Locator);
        }

        [Fact]
        public void Should_Report_An_Unquoted_Thousands_Comma_As_An_Extra_Field()
        {
            // Given a row whose spend 1,234.56 lost its quotes
            var line = AdsManagerExports.EnglishGlassAngel.Replace("\"1,234.56\"", "1,234.56", StringComparison.Ordinal);

            // When it is read
            var row = Assert.Single(Read(AdsManagerExports.English(line)));

            // Then it is unreadable rather than shifted one column over
            Assert.Equal("line 2", row.Locator);
            Assert.Equal("expected 13 ','-separated fields as in the header, found 14", row.Problem);
        }

        [Fact]
        public void Should_Report_A_Spanish_Row_With_The_Wrong_Field_Count_Naming_Its_Separator()
        {
            // Given a Spanish export with a short row
            // When it is read
            var row = Assert.Single(Read(AdsManagerExports.Spanish("2025-06-01;2025-06-07;Corta")));

            // Then the problem names ';'
            Assert.Equal("expected 13 ';'-separated fields as in the header, found 3", row.Problem);
        }

        [Fact]
        public void Should_Read_Nothing_From_An_Empty_File()
        {
            // Given an empty file
            // When it is read
            // Then there are no rows
            Assert.Empty(Read([]));
        }

        [Fact]
        public void Should_Read_Nothing_From_A_Header_Only_Export()
        {
            // Given an export with a header and no rows
            // When it is read
            // Then there are no rows
            Assert.Empty(Read(AdsManagerExports.English()));
        }
    }

    public sealed class TheValidateMethod
    {
        [Fact]
        public void Should_Accept_The_English_And_Spanish_Exports()
        {
            // Given both exports
            // When they are validated
            // Then there is nothing to report
            Assert.Empty(Validate(AdsManagerExports.EnglishWithAllRows()));
            Assert.Empty(Validate(AdsManagerExports.SpanishWithAllRows()));
        }

        [Fact]
        public void Should_Accept_A_Header_In_Another_Case()
        {
            // Given an English header in capitals
            var bytes = AdsManagerExports.WithBom("\r\n", AdsManagerExports.EnglishHeader.ToUpperInvariant(), AdsManagerExports.EnglishGlassAngel);

            // When it is validated
            // Then every required column is found
            Assert.Empty(Validate(bytes));
        }

        [Fact]
        public void Should_Name_A_Missing_Campaign_Id_Column()
        {
            // Given a header without Campaign ID
            var header = AdsManagerExports.EnglishHeader.Replace("Campaign ID,", string.Empty, StringComparison.Ordinal);
            var bytes = AdsManagerExports.WithBom("\r\n", header, "2025-06-01,2025-06-07,A,3,x,1.00,5,1,1.01,5,1,200");

            // When it is validated
            var problem = Assert.Single(Validate(bytes));

            // Then the problem is on the header and names the column
            Assert.Equal("line 1 (header)", problem.Where);
            Assert.StartsWith("missing column(s) Campaign ID (or their translations in mappings/metaads.json headerAliases)", problem.Problem, StringComparison.Ordinal);
            Assert.Contains("found Reporting starts | Reporting ends | Campaign name | Results", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Name_Every_Missing_Column()
        {
            // Given a Spanish header without the spend and the impressions
            var header = AdsManagerExports.SpanishHeader
                .Replace("Importe gastado (USD);", string.Empty, StringComparison.Ordinal)
                .Replace("Impresiones;", string.Empty, StringComparison.Ordinal);

            // When it is validated
            var problem = Assert.Single(Validate(AdsManagerExports.WithoutBom("\n", header)));

            // Then both are named by their English names
            Assert.StartsWith("missing column(s) Amount spent (USD), Impressions ", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Name_A_Duplicated_Column()
        {
            // Given a header with Impressions twice
            var bytes = AdsManagerExports.WithBom("\r\n", AdsManagerExports.EnglishHeader + ",Impressions", AdsManagerExports.EnglishGlassAngel + ",1");

            // When it is validated
            var problem = Assert.Single(Validate(bytes));

            // Then the problem is on the header and names it
            Assert.Equal(new RawProblem("line 1 (header)", "duplicated column(s) Impressions"), problem);
        }

        [Fact]
        public void Should_Name_Two_Translations_Of_One_Column_As_A_Duplicate()
        {
            // Given a Spanish header with both names of the campaign ID
            var bytes = AdsManagerExports.WithoutBom("\n", AdsManagerExports.SpanishHeader + ";ID de la campa\u00f1a", AdsManagerExports.SpanishGlassAngel + ";1");

            // When it is validated
            var problem = Assert.Single(Validate(bytes));

            // Then the duplicate is named by its English name
            Assert.Equal(new RawProblem("line 1 (header)", "duplicated column(s) Campaign ID"), problem);
        }

        [Theory]
        [InlineData("")]
        [InlineData("\r\n\r\n")]
        [InlineData("\uFEFF")]
        [InlineData("\uFEFF  \n")]
        public void Should_Name_An_Empty_File(string text)
        {
            // Given an empty file, blank lines, or only a BOM
            // When it is validated
            var problem = Assert.Single(Validate(Encoding.UTF8.GetBytes(text)));

            // Then the file is named as empty
            Assert.Equal(new RawProblem("file", "the file is empty; expected an Ads Manager export with a header line"), problem);
        }

        [Fact]
        public void Should_Name_A_Nul_Byte()
        {
            // Given an export with a NUL byte in its second line
            var bytes = AdsManagerExports.English(AdsManagerExports.EnglishGlassAngel);
            var at = Array.IndexOf(bytes, (byte)'G');
            bytes[at] = 0;

            // When it is validated
            var problem = Assert.Single(Validate(bytes));

            // Then the byte is named
            Assert.Equal($"byte {at}", problem.Where);
            Assert.Contains("NUL", problem.Problem, StringComparison.Ordinal);
        }
    }

    public sealed class TheDatasetMapping
    {
        private static readonly DatasetMapping Dataset =
            Assert.Single(PlatformMapping.Load(Repository.Schemas, "mappings/metaads.json").ForRawDatatype("ads_manager"));

        [Fact]
        public void Should_Stage_The_Export_Only_Into_Ads_Manager_Daily()
        {
            // Given the Meta Ads mapping
            // When the datasets of the ads_manager datatype are listed
            // Then there is one, ads_manager_daily, on the daily schema
            Assert.Equal("ads_manager_daily", Dataset.Name);
            Assert.Equal("staging/metaads_daily.json", Dataset.Schema.Path);
        }

        [Fact]
        public void Should_Not_Take_The_Total_Row()
        {
            // Given every row of an export
            var rows = Read(AdsManagerExports.SpanishWithAllRows());

            // When the dataset picks its rows
            var taken = rows.Where(Dataset.Takes).ToList();

            // Then the total row is left out and the campaigns are taken
            Assert.Equal(["line 3", "line 4"], taken.Select(r => r.Locator));
            Assert.DoesNotContain(taken, r => r.Record == "total");
        }

        [Fact]
        public void Should_Take_An_Unreadable_Campaign_Row_So_It_Is_Reported()
        {
            // Given a campaign row with a scientific-notation ID
            var line = AdsManagerExports.EnglishGlassAngel.Replace("120212345678901234", "1.2E+17", StringComparison.Ordinal);
            var bad = Read(AdsManagerExports.English(line))[0];

            // When the dataset picks its rows
            // Then it takes it
            Assert.True(Dataset.Takes(bad));
        }
    }

    public sealed class TheConversionToStaging
    {
        private readonly RowConverter _converter = Some.Converter("metaads", "ads_manager", sourceFile: FileName);

        private object? Value(object?[] row, string field) => _converter.Value(row, field);

        private object?[] Converted(SourceRow source, out IReadOnlyList<RowReject> warnings)
        {
            var (row, reject) = _converter.Convert(source, out warnings);
            Assert.Null(reject);
            return row!;
        }

        [Fact]
        public void Should_Stage_A_Campaign_Row()
        {
            // Given the GLASS ANGEL row of an English export
            var source = Read(AdsManagerExports.EnglishWithAllRows())[1];

            // When it is converted
            var row = Converted(source, out var warnings);

            // Then the ID stays text, money is a decimal, the link ctr a fraction, the link clicks link_clicks
            Assert.Equal("120212345678901234", Value(row, "campaign_id"));
            Assert.Equal("GLASS ANGEL - Streams", Value(row, "campaign_name"));
            Assert.Equal(1234.56m, Value(row, "spend_usd"));
            Assert.Equal(12345L, Value(row, "impressions"));
            Assert.Equal(125L, Value(row, "link_clicks"));
            Assert.Equal(0.0101m, Value(row, "link_ctr"));
            Assert.Equal(10000L, Value(row, "reach"));
            Assert.Equal(1.2345m, Value(row, "frequency"));
            Assert.Equal(3L, Value(row, "results"));
            Assert.Equal("actions:offsite_conversion.fb_pixel_custom", Value(row, "result_indicator"));
            Assert.Equal("meta", Value(row, "platform"));
            Assert.Equal(new DateOnly(2025, 6, 1), Value(row, "date"));
            Assert.Equal(new DateOnly(2025, 6, 7), Value(row, "date_stop"));
            Assert.Equal("range", Value(row, "grain"));
            Assert.Equal(9.87648m, Value(row, "link_cpc"));
            Assert.Null(Value(row, "clicks"));
            Assert.Null(Value(row, "ctr"));
            Assert.Null(Value(row, "cpc"));
            Assert.Null(Value(row, "adset_id"));
            Assert.Null(Value(row, "conversions"));
            Assert.Equal(FileName, Value(row, "source_file"));
            Assert.Empty(warnings);
        }

        [Fact]
        public void Should_Stage_Link_Clicks_As_Link_Clicks_And_Leave_All_Clicks_Empty()
        {
            // Given the Spanish export's GLASS ANGEL row: 125 "Clics en el enlace" of 12.345 impressions
            // for 1.234,56 USD, and no column of all clicks
            var source = Read(AdsManagerExports.SpanishWithAllRows())[1];

            // When it is converted
            var row = Converted(source, out var warnings);

            // Then its link clicks are link_clicks, and clicks (all clicks), ctr and cpc have no value
            Assert.Equal(125L, Value(row, "link_clicks"));
            Assert.Null(Value(row, "clicks"));
            Assert.Null(Value(row, "ctr"));
            Assert.Null(Value(row, "cpc"));

            // And the link click-through rate and the cost per link click go with link_clicks: 1,01 % and 1234.56 / 125
            Assert.Equal(0.0101m, Value(row, "link_ctr"));
            Assert.Equal(9.87648m, Value(row, "link_cpc"));
            Assert.Empty(warnings);
        }

        [Fact]
        public void Should_Stage_The_Same_Values_From_A_Spanish_Export()
        {
            // Given the same campaigns exported in English and in Spanish
            var english = Read(AdsManagerExports.EnglishWithAllRows()).Skip(1).ToList();
            var spanish = Read(AdsManagerExports.SpanishWithAllRows()).Skip(1).ToList();

            // When they are converted
            var fromEnglish = english.Select(r => Converted(r, out _)).ToList();
            var fromSpanish = spanish.Select(r => Converted(r, out _)).ToList();

            // Then the staged rows are equal
            Assert.Equal(fromEnglish, fromSpanish);
            Assert.Equal(15.5m, Value(fromSpanish[1], "spend_usd"));
            Assert.Null(Value(fromSpanish[1], "results"));
        }

        [Fact]
        public void Should_Not_Warn_About_A_Link_Ctr_Rounded_To_Two_Decimals()
        {
            // Given 52 link clicks of 5,165 impressions (1.00677 %) stated as "1.01"
            var line = "2025-06-01,2025-06-07,Rounded,120212345678901234,3,x,\"1,234.56\",\"5,165\",52,1.01,\"5,000\",1.033,239.02";

            // When the row is converted
            var row = Converted(Assert.Single(Read(AdsManagerExports.English(line))), out var warnings);

            // Then one unit of the second decimal of a percentage is rounding, not a mismatch
            Assert.Equal(0.0101m, Value(row, "link_ctr"));
            Assert.Empty(warnings);
        }

        [Fact]
        public void Should_Warn_About_A_Two_Decimal_Link_Ctr_Beyond_Rounding()
        {
            // Given the same 52 of 5,165 stated as "1.03"
            var line = "2025-06-01,2025-06-07,Off,120212345678901234,3,x,\"1,234.56\",\"5,165\",52,1.03,\"5,000\",1.033,239.02";

            // When the row is converted
            Converted(Assert.Single(Read(AdsManagerExports.English(line))), out var warnings);

            // Then it is one warning at its line
            var warning = Assert.Single(warnings);
            Assert.Equal(("line 2", "link_ctr_matches_link_clicks_over_impressions", "link_ctr", "0.0103"), (warning.Locator, warning.Rule, warning.Field, warning.Value));
            Assert.Contains("(0.0001)", warning.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Reject_A_Scientific_Notation_Row_With_Its_Explanation()
        {
            // Given a row with campaign ID "1.2E+17"
            var line = AdsManagerExports.EnglishGlassAngel.Replace("120212345678901234", "1.2E+17", StringComparison.Ordinal);
            var source = Assert.Single(Read(AdsManagerExports.English(line)));

            // When it is converted
            var (row, reject) = _converter.Convert(source);

            // Then it is a structure reject carrying the reader's explanation
            Assert.Null(row);
            Assert.Equal(("line 2", "structure"), (reject!.Locator, reject.Rule));
            Assert.Contains("scientific notation", reject.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Read_An_Excel_Date()
        {
            // Given reporting dates written M/D/YYYY by a spreadsheet
            var line = AdsManagerExports.EnglishSolveig.Replace("2025-06-01,2025-06-07", "6/1/2025,6/7/2025", StringComparison.Ordinal);

            // When the row is converted
            var row = Converted(Assert.Single(Read(AdsManagerExports.English(line))), out _);

            // Then they are the 1st and 7th of June
            Assert.Equal(new DateOnly(2025, 6, 1), Value(row, "date"));
            Assert.Equal(new DateOnly(2025, 6, 7), Value(row, "date_stop"));
        }
    }

    public sealed class ThePlainNumberMethod
    {
        [Theory]
        [InlineData("1,234.56", false, "1234.56")]
        [InlineData("12,345", false, "12345")]
        [InlineData("1,234,567.5", false, "1234567.5")]
        [InlineData(" 3.41 ", false, "3.41")]
        [InlineData("0", false, "0")]
        [InlineData("1.234,56", true, "1234.56")]
        [InlineData("12.345", true, "12345")]
        [InlineData("1.234.567,5", true, "1234567.5")]
        [InlineData("3,41", true, "3.41")]
        [InlineData("1\u00A0234,56", true, "1234.56")]
        [InlineData("1 234,56", true, "1234.56")]
        [InlineData("1\u00A0234.56", false, "1234.56")]
        [InlineData("", false, "")]
        [InlineData("", true, "")]
        public void Should_Write_A_Localised_Number_Plainly(string value, bool decimalComma, string expected)
        {
            // Given a number as an English or continental export writes it
            // When it is made plain
            // Then the thousands separators are gone and the decimal mark is '.'
            Assert.Equal(expected, AdsManagerCsv.PlainNumber(value, decimalComma));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Should_Keep_No_Value_As_No_Value(bool decimalComma)
        {
            // Given no value
            // When it is made plain
            // Then it stays null
            Assert.Null(AdsManagerCsv.PlainNumber(null, decimalComma));
        }
    }

    public sealed class TheRecognizer
    {
        private readonly Recognizer _recognizer = new(PlatformCatalog.Kinds);

        [Theory]
        [InlineData(FileName)]
        [InlineData("metaads_campaign_daily_20250610_101500.csv")]
        [InlineData("Campaigns-Jun-1-2025-Jun-7-2025.csv")]
        public void Should_Recognise_An_English_Export(string fileName)
        {
            // Given an English export under its name or the name Ads Manager gives it
            // When it is recognised
            // Then it is an Ads Manager export
            Assert.IsType<AdsManagerCsv>(_recognizer.Recognize(fileName, AdsManagerExports.EnglishWithAllRows()));
        }

        [Theory]
        [InlineData(FileName)]
        [InlineData("Campa\u00f1as-1-jun-2025.csv")]
        public void Should_Recognise_A_Spanish_Export(string fileName)
        {
            // Given a Spanish export
            // When it is recognised
            // Then it is an Ads Manager export
            Assert.IsType<AdsManagerCsv>(_recognizer.Recognize(fileName, AdsManagerExports.SpanishWithAllRows()));
        }

        [Theory]
        [InlineData("metaads_campaign_daily_2025.csv")]
        [InlineData("metaads_campaign_daily_20250610.tsv")]
        [InlineData("metaads_campaigns_20250610.csv")]
        public void Should_Not_Match_Other_Names(string fileName)
        {
            // Given a name that is not metaads_campaign_daily_YYYYMMDD[_HHMMSS].csv
            // When the kind is asked
            // Then it does not claim it
            Assert.False(new AdsManagerCsv().MatchesName(fileName));
        }
    }
}
