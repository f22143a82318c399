using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Staging;

/// <summary>The converter with the real <c>distrokid.json</c> mapping and <c>distrokid_sales.json</c> schema.</summary>
public sealed class RowConverterTests
{
    public sealed class TheConvertMethodForSales
    {
        private readonly RowConverter _converter = Some.DistroKidConverter("sales", "dk_bank_details_20250601_093015.tsv");

        private object?[] Converted(params (string Column, string? Value)[] overrides)
        {
            var (row, reject) = _converter.Convert(Some.SalesRow("line 7", overrides));
            Assert.Null(reject);
            return row!;
        }

        private RowReject Rejected(params (string Column, string? Value)[] overrides)
        {
            var (row, reject) = _converter.Convert(Some.SalesRow("line 7", overrides));
            Assert.Null(row);
            return reject!;
        }

        private object? Value(object?[] row, string field) => _converter.Value(row, field);

        [Fact]
        public void Should_Type_Every_Field_Of_A_Good_Row()
        {
            // Given a plausible row
            // When it is converted
            var row = Converted();

            // Then the fields have their schema types and the run's context fills the rest
            Assert.Equal(new DateOnly(2025, 6, 1), Value(row, "reporting_date"));
            Assert.Equal(new DateOnly(2025, 3, 1), Value(row, "sale_month"));
            Assert.Equal(1234L, Value(row, "quantity"));
            Assert.Equal(3.41234567m, Value(row, "earnings_usd"));
            Assert.Equal("0198765432109", Value(row, "upc"));
            Assert.Equal(2025, Convert.ToInt32(Value(row, "year"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(3, Convert.ToInt32(Value(row, "month"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("dk_bank_details_20250601_093015.tsv", Value(row, "source_file"));
            Assert.Equal(new DateTimeOffset(2025, 6, 1, 9, 30, 15, TimeSpan.Zero), Value(row, "processed_timestamp"));
        }

        [Fact]
        public void Should_Trim_And_Collapse_White_Space_But_Keep_Case()
        {
            // Given stylised names with stray white space
            // When the row is converted
            var row = Converted(("Artist", "  PIG1987 "), ("Title", "GLASS  ANGEL"));

            // Then white space is tidied and the case is untouched
            Assert.Equal("PIG1987", Value(row, "artist_name"));
            Assert.Equal("GLASS ANGEL", Value(row, "track_name"));
            Assert.Equal("glass angel", Value(row, "track_key"));
        }

        [Fact]
        public void Should_Normalise_The_Artist_Key()
        {
            // Given an accented artist name with a feature credit
            // When the row is converted
            var row = Converted(("Artist", "S\u00f3lveig (feat. X)"));

            // Then the display name is kept and the key is lower case, unaccented, without punctuation
            Assert.Equal("S\u00f3lveig (feat. X)", Value(row, "artist_name"));
            Assert.Equal("solveig feat x", Value(row, "artist_key"));
        }

        [Fact]
        public void Should_Compose_A_Decomposed_Accent()
        {
            // Given "é" written as "e" plus a combining acute accent
            // When the row is converted
            var row = Converted(("Artist", "Se\u0301bastien"));

            // Then the name holds the single composed character (NFC)
            Assert.Equal("S\u00e9bastien", Value(row, "artist_name"));
        }

        [Theory]
        [InlineData("Apple Music", "apple_music")]
        [InlineData("Spotify", "spotify")]
        [InlineData("YouTube (Ads)", "youtube")]
        [InlineData("Amazon Unlimited (Streaming)", "amazon_music")]
        [InlineData("Qobuz Hi-Res", "other")]
        public void Should_Look_Up_The_Platform_Of_The_Store(string store, string platform)
        {
            // Given a store as DistroKid names it
            // When the row is converted
            var row = Converted(("Store", store));

            // Then the platform comes from reference/stores.csv, or is "other", and the store is kept
            Assert.Equal(platform, Value(row, "platform"));
            Assert.Equal(store, Value(row, "store"));
        }

        [Fact]
        public void Should_Leave_Revenue_Per_Stream_Empty_When_Quantity_Is_Zero()
        {
            // Given a reversal with no streams
            // When it is converted
            var row = Converted(("Quantity", "0"), ("Earnings (USD)", "-0.5"));

            // Then there is no ratio rather than a division error
            Assert.Null(Value(row, "revenue_per_stream"));
        }

        [Fact]
        public void Should_Divide_Earnings_By_Quantity()
        {
            // Given 4 streams earning 1 dollar
            // When the row is converted
            var row = Converted(("Quantity", "4"), ("Earnings (USD)", "1"));

            // Then each stream earned a quarter
            Assert.Equal(0.25m, Value(row, "revenue_per_stream"));
        }

        [Fact]
        public void Should_Keep_Negative_Earnings()
        {
            // Given a reversal
            // When it is converted
            var row = Converted(("Quantity", "3"), ("Earnings (USD)", "-0.00123456"));

            // Then it is a row with the negative amount, not a reject
            Assert.Equal(-0.00123456m, Value(row, "earnings_usd"));
            Assert.True((decimal)Value(row, "revenue_per_stream")! < 0m);
        }

        [Fact]
        public void Should_Reject_A_Quantity_That_Is_Not_A_Whole_Number()
        {
            // Given a quantity that is text
            // When the row is converted
            var reject = Rejected(("Quantity", " twelve "));

            // Then the reject names the rule, the field, the cleaned value and where the row is
            Assert.Equal("type", reject.Rule);
            Assert.Equal("quantity", reject.Field);
            Assert.Equal("twelve", reject.Value);
            Assert.Equal("line 7", reject.Locator);
            Assert.Contains("whole number", reject.Message);
        }

        [Theory]
        [InlineData("1,234")]
        [InlineData("12.5")]
        public void Should_Reject_A_Quantity_With_Separators_Or_Decimals(string quantity)
        {
            // Given a quantity a lenient parser might accept
            // When the row is converted
            var reject = Rejected(("Quantity", quantity));

            // Then it is a type reject
            Assert.Equal(("type", "quantity", quantity), (reject.Rule, reject.Field, reject.Value));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(null)]
        public void Should_Reject_A_Row_Without_An_Artist(string? artist)
        {
            // Given an empty, blank or absent artist
            // When the row is converted
            var reject = Rejected(("Artist", artist));

            // Then the required rule is broken on artist_name
            Assert.Equal("required", reject.Rule);
            Assert.Equal("artist_name", reject.Field);
            Assert.Equal("line 7", reject.Locator);
        }

        [Fact]
        public void Should_Reject_A_Team_Percentage_Above_100()
        {
            // Given a team percentage of 150
            // When the row is converted
            var reject = Rejected(("Team Percentage", "150"));

            // Then the maximum rule is broken with the value
            Assert.Equal(("maximum", "team_percentage", "150"), (reject.Rule, reject.Field, reject.Value));
            Assert.Contains("100", reject.Message);
        }

        [Fact]
        public void Should_Reject_A_Negative_Team_Percentage()
        {
            // Given a team percentage below 0
            // When the row is converted
            var reject = Rejected(("Team Percentage", "-1"));

            // Then the minimum rule is broken
            Assert.Equal(("minimum", "team_percentage"), (reject.Rule, reject.Field));
        }

        [Fact]
        public void Should_Reject_Earnings_Too_Large_For_A_Decimal_Without_Throwing()
        {
            // Given earnings of 1e309 (beyond decimal and double)
            var source = Some.SalesRow("line 9", ("Earnings (USD)", "1e309"));

            // When the row is converted
            var (row, reject) = _converter.Convert(source);

            // Then it is a type reject, not an exception
            Assert.Null(row);
            Assert.Equal(("type", "earnings_usd", "1e309", "line 9"), (reject!.Rule, reject.Field, reject.Value, reject.Locator));
        }

        [Fact]
        public void Should_Reject_A_Country_That_Is_Not_Two_Capitals()
        {
            // Given a three-letter country
            // When the row is converted
            var reject = Rejected(("Country of Sale", "USA"));

            // Then the pattern rule is broken
            Assert.Equal(("pattern", "country", "USA"), (reject.Rule, reject.Field, reject.Value));
        }

        [Fact]
        public void Should_Reject_A_Reporting_Date_In_Another_Format()
        {
            // Given a date without leading zeros
            // When the row is converted
            var reject = Rejected(("Reporting Date", "2025-6-1"));

            // Then it is a type reject that says which format was expected
            Assert.Equal(("type", "reporting_date"), (reject.Rule, reject.Field));
            Assert.Contains("yyyy-MM-dd", reject.Message);
        }

        [Fact]
        public void Should_Turn_An_Unreadable_Row_Into_A_Structure_Reject()
        {
            // Given a row the parser could not read
            var source = SourceRow.Unreadable("line 4", "expected 13 tab-separated fields, found 3");

            // When it is converted
            var (row, reject) = _converter.Convert(source);

            // Then the reject carries the parser's problem and locator
            Assert.Null(row);
            Assert.Equal(("structure", "line 4", "expected 13 tab-separated fields, found 3"), (reject!.Rule, reject.Locator, reject.Message));
        }
    }

    public sealed class TheConvertMethodForStreams
    {
        [Theory]
        [InlineData("undefined")]
        [InlineData("NaN")]
        [InlineData("-")]
        public void Should_Treat_The_Schema_Missing_Values_As_Missing(string streams)
        {
            // Given a page entry whose value is one of the schema's missing values
            var converter = Some.DistroKidConverter("streams");
            var source = new SourceRow("trend365day.dataProvider[0]", new Dictionary<string, string?>
            {
                ["series"] = "trend365day", ["category"] = "2025-08-17", ["column-1"] = streams,
            });

            // When it is converted
            var (_, reject) = converter.Convert(source);

            // Then streams is missing (required), not a type error on the text
            Assert.Equal(("required", "streams", "trend365day.dataProvider[0]"), (reject!.Rule, reject.Field, reject.Locator));
        }

        [Fact]
        public void Should_Set_The_Platform_From_The_Mapping_Constant()
        {
            // Given an Apple Music page entry
            var converter = Some.DistroKidConverter("applemusic");
            var source = new SourceRow("last365days.dataProvider[0]", new Dictionary<string, string?>
            {
                ["series"] = "last365days", ["field"] = "2025-08-17", ["value"] = "29",
            });

            // When it is converted
            var (row, reject) = converter.Convert(source);

            // Then the platform is the mapping's constant and the day and count are typed
            Assert.Null(reject);
            Assert.Equal("apple_music", converter.Value(row!, "platform"));
            Assert.Equal(new DateOnly(2025, 8, 17), converter.Value(row!, "date"));
            Assert.Equal(29L, converter.Value(row!, "streams"));
        }
    }
}
