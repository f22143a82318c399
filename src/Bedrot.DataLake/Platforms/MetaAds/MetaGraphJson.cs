using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.MetaAds;

/// <summary>
/// A Meta Marketing API result, in either shape it is saved in: a bare JSON array (the SDK dumps
/// in <c>meta_ads_dump_&lt;ts&gt;/</c>) or the Graph API reply <c>{"data": [...], "paging": {...}}</c>.
/// Every number is a string and stays text until staging types it; IDs are never parsed. The
/// <c>actions</c> list becomes one field per action type (<c>actions.link_click</c>). An error
/// reply (<c>{"error": {...}}</c>, e.g. an expired token) is named as such.
/// </summary>
public abstract partial class MetaGraphJson : JsonExport
{
    public override string Platform => "metaads";
    public override string Version => "1";
    public override Regex? UnitFolder => DumpFolder();

    /// <summary>The property only this kind's rows have, for recognition by content.</summary>
    protected abstract string ContentMarker { get; }

    public override bool MatchesName(string fileName) =>
        (_namePattern ??= new Regex($@"^{Regex.Escape(Datatype)}(_\d{{8}}(_\d{{6}})?)?\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
        .IsMatch(fileName);

    /// <summary>The name pattern, made once per kind: every landing file's name is tried against every kind.</summary>
    private Regex? _namePattern;

    public override bool MatchesContent(ReadOnlySpan<byte> head)
    {
        var text = HeadText(head).TrimStart();
        return (text.StartsWith('[') || text.StartsWith("{", StringComparison.Ordinal) && text.Contains("\"data\"", StringComparison.Ordinal))
               && text.Contains($"\"{ContentMarker}\"", StringComparison.Ordinal);
    }

    protected override IReadOnlyList<RawProblem> Precheck(JToken document)
    {
        if (document is JObject { } reply && reply["error"] is JObject error)
        {
            return
            [
                new RawProblem("$.error",
                    $"Meta returned an error instead of data: {Text(error["message"])} " +
                    $"({Text(error["type"])}, code {Text(error["code"])}); download it again"),
            ];
        }

        return [];
    }

    protected override IEnumerable<SourceRow> Rows(JToken document)
    {
        var (rows, path) = document switch
        {
            JArray array => (array, "$"),
            JObject { } reply when reply["data"] is JArray data => (data, "$.data"),
            _ => (null, "$"),
        };
        if (rows is null)
        {
            yield return SourceRow.Unreadable("$", "expected a JSON array of rows or a Graph API reply {\"data\": [...]}") with { Record = Datatype };
            yield break;
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var locator = $"{path}[{i}]";
            if (rows[i] is not JObject row)
            {
                yield return SourceRow.Unreadable(locator, "expected an object");
                continue;
            }

            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in row.Properties())
            {
                if (property.Name == "actions" && property.Value is JArray actions)
                {
                    foreach (var action in actions.OfType<JObject>())
                    {
                        if (action["action_type"] is JValue { Type: JTokenType.String } type)
                        {
                            fields["actions." + (string)type!] = Text(action["value"]);
                        }
                    }

                    continue;
                }

                fields[property.Name] = Text(property.Value);
            }

            yield return new SourceRow(locator, fields) { Record = Datatype };
        }
    }

    [GeneratedRegex(@"^meta_ads_dump_\d{8}_\d{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex DumpFolder();
}

/// <summary><c>campaigns.json</c> / <c>campaigns_YYYYMMDD.json</c>: id, name, status, objective, budgets in cents.</summary>
public sealed class MetaCampaignsJson : MetaGraphJson
{
    public override string Datatype => "campaigns";
    public override string Contract => "raw/metaads_campaigns.schema.json";
    public override string UnitMember => "campaigns.json";
    protected override string ContentMarker => "objective";
}

/// <summary><c>adsets.json</c> / <c>adsets_YYYYMMDD.json</c>: ad sets with their campaign, budget and targeting.</summary>
public sealed class MetaAdsetsJson : MetaGraphJson
{
    public override string Datatype => "adsets";
    public override string Contract => "raw/metaads_adsets.schema.json";
    public override string UnitMember => "adsets.json";
    protected override string ContentMarker => "optimization_goal";
}

/// <summary><c>ads.json</c> / <c>ads_YYYYMMDD.json</c>: ads with their ad set, campaign and creative.</summary>
public sealed class MetaAdsJson : MetaGraphJson
{
    public override string Datatype => "ads";
    public override string Contract => "raw/metaads_ads.schema.json";
    public override string UnitMember => "ads.json";
    protected override string ContentMarker => "creative";
}

/// <summary>
/// <c>insights.json</c> / <c>insights_YYYYMMDD.json</c>: delivery and spend per campaign or ad set
/// over <c>date_start</c>..<c>date_stop</c> (a day, or a longer range).
/// </summary>
public sealed class MetaInsightsJson : MetaGraphJson
{
    public override string Datatype => "insights";
    public override string Contract => "raw/metaads_insights.schema.json";
    public override string UnitMember => "insights.json";
    protected override string ContentMarker => "date_start";
}
