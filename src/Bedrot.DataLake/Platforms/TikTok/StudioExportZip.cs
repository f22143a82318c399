using System.Globalization;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Platforms.TikTok;

/// <summary>
/// TikTok Studio's "Download data" ZIP as downloaded (<c>Overview_YYYY-MM-DD_&lt;epoch&gt;_&lt;account&gt;.zip</c>).
/// The ZIP is the raw file: it is promoted whole and byte-identical, like a one-file unit, after
/// every entry is checked (<see cref="StudioArchive"/>) and every known sheet validated; one bad
/// sheet refuses the export. The export date and the account are only in the file name; the date
/// gives the year of the sheets' year-less days. Records: <c>overview</c>, <c>content</c>,
/// <c>viewers</c>, <c>follower_history</c>, <c>follower_gender</c>, <c>follower_territory</c>,
/// <c>follower_activity</c>. Other CSVs TikTok may add stay in the raw ZIP, unread.
/// </summary>
public sealed partial class StudioExportZip : RawFileKind
{
    private const string NameForm = "Overview_YYYY-MM-DD_<epoch>_<account>.zip";

    public override string Platform => "tiktok";
    public override string Datatype => "analytics";
    public override string Version => "1";

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    /// <summary>A ZIP (local file header) whose first entries include a Studio sheet by name.</summary>
    public override bool MatchesContent(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith("PK\u0003\u0004"u8))
        {
            return false;
        }

        foreach (var sheet in StudioSheet.All)
        {
            if (head.IndexOf(System.Text.Encoding.ASCII.GetBytes(sheet.FileName)) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    public override IReadOnlyList<RawProblem> Validate(RawContent content)
    {
        if (Facts(content.FileName) is not { } facts)
        {
            return [new RawProblem("file name",
                $"the export date (which gives the year of every day) and the account are only in the file name, and '{content.FileName}' does not have the form {NameForm}")];
        }

        var sheets = StudioArchive.Open(content.Bytes, out var problems);
        if (problems.Count > 0)
        {
            return problems;
        }

        return sheets.SelectMany(s => StudioCsv.Validate(s.Entry, s.Sheet, s.Bytes, facts.Exported)).ToList();
    }

    public override IEnumerable<SourceRow> Read(RawContent content)
    {
        if (Facts(content.FileName) is not { } facts)
        {
            return [SourceRow.Unreadable("file name", $"'{content.FileName}' does not have the form {NameForm}")];
        }

        var sheets = StudioArchive.Open(content.Bytes, out var problems);
        if (problems.Count > 0)
        {
            return problems.Select(p => SourceRow.Unreadable(p.Where, p.Problem));
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["account"] = facts.Account,
            ["export_date"] = facts.Exported.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        return sheets.SelectMany(s => StudioCsv.Read(s.Entry, s.Sheet, s.Bytes, facts.Exported, values));
    }

    /// <summary>The export date and account the name carries, or null when the name has another form.</summary>
    internal static (DateOnly Exported, string Account)? Facts(string fileName)
    {
        var match = NamePattern().Match(fileName);
        return match.Success
               && DateOnly.TryParseExact(match.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
               && match.Groups["account"].Value.Trim() is { Length: > 0 } account
            ? (date, account)
            : null;
    }

    // A browser's duplicate suffix (" (1)") is not part of the account.
    [GeneratedRegex(@"^Overview_(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})_(?<epoch>[0-9]{9,11})_(?<account>.+?)(?:\s*\([0-9]+\))?\.zip$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
