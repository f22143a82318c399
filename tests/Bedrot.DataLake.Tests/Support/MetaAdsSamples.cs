using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Support;

/// <summary>
/// Reads the Meta Ads landing samples (SDK dumps, Graph API replies, Ads Manager exports) and the
/// marketing outputs of a built lake, independently of the parsers under test, so tests can state
/// their expectations from the inputs.
/// </summary>
internal static class MetaAdsSamples
{
    /// <summary><c>ZONE A0 - Midnight Drive - Traffic</c>.</summary>
    public const string CampaignA = "120214837205619301";

    /// <summary><c>PIG1987 - Sólveig Presave</c>.</summary>
    public const string CampaignB = "120215092736481502";

    /// <summary><c>Catalog Awareness Q2</c>.</summary>
    public const string CampaignC = "120209614528370903";

    public const string FirstDump = "meta_ads_dump_20250601_101500";
    public const string SecondDump = "meta_ads_dump_20250608_101500";
    public const string ExpiredDump = "meta_ads_dump_20250615_101500";
    public const string EnglishExport = "metaads_campaign_daily_20250612_083045.csv";
    public const string SpanishExport = "metaads_campaign_daily_20250613_090000.csv";

    /// <summary>The files every SDK dump holds.</summary>
    public static readonly string[] Members = ["campaigns.json", "adsets.json", "ads.json", "insights.json"];

    /// <summary>The two dumps that hold data, oldest first.</summary>
    public static readonly string[] GoodDumps = [FirstDump, SecondDump];

    /// <summary>The full path of a file under <c>landing/metaads</c>.</summary>
    public static string MetaLanding(this TempLake lake, string relative) =>
        Path.Combine(lake.Landing, "metaads", relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The rows of a Meta JSON file in landing: a bare array, or the <c>data</c> of a Graph API reply.</summary>
    public static List<JObject> MetaRows(this TempLake lake, string relative)
    {
        var document = JToken.Parse(File.ReadAllText(lake.MetaLanding(relative), Encoding.UTF8));
        var rows = document is JArray array ? array : (JArray)document["data"]!;
        return rows.Cast<JObject>().ToList();
    }

    /// <summary>A string property of a Meta row, or null when the row has no such key.</summary>
    public static string? Text(this JObject row, string property) => (string?)row[property];

    /// <summary>The value of one action type of an insights row, or null when the row reports none.</summary>
    public static string? Action(this JObject row, string type) =>
        (row["actions"] as JArray)?.OfType<JObject>().FirstOrDefault(a => (string?)a["action_type"] == type)?.Text("value");

    /// <summary>Every 18-digit string in the Meta JSON files of landing (ids of campaigns, ad sets, ads and creatives).</summary>
    public static HashSet<string> LandingIds(this TempLake lake)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(lake.Landing, "metaads"), "*.json", SearchOption.AllDirectories))
        {
            Collect(JToken.Parse(File.ReadAllText(file, Encoding.UTF8)), ids);
        }

        return ids;

        static void Collect(JToken token, HashSet<string> into)
        {
            if (token is JValue { Type: JTokenType.String } value && value.ToString(CultureInfo.InvariantCulture) is { Length: 18 } text && text.All(char.IsAsciiDigit))
            {
                into.Add(text);
            }

            foreach (var child in token.Children())
            {
                Collect(child, into);
            }
        }
    }

    /// <summary>
    /// For each campaign, ad set and single day across the good dumps, the insights row of the
    /// newest dump that has it.
    /// </summary>
    public static Dictionary<(string Campaign, string AdSet, string Date), JObject> NewestAdSetDays(this TempLake lake, IEnumerable<string>? dumps = null)
    {
        var days = new Dictionary<(string, string, string), JObject>();
        foreach (var dump in (dumps ?? GoodDumps).Order(StringComparer.Ordinal))
        {
            foreach (var row in lake.MetaRows($"{dump}/insights.json").Where(r => r.Text("date_start") == r.Text("date_stop")))
            {
                days[(row.Text("campaign_id")!, row.Text("adset_id")!, row.Text("date_start")!)] = row;
            }
        }

        return days;
    }

    /// <summary>
    /// The data rows of an Ads Manager export in landing, by English header, numbers made invariant
    /// (<c>"1,064.50"</c> and <c>1.064,50</c> are both <c>1064.50</c>). The first row is the total.
    /// </summary>
    public static List<Dictionary<string, string>> ExportRows(this TempLake lake, string file)
    {
        var lines = File.ReadAllText(lake.MetaLanding(file), Encoding.UTF8).TrimStart('\uFEFF')
            .Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        var separator = lines[0].Contains(';', StringComparison.Ordinal) ? ';' : ',';
        var header = Split(lines[0], separator).Select(English).ToList();
        return lines.Skip(1)
            .Select(line => Split(line, separator))
            .Select(cells => header.Select((h, i) => (h, Value: Number(h, cells[i], separator))).ToDictionary(p => p.h, p => p.Value, StringComparer.Ordinal))
            .ToList();

        static string English(string header) => header switch
        {
            "Inicio del informe" => "Reporting starts",
            "Fin del informe" => "Reporting ends",
            "Nombre de la campaña" => "Campaign name",
            "Identificador de la campaña" => "Campaign ID",
            "Resultados" => "Results",
            "Indicador de resultado" => "Result indicator",
            "Importe gastado (USD)" => "Amount spent (USD)",
            "Impresiones" => "Impressions",
            "Clics en el enlace" => "Link clicks",
            "CTR (porcentaje de clics en el enlace)" => "CTR (link click-through rate)",
            "CPC (coste por clic en el enlace) (USD)" => "CPC (cost per link click) (USD)",
            "Alcance" => "Reach",
            _ => header,
        };

        static string Number(string header, string cell, char separator)
        {
            string[] numbers = ["Results", "Amount spent (USD)", "Impressions", "Link clicks", "CTR (link click-through rate)", "CPC (cost per link click) (USD)", "Reach"];
            if (!numbers.Contains(header))
            {
                return cell;
            }

            return separator == ';' ? cell.Replace(".", string.Empty, StringComparison.Ordinal).Replace(',', '.') : cell.Replace(",", string.Empty, StringComparison.Ordinal);
        }
    }

    /// <summary>The rows of the unified marketing dataset.</summary>
    public static List<Dictionary<string, string>> MarketingRows(this TempLake lake) =>
        lake.LakeCsv(lake.CrossPlatformFile("marketing_unified_staging_"));

    /// <summary>The rows of the unified marketing dataset's control totals.</summary>
    public static List<Dictionary<string, string>> MarketingTotals(this TempLake lake) =>
        lake.LakeCsv(lake.CrossPlatformFile("marketing_unified_control_totals_"));

    /// <summary>The marketing rows source precedence set aside.</summary>
    public static List<Dictionary<string, string>> MarketingSetAside(this TempLake lake) =>
        lake.LakeCsv(lake.CrossPlatformFile("marketing_unified_precedence_"));

    /// <summary>The day rows of one source in the unified marketing dataset, by campaign and date.</summary>
    public static Dictionary<(string Campaign, string Date), Dictionary<string, string>> MarketingDays(this TempLake lake, string source)
    {
        var rows = lake.MarketingRows().Where(r => r["source"] == source && r["grain"] == "day").ToList();
        Assert.All(rows, r => Assert.Equal(r["date"], r["date_stop"]));
        return rows.ToDictionary(r => (r["campaign_id"], r["date"]));
    }

    /// <summary>An invariant decimal as written in a CSV or a Meta string.</summary>
    public static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>A decimal cell, or null when the cell is empty.</summary>
    public static decimal? DecOrNull(string? text) => string.IsNullOrEmpty(text) ? null : Dec(text);

    /// <summary>One line of a CSV with <c>"</c>-quoted cells (no quotes inside quotes).</summary>
    private static List<string> Split(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == separator && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
