using System.Globalization;
using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Staging;

/// <summary>Reads text into a field's type and writes typed values back, always in the invariant culture.</summary>
public static class FieldValues
{
    private const NumberStyles NumberStyle =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private const string NumberFormat = "0.############################";

    /// <summary>Parses <paramref name="text"/> (already cleaned, not missing) as the field's type.</summary>
    /// <returns>The typed value, or null with <paramref name="expected"/> saying what was expected.</returns>
    public static object? TryParse(FieldSchema field, string text, out string? expected)
    {
        expected = null;
        switch (field.Type)
        {
            case FieldType.String:
                return text;
            case FieldType.Integer:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    return whole;
                }

                expected = "a whole number";
                return null;
            case FieldType.Number:
                if (decimal.TryParse(text, NumberStyle, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }

                expected = "a decimal number (digits, optional sign and '.')";
                return null;
            case FieldType.Date:
            case FieldType.YearMonth:
                if (DateOnly.TryParseExact(text, field.Formats.ToArray(), CultureInfo.InvariantCulture,
                        DateTimeStyles.None, out var date))
                {
                    return date;
                }

                expected = "a date as " + string.Join(" or ", field.Formats);
                return null;
            case FieldType.DateTime:
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment))
                {
                    return moment;
                }

                expected = "a date and time (ISO 8601)";
                return null;
            default:
                throw new InvalidOperationException($"Unhandled field type {field.Type}.");
        }
    }

    /// <summary>The text written to a staging file: fixed formats, so equal inputs give equal bytes.</summary>
    public static string Format(FieldSchema field, object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        long whole => whole.ToString(CultureInfo.InvariantCulture),
        int whole => whole.ToString(CultureInfo.InvariantCulture),
        decimal number => FormatNumber(field.Scale is { } scale ? Math.Round(number, scale, MidpointRounding.ToEven) : number),
        DateOnly date => date.ToString(field.Formats.Count > 0 ? field.Formats[0] : "yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset moment => moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    public static string FormatNumber(decimal number) =>
        number == 0m ? "0" : number.ToString(NumberFormat, CultureInfo.InvariantCulture);
}
