using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Staging;

/// <summary>
/// The soft ratio checks of a staging schema (<c>checks</c>): a row whose stated rate is not
/// numerator / denominator within rounding, or within the check's tolerance if that is larger, is
/// kept and reported as a warning.
/// </summary>
public sealed class RowChecksTests
{
    private const string Rule = "rate_matches_hits_over_tries";

    /// <summary>
    /// A converter for a small schema: hits and tries (whole numbers) and rate, which should be
    /// hits / tries within <paramref name="tolerance"/>; rate is read as a percentage when
    /// <paramref name="divideBy"/> is 100.
    /// </summary>
    private static RowConverter Converter(decimal tolerance, decimal? divideBy = null)
    {
        var schema = new TableSchema
        {
            Name = "rates",
            Path = "staging/rates.json",
            Fields =
            [
                new FieldSchema { Name = "hits", Type = FieldType.Integer },
                new FieldSchema { Name = "tries", Type = FieldType.Integer },
                new FieldSchema { Name = "rate", Type = FieldType.Number, DivideBy = divideBy },
            ],
            MissingValues = ["", "-"],
            Checks = [new RowCheck(Rule, "rate", ["hits", "tries"], tolerance, null)],
        };
        var mapping = new DatasetMapping(
            "test",
            "rates",
            ["rates"],
            schema,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["hits"] = "Hits", ["tries"] = "Tries", ["rate"] = "Rate" },
            new Dictionary<string, string>(StringComparer.Ordinal),
            "mappings/test.json");
        return new RowConverter(mapping, new ReferenceTables(Repository.Schemas), new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private static IReadOnlyList<RowReject> Warnings(RowConverter converter, string? hits, string? tries, string? rate)
    {
        var source = new SourceRow("line 2", new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Hits"] = hits,
            ["Tries"] = tries,
            ["Rate"] = rate,
        });
        var (row, reject) = converter.Convert(source, out var warnings);
        Assert.Null(reject);
        Assert.NotNull(row);
        return warnings;
    }

    public sealed class TheTolerance
    {
        [Fact]
        public void Should_Allow_The_Tolerance_When_It_Is_Larger_Than_Rounding()
        {
            // Given a tolerance of 0.01 and a rate "0.5080" for 1 of 2 (rounding allows 0.0001)
            // When the row is converted
            var warnings = Warnings(Converter(0.01m), "1", "2", "0.5080");

            // Then the difference of 0.008 is within the tolerance
            Assert.Empty(warnings);
        }

        [Fact]
        public void Should_Warn_Beyond_The_Tolerance_Naming_It()
        {
            // Given the same check and a rate "0.5200", 0.02 off
            // When the row is converted
            var warning = Assert.Single(Warnings(Converter(0.01m), "1", "2", "0.5200"));

            // Then the warning names the rule, the row, the field, the value and the allowance used
            Assert.Equal(Rule, warning.Rule);
            Assert.Equal("line 2", warning.Locator);
            Assert.Equal("rate", warning.Field);
            Assert.Equal("0.52", warning.Value);
            Assert.Equal("hits / tries is 0.5; the difference is beyond rounding (0.01)", warning.Message);
        }

        [Fact]
        public void Should_Allow_Rounding_When_It_Is_Larger_Than_The_Tolerance()
        {
            // Given a tolerance of 0.01 and a rate "0.6" for 1 of 2: one decimal, so 0.1 of rounding
            // When the row is converted
            // Then 0.1 off is rounding
            Assert.Empty(Warnings(Converter(0.01m), "1", "2", "0.6"));
        }

        [Fact]
        public void Should_Warn_Beyond_Rounding_Naming_The_Rounding()
        {
            // Given a rate "0.7" for 1 of 2, 0.2 off with one decimal stated
            // When the row is converted
            var warning = Assert.Single(Warnings(Converter(0.01m), "1", "2", "0.7"));

            // Then the allowance named is the rounding's
            Assert.EndsWith("beyond rounding (0.1)", warning.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Measure_Rounding_In_The_Units_The_Source_Wrote()
        {
            // Given no tolerance and a rate stated as a percentage with one decimal (0.1 % is 0.001)
            var converter = Converter(0m, divideBy: 100m);

            // When 1 of 2 is stated as 50.1 % and as 50.2 %
            var within = Warnings(converter, "1", "2", "50.1");
            var beyond = Warnings(converter, "1", "2", "50.2");

            // Then 0.001 off is rounding and 0.002 is not
            Assert.Empty(within);
            var warning = Assert.Single(beyond);
            Assert.Equal("0.502", warning.Value);
            Assert.EndsWith("beyond rounding (0.001)", warning.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Use_The_Meta_Ctr_Tolerance_Over_Six_Decimal_Rounding()
        {
            // Given the real daily schema (tolerance 0.000001) and 8 clicks of 1321 impressions
            // (0.00605602) stated as "0.605700" %: 0.00000098 off, beyond the rounding of 0.00000001
            var converter = Some.Converter("metaads", "insights");
            var source = new SourceRow("$[0]", new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["campaign_id"] = "120212345678901234",
                ["date_start"] = "2025-06-01",
                ["date_stop"] = "2025-06-01",
                ["spend"] = "3.41",
                ["impressions"] = "1321",
                ["clicks"] = "8",
                ["ctr"] = "0.605700",
            });

            // When the row is converted
            var (_, reject) = converter.Convert(source, out var warnings);

            // Then the tolerance lets it through
            Assert.Null(reject);
            Assert.Empty(warnings);
        }
    }

    public sealed class TheValuesItNeeds
    {
        [Theory]
        [InlineData("0", "0", "0.9")]
        [InlineData("3", "0", "0")]
        public void Should_Not_Warn_When_The_Denominator_Is_Zero(string hits, string tries, string rate)
        {
            // Given a row with no tries
            // When it is converted
            // Then there is no ratio to compare with
            Assert.Empty(Warnings(Converter(0m), hits, tries, rate));
        }

        [Theory]
        [InlineData("")]
        [InlineData("-")]
        [InlineData(null)]
        public void Should_Not_Warn_When_The_Rate_Is_Missing(string? rate)
        {
            // Given a row whose rate is empty, a missing-value marker, or absent
            // When it is converted
            // Then there is nothing to check
            Assert.Empty(Warnings(Converter(0m), "1", "2", rate));
        }

        [Theory]
        [InlineData(null, "2")]
        [InlineData("1", null)]
        [InlineData("-", "2")]
        public void Should_Not_Warn_When_A_Term_Is_Missing(string? hits, string? tries)
        {
            // Given a rate with its numerator or denominator missing
            // When it is converted
            // Then there is nothing to check
            Assert.Empty(Warnings(Converter(0m), hits, tries, "0.9"));
        }

        [Fact]
        public void Should_Not_Warn_About_An_Exact_Rate()
        {
            // Given 1 of 4 stated as 0.25 with no tolerance
            // When it is converted
            // Then there is no warning
            Assert.Empty(Warnings(Converter(0m), "1", "4", "0.25"));
        }

        [Fact]
        public void Should_Warn_About_A_Whole_Number_Rate_Beyond_One_Unit()
        {
            // Given 1 of 4 stated as the whole number 2 (one unit of rounding is 1)
            // When it is converted
            var warning = Assert.Single(Warnings(Converter(0m), "1", "4", "2"));

            // Then the stated value and the ratio are named
            Assert.Equal("2", warning.Value);
            Assert.Equal("hits / tries is 0.25; the difference is beyond rounding (1)", warning.Message);
        }
    }
}
