using System.Globalization;
using System.Text.RegularExpressions;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// The extraction time exports carry in their names: <c>_YYYYMMDD_HHMMSS</c> or <c>_YYYYMMDD</c>, or
/// TikTok Studio's <c>_YYYY-MM-DD_&lt;epoch seconds&gt;</c>.
/// </summary>
public static partial class FileNameTimestamp
{
    /// <summary>The timestamp text as it appears in the name (<c>20250522_085156</c>), or null.</summary>
    public static string? Text(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var match = Pattern().Match(stem);
        if (match.Success && Parse(match.Value) is not null)
        {
            return match.Value;
        }

        match = DateAndEpoch().Match(stem);
        return match.Success && Parse(match.Value) is not null ? match.Value : null;
    }

    /// <summary>The extraction time in UTC (exports carry no zone), or null when the name has none.</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (DateAndEpoch().Match(text) is { Success: true } tiktok)
        {
            return FromDateAndEpoch(tiktok.Groups["date"].Value, tiktok.Groups["epoch"].Value);
        }

        var format = text.Length == 8 ? "yyyyMMdd" : "yyyyMMdd_HHmmss";
        return DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }

    /// <summary>
    /// The epoch is the moment of the export; the date beside it is the account's local day. An
    /// epoch more than a day away from that date is not the export's, and the date alone is used.
    /// </summary>
    private static DateTimeOffset? FromDateAndEpoch(string dateText, string epochText)
    {
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }

        var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (long.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and < 253402300799)
        {
            var moment = DateTimeOffset.FromUnixTimeSeconds(seconds);
            if (Math.Abs((moment - midnight).TotalHours) <= 36)
            {
                return moment;
            }
        }

        return midnight;
    }

    [GeneratedRegex(@"(?<!\d)\d{8}(?:_\d{6})?(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(?<![\d-])(?<date>\d{4}-\d{2}-\d{2})_(?<epoch>\d{9,11})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex DateAndEpoch();
}
