using System.Globalization;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Platforms.TikTok;

/// <summary>
/// A Studio <c>Content</c> sheet saved on its own as <c>video_performance_[&lt;account&gt;_]YYYYMMDD[_HHMMSS].csv</c>:
/// per-video totals with the Content sheet's columns and quirks. The date in the name is the export
/// date that gives year-less post times their year. Record: <c>content</c>.
/// </summary>
public sealed partial class VideoPerformanceCsv : RawFileKind
{
    private const string NameForm = "video_performance_[<account>_]YYYYMMDD[_HHMMSS].csv";

    public override string Platform => "tiktok";
    public override string Datatype => "videos";
    public override string Version => "1";

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head) => StudioCsv.SheetOf(head) == StudioSheet.Content;

    public override IReadOnlyList<RawProblem> Validate(RawContent content)
    {
        if (Facts(content.FileName) is not { } facts)
        {
            return [new RawProblem("file name",
                $"the export date (which gives the year of every post time) is only in the file name, and '{content.FileName}' does not have the form {NameForm}")];
        }

        if (content.Bytes.Span.StartsWith("PK\u0003\u0004"u8))
        {
            return [new RawProblem("byte 0", "a ZIP archive, not a CSV; land a TikTok Studio ZIP under its own name (Overview_YYYY-MM-DD_<epoch>_<account>.zip)")];
        }

        return StudioCsv.Validate("file", StudioSheet.Content, content.Bytes, facts.Exported);
    }

    public override IEnumerable<SourceRow> Read(RawContent content)
    {
        if (Facts(content.FileName) is not { } facts)
        {
            return [SourceRow.Unreadable("file name", $"'{content.FileName}' does not have the form {NameForm}")];
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["account"] = facts.Account,
            ["export_date"] = facts.Exported.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        return StudioCsv.Read("file", StudioSheet.Content, content.Bytes, facts.Exported, values);
    }

    private static (DateOnly Exported, string? Account)? Facts(string fileName)
    {
        var match = NamePattern().Match(fileName);
        return match.Success
               && DateOnly.TryParseExact(match.Groups["date"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? (date, match.Groups["account"].Success ? match.Groups["account"].Value : null)
            : null;
    }

    [GeneratedRegex(@"^video_performance_(?:(?<account>.+?)_)?(?<date>[0-9]{8})(?:_[0-9]{6})?\.csv$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
