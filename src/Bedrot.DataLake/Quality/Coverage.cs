using System.Globalization;
using System.Text;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Quality;

/// <summary>
/// The periods (days or months) a dataset holds data for, written as compact ranges:
/// <c>2025-05-01..2025-05-31 2025-06-02</c> for days, <c>2024-11..2025-06</c> for months.
/// </summary>
public static class Coverage
{
    /// <summary>The period of a date-like value: yyyy-MM-dd for the day cadence, yyyy-MM for the month cadence.</summary>
    public static string? PeriodOf(object? value, string cadence)
    {
        DateOnly? date = value switch
        {
            DateOnly day => day,
            DateTimeOffset moment => DateOnly.FromDateTime(moment.UtcDateTime),
            _ => null,
        };
        return date is { } found ? Text(Start(found, cadence), cadence) : null;
    }

    /// <summary>The first day of the period holding <paramref name="date"/>.</summary>
    public static DateOnly Start(DateOnly date, string cadence) => cadence == "month" ? new DateOnly(date.Year, date.Month, 1) : date;

    public static DateOnly Next(DateOnly period, string cadence) => cadence == "month" ? period.AddMonths(1) : period.AddDays(1);

    public static string Text(DateOnly period, string cadence) =>
        period.ToString(cadence == "month" ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParsePeriod(string text) =>
        FieldValues.TryParseDate(text, text.Length == 7 ? MonthFormat : DayFormat)
        // Not a period: the framework's parse throws its usual error.
        ?? DateOnly.ParseExact(text.Length == 7 ? text + "-01" : text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly string[] MonthFormat = ["yyyy-MM"];

    /// <summary>The one format of a day (<c>yyyy-MM-dd</c>), for <see cref="FieldValues.TryParseDate"/>.</summary>
    internal static readonly string[] DayFormat = ["yyyy-MM-dd"];

    /// <summary>Writes sorted period texts as ranges of consecutive periods.</summary>
    public static string Format(IEnumerable<string> periods, string cadence)
    {
        var text = new StringBuilder();
        DateOnly? first = null, last = null;
        void Flush()
        {
            if (first is null)
            {
                return;
            }

            text.Append(text.Length > 0 ? " " : string.Empty).Append(Text(first.Value, cadence));
            if (last != first)
            {
                text.Append("..").Append(Text(last!.Value, cadence));
            }
        }

        foreach (var period in periods.Select(ParsePeriod).Distinct().Order())
        {
            if (last is { } previous && Next(previous, cadence) == period)
            {
                last = period;
                continue;
            }

            Flush();
            first = last = period;
        }

        Flush();
        return text.ToString();
    }

    /// <summary>The ranges of a coverage text, as (first, last) period starts.</summary>
    public static IReadOnlyList<(DateOnly First, DateOnly Last)> Ranges(string? coverage) =>
        (coverage ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(range => range.Split("..") is [var from, var to]
                ? (ParsePeriod(from), ParsePeriod(to))
                : (ParsePeriod(range), ParsePeriod(range)))
            .ToList();

    /// <summary>Every period of the ranges.</summary>
    public static IEnumerable<DateOnly> Periods(IEnumerable<(DateOnly First, DateOnly Last)> ranges, string cadence)
    {
        foreach (var (first, last) in ranges)
        {
            for (var period = first; period <= last; period = Next(period, cadence))
            {
                yield return period;
            }
        }
    }
}
