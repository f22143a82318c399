using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.YouTube;

/// <summary>
/// A YouTube Analytics API result table (<c>youtube_analytics_[&lt;channel&gt;_]YYYYMMDD[_HHMMSS].json</c>,
/// also <c>channel_analytics_*.json</c>): <c>columnHeaders</c> name the columns and each of
/// <c>rows</c> is an array of typed values in that order. No <c>rows</c> means no data, not an
/// error. Only daily reports (a <c>day</c> dimension) are staged; the channel is the one in the
/// file name, or <c>own_channel</c> (the API's <c>channel==MINE</c>) when the name has none. Record: <c>day</c>.
/// </summary>
public sealed partial class AnalyticsApiJson : JsonExport
{
    /// <summary>The channel of a reply whose name does not say: the API's <c>ids=channel==MINE</c>.</summary>
    public const string OwnChannel = "own_channel";

    public override string Platform => "youtube";
    public override string Datatype => "api";
    public override string Version => "1";
    public override string Contract => "raw/youtube_analytics.schema.json";

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head) => ShapePattern().IsMatch(HeadText(head));

    protected override IReadOnlyList<RawProblem> Check(JToken document)
    {
        var names = Names(document);
        var problems = new List<RawProblem>();
        foreach (var twice in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new RawProblem("$.columnHeaders", $"the column '{twice.Key}' is named twice"));
        }

        if (!names.Contains("day"))
        {
            problems.Add(new RawProblem("$.columnHeaders",
                $"no 'day' dimension (found {string.Join(", ", names)}); only daily reports (dimensions=day) are staged"));
        }

        return problems;
    }

    protected override IEnumerable<SourceRow> Rows(JToken document)
    {
        var names = Names(document);
        if (document is not JObject reply || reply["rows"] is not JArray rows)
        {
            yield break; // no data for the period
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var locator = $"$.rows[{i}]";
            if (rows[i] is not JArray values || values.Count != names.Count)
            {
                yield return SourceRow.Unreadable(locator,
                    $"expected an array of {names.Count} values, one per column header, found {(rows[i] is JArray a ? a.Count + " values" : rows[i].Type.ToString().ToLowerInvariant())}") with { Record = "day" };
                continue;
            }

            var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { ["channel"] = OwnChannel };
            for (var c = 0; c < names.Count; c++)
            {
                fields[names[c]] = Text(values[c]);
            }

            yield return new SourceRow(locator, fields) { Record = "day" };
        }
    }

    /// <summary>The column names; read without validating first, anything that is not a name counts as an empty one.</summary>
    private static List<string> Names(JToken document) =>
        (document is JObject reply && reply["columnHeaders"] is JArray headers ? headers : [])
            .Select(h => h is JObject header && header["name"] is JValue { Type: JTokenType.String } name ? (string)name! : string.Empty)
            .ToList();

    /// <summary>A reply never states its channel: the file name's, when it has one, replaces <see cref="OwnChannel"/>.</summary>
    public override IEnumerable<SourceRow> Read(RawContent content)
    {
        var channel = NamePattern().Match(content.FileName) is { Success: true } match && match.Groups["channel"].Success
            ? match.Groups["channel"].Value
            : OwnChannel;
        return base.Read(content).Select(row => row.Problem is null && row.Fields.ContainsKey("channel")
            ? row with { Fields = new Dictionary<string, string?>(row.Fields, StringComparer.Ordinal) { ["channel"] = channel } }
            : row);
    }

    [GeneratedRegex(@"^(?:youtube|channel)_analytics(?:_(?<channel>.+?))?_[0-9]{8}(?:_[0-9]{6})?\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"""kind""\s*:\s*""youtubeAnalytics#resultTable""", RegexOptions.CultureInvariant)]
    private static partial Regex ShapePattern();
}
