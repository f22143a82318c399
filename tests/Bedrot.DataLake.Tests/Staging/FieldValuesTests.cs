using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Tests.Staging;

public sealed class FieldValuesTests
{
    private static FieldSchema Field(FieldType type, int? scale = null, params string[] formats) =>
        new() { Name = "value", Type = type, Scale = scale, Formats = formats };

    public sealed class TheFormatMethod
    {
        [Theory]
        [InlineData("1.500", "1.5")]
        [InlineData("0.000", "0")]
        [InlineData("-0.00123400", "-0.001234")]
        [InlineData("12345678.90", "12345678.9")]
        [InlineData("100", "100")]
        [InlineData("0.00000001", "0.00000001")]
        public void Should_Format_Numbers_Invariant_Without_Trailing_Zeros(string value, string expected)
        {
            // Given a decimal as parsed from an export (trailing zeros are part of a decimal's scale)
            var number = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

            // When it is formatted
            var text = FieldValues.Format(Field(FieldType.Number), number);

            // Then it has a '.' point, no grouping and no trailing zeros
            Assert.Equal(expected, text);
        }

        [Fact]
        public void Should_Round_To_The_Field_Scale()
        {
            // Given a ratio with more decimals than the field's scale of 10
            // When it is formatted
            var text = FieldValues.Format(Field(FieldType.Number, scale: 10), 2m / 3m);

            // Then it is rounded to 10 places
            Assert.Equal("0.6666666667", text);
        }

        [Fact]
        public void Should_Round_Half_To_Even()
        {
            // Given values exactly half way at a scale of 2
            var field = Field(FieldType.Number, scale: 2);

            // When they are formatted
            // Then they round to the even neighbour
            Assert.Equal("0.12", FieldValues.Format(field, 0.125m));
            Assert.Equal("0.14", FieldValues.Format(field, 0.135m));
        }

        [Fact]
        public void Should_Format_Dates_As_Iso_Days()
        {
            // Given a date field with no format, and a year-month field
            // When dates are formatted
            // Then days are yyyy-MM-dd and a year-month uses its first format
            Assert.Equal("2025-08-07", FieldValues.Format(Field(FieldType.Date), new DateOnly(2025, 8, 7)));
            Assert.Equal("2025-08", FieldValues.Format(Field(FieldType.YearMonth, null, "yyyy-MM"), new DateOnly(2025, 8, 1)));
        }

        [Fact]
        public void Should_Format_Times_In_Utc_With_A_Z()
        {
            // Given a time with a +02:00 offset
            var moment = new DateTimeOffset(2025, 6, 1, 11, 30, 15, TimeSpan.FromHours(2));

            // When it is formatted
            var text = FieldValues.Format(Field(FieldType.DateTime), moment);

            // Then it is the same instant in UTC, to the second
            Assert.Equal("2025-06-01T09:30:15Z", text);
        }

        [Fact]
        public void Should_Format_Missing_Values_And_Whole_Numbers()
        {
            // Given no value, a long and a negative long
            // When they are formatted
            // Then missing is empty and whole numbers have no grouping
            Assert.Equal(string.Empty, FieldValues.Format(Field(FieldType.Integer), null));
            Assert.Equal("1234567", FieldValues.Format(Field(FieldType.Integer), 1234567L));
            Assert.Equal("-3", FieldValues.Format(Field(FieldType.Integer), -3L));
        }
    }

    public sealed class TheTryParseMethod
    {
        [Fact]
        public void Should_Read_A_Time_With_An_Offset_As_Utc()
        {
            // Given an ISO time with an offset
            // When it is parsed
            var value = FieldValues.TryParse(Field(FieldType.DateTime), "2025-06-01T11:30:15+02:00", out var expected);

            // Then it is the same instant with a zero offset
            Assert.Null(expected);
            Assert.Equal(new DateTimeOffset(2025, 6, 1, 9, 30, 15, TimeSpan.Zero), value);
            Assert.Equal(TimeSpan.Zero, ((DateTimeOffset)value!).Offset);
        }

        [Theory]
        [InlineData("1e309")]
        [InlineData("1,5")]
        [InlineData("$3")]
        [InlineData("NaN")]
        public void Should_Not_Read_Text_That_Is_Not_A_Decimal(string text)
        {
            // Given text that is not an invariant decimal
            // When it is parsed as a number
            var value = FieldValues.TryParse(Field(FieldType.Number), text, out var expected);

            // Then there is no value and a description of what was expected
            Assert.Null(value);
            Assert.Contains("decimal", expected);
        }

        [Fact]
        public void Should_Round_Trip_A_Number_With_Eight_Decimals()
        {
            // Given earnings with 8 decimals
            var field = Field(FieldType.Number);

            // When they are parsed and formatted again
            var text = FieldValues.Format(field, FieldValues.TryParse(field, "-0.12345678", out _));

            // Then the text is unchanged
            Assert.Equal("-0.12345678", text);
        }
    }
}
