using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.Linktree;

/// <summary>
/// A capture of Linktree's admin GraphQL API (<c>graphql_YYYYMMDD_HHMMSS_&lt;n&gt;.json</c>, also
/// <c>linktree_analytics_YYYYMMDD_HHMMSS.json</c>). Linktree has no export; each capture is one query's
/// reply, recognised by its content: <c>getAccountAnalytics</c>, or link titles keyed <c>link&lt;ID&gt;</c>
/// with <c>__typename</c> <c>Link</c>. Counts come wrapped (<c>{"total": N}</c>) and are unwrapped;
/// <c>__typename</c> is dropped. Records: <c>overview</c> (the capture's totals, click-through rate as
/// a fraction and the benchmark as a percentage), <c>daily</c> (timeseries), <c>link</c> (per-link
/// clicks), <c>breakdown</c> (referrer, country, device) and <c>link_title</c>.
/// </summary>
public sealed partial class AdminGraphqlJson : JsonExport
{
    /// <summary>The profile of a capture that does not name it (the admin API answers for the signed-in account).</summary>
    public const string OwnProfile = "own_profile";

    private static readonly (string Property, string Dimension, string[] Names)[] Breakdowns =
    [
        ("referrers", "referrer", ["referrer", "source", "name"]),
        ("locations", "country", ["country", "countryCode", "name"]),
        ("devices", "device", ["device", "deviceType", "name"]),
    ];

    public override string Platform => "linktree";
    public override string Datatype => "analytics";
    public override string Version => "1";
    public override string Contract => "raw/linktree_graphql.schema.json";

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head)
    {
        var text = HeadText(head);
        return text.Contains("\"getAccountAnalytics\"", StringComparison.Ordinal)
               || (text.Contains("\"__typename\"", StringComparison.Ordinal) && LinkKey().IsMatch(text));
    }

    protected override IReadOnlyList<RawProblem> Precheck(JToken document) =>
        document is JObject { } reply && reply["errors"] is JArray { Count: > 0 } errors && reply["data"] is null or { Type: JTokenType.Null }
            ? [new RawProblem("$.errors", "a GraphQL error reply, not data: " + string.Join("; ", errors.Select(e => (e as JObject)?["message"]?.ToString() ?? e.ToString())))]
            : [];

    protected override IReadOnlyList<RawProblem> Check(JToken document)
    {
        var data = (JObject)document["data"]!;
        return data["getAccountAnalytics"] is JObject || Titles(data).Any()
            ? []
            : [new RawProblem("$.data", $"neither getAccountAnalytics nor link titles (link<ID> of __typename Link); found {string.Join(", ", data.Properties().Select(p => p.Name).Take(10))}")];
    }

    protected override IEnumerable<SourceRow> Rows(JToken document)
    {
        if (document is not JObject { } reply || reply["data"] is not JObject data)
        {
            yield break;
        }

        foreach (var title in Titles(data))
        {
            yield return title;
        }

        if (data["getAccountAnalytics"] is not JObject analytics)
        {
            yield break;
        }

        var account = analytics["username"] is JValue { Type: JTokenType.String } name ? (string?)name : OwnProfile;
        if (analytics["overview"] is JObject overview)
        {
            yield return Row("$.data.getAccountAnalytics.overview", overview, account, "overview");
        }

        foreach (var (element, locator) in Elements(analytics, "timeseries"))
        {
            yield return Row(locator, element, account, "daily");
        }

        foreach (var (element, locator) in Elements(analytics, "linkClicks"))
        {
            yield return Row(locator, element, account, "link");
        }

        foreach (var (property, dimension, names) in Breakdowns)
        {
            foreach (var (element, locator) in Elements(analytics, property))
            {
                var row = Row(locator, element, account, "breakdown");
                var fields = (Dictionary<string, string?>)row.Fields;
                fields["dimension"] = dimension;
                fields["value"] = names.Select(n => fields.GetValueOrDefault(n)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
                yield return row;
            }
        }
    }

    /// <summary>Link titles keyed <c>link&lt;ID&gt;</c>, each an object of <c>__typename</c> Link.</summary>
    private static IEnumerable<SourceRow> Titles(JObject data) =>
        data.Properties()
            .Where(p => LinkKey().IsMatch("\"" + p.Name + "\"") && p.Value is JObject link && (string?)(link["__typename"] as JValue) == "Link")
            .Select(p =>
            {
                var row = Row($"$.data.{p.Name}", (JObject)p.Value, null, "link_title");
                ((Dictionary<string, string?>)row.Fields)["linkId"] = row.Fields.GetValueOrDefault("id") ?? p.Name[4..];
                return row;
            });

    private static IEnumerable<(JObject Element, string Locator)> Elements(JObject analytics, string property)
    {
        if (analytics[property] is not JArray array)
        {
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JObject element)
            {
                yield return (element, $"$.data.getAccountAnalytics.{property}[{i}]");
            }
        }
    }

    /// <summary>An object's scalars as fields; a wrapped count (<c>{"total": N}</c>) becomes N; <c>__typename</c> is dropped.</summary>
    private static SourceRow Row(string locator, JObject element, string? account, string record)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { ["account"] = account };
        foreach (var property in element.Properties().Where(p => p.Name != "__typename"))
        {
            fields[property.Name] = property.Value is JObject wrapped && wrapped.ContainsKey("total")
                ? Text(wrapped["total"])
                : Text(property.Value);
        }

        return new SourceRow(locator, fields) { Record = record };
    }

    [GeneratedRegex(@"^(?:graphql_[0-9]{8}_[0-9]{6}_[0-9]+|linktree_analytics_[0-9]{8}_[0-9]{6})\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"""link[0-9]{1,20}""", RegexOptions.CultureInvariant)]
    private static partial Regex LinkKey();
}
