using System.Globalization;
using System.Text.RegularExpressions;

namespace Bedrot.DataLake.Raw;

/// <summary>The extraction time exports carry in their names: <c>_YYYYMMDD_HHMMSS</c> or <c>_YYYYMMDD</c>.</summary>
public static partial class FileNameTimestamp
{
    /// <summary>The timestamp text as it appears in the name (<c>20250522_085156</c>), or null.</summary>
    public static string? Text(string fileName)
    {
        var match = Pattern().Match(Path.GetFileNameWithoutExtension(fileName));
        return match.Success && Parse(match.Value) is not null ? match.Value : null;
    }

    /// <summary>The extraction time in UTC (exports carry no zone), or null when the name has none.</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var format = text.Length == 8 ? "yyyyMMdd" : "yyyyMMdd_HHmmss";
        return DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }

    [GeneratedRegex(@"(?<!\d)\d{8}(?:_\d{6})?(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
