using System.Globalization;
using System.Text.RegularExpressions;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// The version in a raw file's name: a later file landed under an earlier one's name is kept
/// beside it as <c>name.v2.ext</c>, <c>name.v3.ext</c>, ... (see <see cref="RawPromoter"/>).
/// </summary>
public static partial class RawVersion
{
    /// <summary>The path without its version, and the version number (1 for the first, unsuffixed file).</summary>
    public static (string Unversioned, int Number) Of(string rawPath)
    {
        var match = Suffix().Match(rawPath);
        return match.Success
            ? (rawPath.Remove(match.Index, match.Length), int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
            : (rawPath, 1);
    }

    [GeneratedRegex(@"\.v(\d+)(?=\.[^./]+$|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Suffix();
}
