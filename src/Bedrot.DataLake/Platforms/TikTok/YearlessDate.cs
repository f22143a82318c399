using System.Globalization;
using System.Text.RegularExpressions;

namespace Bedrot.DataLake.Platforms.TikTok;

/// <summary>
/// TikTok Studio writes days without a year (<c>February 28</c>, or in Spanish <c>8 de marzo</c>).
/// The year comes from the export date: a day is the latest date on or before the export date with
/// that month and day, so a 365-day file exported on 5 January reads <c>January 5</c> as that year
/// and <c>January 6</c> as the year before. A date that already has a year keeps it.
/// </summary>
internal static partial class YearlessDate
{
    private static readonly Dictionary<string, int> Months = new(StringComparer.Ordinal)
    {
        ["january"] = 1, ["jan"] = 1, ["enero"] = 1, ["ene"] = 1,
        ["february"] = 2, ["feb"] = 2, ["febrero"] = 2,
        ["march"] = 3, ["mar"] = 3, ["marzo"] = 3,
        ["april"] = 4, ["apr"] = 4, ["abril"] = 4, ["abr"] = 4,
        ["may"] = 5, ["mayo"] = 5,
        ["june"] = 6, ["jun"] = 6, ["junio"] = 6,
        ["july"] = 7, ["jul"] = 7, ["julio"] = 7,
        ["august"] = 8, ["aug"] = 8, ["agosto"] = 8, ["ago"] = 8,
        ["september"] = 9, ["sep"] = 9, ["sept"] = 9, ["septiembre"] = 9, ["setiembre"] = 9, ["set"] = 9,
        ["october"] = 10, ["oct"] = 10, ["octubre"] = 10,
        ["november"] = 11, ["nov"] = 11, ["noviembre"] = 11,
        ["december"] = 12, ["dec"] = 12, ["diciembre"] = 12, ["dic"] = 12,
    };

    /// <summary>The day <paramref name="text"/> names, resolved against <paramref name="exported"/>; null when it names none.</summary>
    public static DateOnly? Resolve(string? text, DateOnly exported)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
        {
            return null;
        }

        var clean = text.Trim().ToLowerInvariant().Replace('\u00A0', ' ');
        if (DateOnly.TryParseExact(clean, ["yyyy-MM-dd", "yyyy/MM/dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var full))
        {
            return full;
        }

        var match = MonthFirst().Match(clean) is { Success: true } english ? english : DayFirst().Match(clean);
        if (!match.Success || !Months.TryGetValue(match.Groups["month"].Value.TrimEnd('.'), out var month)
            || !int.TryParse(match.Groups["day"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || day < 1)
        {
            return null;
        }

        if (match.Groups["year"].Success)
        {
            var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
            return day <= DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month) && year is >= 1900 and <= 9999
                ? new DateOnly(year, month, day)
                : null;
        }

        // Walking back from the export date: at most four years, so 29 February finds a leap year.
        for (var year = exported.Year; year >= exported.Year - 4 && year >= 1; year--)
        {
            if (day <= DateTime.DaysInMonth(year, month) && new DateOnly(year, month, day) is var candidate && candidate <= exported)
            {
                return candidate;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<month>\p{L}+\.?)\s+(?<day>[0-9]{1,2})(?:,?\s+(?<year>[0-9]{4}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthFirst();

    [GeneratedRegex(@"^(?<day>[0-9]{1,2})\s+(?:de\s+)?(?<month>\p{L}+\.?)(?:\s+(?:de\s+)?(?<year>[0-9]{4}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex DayFirst();
}
