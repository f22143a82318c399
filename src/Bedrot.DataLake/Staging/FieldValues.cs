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
                if (TryParseDate(text, field.Formats) is { } date)
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

    /// <summary>
    /// A date in the first of the formats it matches. The usual formats (<c>yyyy-MM-dd</c>,
    /// <c>yyyy-MM</c>) are read digit by digit, exactly as <see cref="DateOnly.TryParseExact(string, string, IFormatProvider, DateTimeStyles, out DateOnly)"/>
    /// reads them (four, two and two ASCII digits, a real date) and many times faster; any other
    /// format goes through it.
    /// </summary>
    internal static DateOnly? TryParseDate(string text, IReadOnlyList<string> formats)
    {
        // Indexed, not foreach: an enumerator of the interface is an object made on every call.
        for (var f = 0; f < formats.Count; f++)
        {
            var format = formats[f];
            switch (format)
            {
                case "yyyy-MM-dd":
                    if (text.Length == 10 && text[4] == '-' && text[7] == '-'
                        && Digits(text, 0, 4) is { } year && Digits(text, 5, 2) is { } month && Digits(text, 8, 2) is { } day
                        && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
                    {
                        return new DateOnly(year, month, day);
                    }

                    break;
                case "yyyy-MM":
                    if (text.Length == 7 && text[4] == '-'
                        && Digits(text, 0, 4) is { } y && Digits(text, 5, 2) is { } m && y >= 1 && m is >= 1 and <= 12)
                    {
                        return new DateOnly(y, m, 1);
                    }

                    break;
                default:
                    if (DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        return date;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>A date as <c>yyyy-MM-dd</c>, written digit by digit (the framework's custom format parses its pattern for every value).</summary>
    internal static string IsoDate(DateOnly date) =>
        string.Create(10, date, static (text, day) =>
        {
            static void Write(Span<char> digits, int value)
            {
                for (var i = digits.Length - 1; i >= 0; i--)
                {
                    digits[i] = (char)('0' + (value % 10));
                    value /= 10;
                }
            }

            Write(text[..4], day.Year);
            text[4] = '-';
            Write(text.Slice(5, 2), day.Month);
            text[7] = '-';
            Write(text.Slice(8, 2), day.Day);
        });

    private static int? Digits(string text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return null;
            }

            value = value * 10 + (text[i] - '0');
        }

        return value;
    }

    /// <summary>The text written to a staging file: fixed formats, so equal inputs give equal bytes.</summary>
    public static string Format(FieldSchema field, object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        long whole => whole.ToString(CultureInfo.InvariantCulture),
        int whole => whole.ToString(CultureInfo.InvariantCulture),
        decimal number => FormatNumber(field.Scale is { } scale ? Math.Round(number, scale, MidpointRounding.ToEven) : number),
        DateOnly date => field.Formats.Count == 0 || field.Formats[0] == "yyyy-MM-dd"
            ? IsoDate(date)
            : date.ToString(field.Formats[0], CultureInfo.InvariantCulture),
        DateTimeOffset moment => moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>
    /// A number in plain notation without trailing zeros (<c>2.50</c> is <c>2.5</c>, <c>-0.000</c> is
    /// <c>0</c>): the general format, which never uses an exponent for decimals, trimmed. Formatting
    /// through <see cref="NumberFormat"/> gives the same text, several times slower.
    /// </summary>
    public static string FormatNumber(decimal number)
    {
        if (number == 0m)
        {
            return "0";
        }

        Span<char> text = stackalloc char[64];
        if (!number.TryFormat(text, out var length, default, CultureInfo.InvariantCulture))
        {
            return number.ToString(NumberFormat, CultureInfo.InvariantCulture);
        }

        if (text[..length].IndexOf('.') >= 0)
        {
            while (text[length - 1] == '0')
            {
                length--;
            }

            if (text[length - 1] == '.')
            {
                length--;
            }
        }

        return new string(text[..length]);
    }
}
