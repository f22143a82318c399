using System.Globalization;
using System.Text;

namespace Bedrot.Bench.Generation;

/// <summary>
/// A Meta Ads Manager daily campaign export: English header, comma separated, a first total row with
/// an empty name, money and counts over 999 quoted with a thousands separator, 18-digit campaign ids.
/// </summary>
internal static class MetaAdsCsv
{
    private const string Header =
        "Reporting starts,Reporting ends,Campaign name,Campaign ID,Results,Result indicator,Amount spent (USD),Impressions,Link clicks," +
        "CTR (link click-through rate),CPC (cost per link click) (USD),Reach";

    private static readonly string[] Names = ["ZONE A0 - Midnight Drive - Traffic", "PIG1987 - Sólveig Presave", "Catalog Awareness Q2", "Tour Teaser", "Retargeting"];

    public static int Write(string landing, DateTime exported, long rows, int seed)
    {
        var random = new Random(seed);
        var folder = Directory.CreateDirectory(Path.Combine(landing, "metaads")).FullName;
        var path = Path.Combine(folder, $"metaads_campaign_daily_{exported:yyyyMMdd_HHmmss}.csv");
        var campaigns = Enumerable.Range(0, Names.Length)
            .Select(i => (Name: Names[i], Id: "1202" + random.NextInt64(10_000_000_000_000, 99_999_999_999_999).ToString(CultureInfo.InvariantCulture)))
            .ToArray();
        var days = (int)Math.Max(1, (rows - 1 + campaigns.Length - 1) / campaigns.Length);
        var end = DateOnly.FromDateTime(exported).AddDays(-1);
        var lines = new List<string>();
        long clicksTotal = 0, impressionsTotal = 0, reachTotal = 0;
        var spentTotal = 0m;
        for (var d = days - 1; d >= 0 && lines.Count < Math.Max(1, rows - 1); d--)
        {
            var day = end.AddDays(-d);
            foreach (var (name, id) in campaigns)
            {
                var impressions = random.Next(800, 9000);
                var clicks = random.Next(1, 60);
                var spent = Math.Round(clicks * (0.4m + (decimal)random.NextDouble()), 2);
                var reach = impressions * 85 / 100;
                (clicksTotal, impressionsTotal, reachTotal, spentTotal) = (clicksTotal + clicks, impressionsTotal + impressions, reachTotal + reach, spentTotal + spent);
                lines.Add($"{day:yyyy-MM-dd},{day:yyyy-MM-dd},{name},{id},{clicks},actions:link_click,{Money(spent)},{Count(impressions)},{clicks}," +
                          $"{100m * clicks / impressions:0.00},{spent / clicks:0.00},{Count(reach)}");
            }
        }

        var text = new StringBuilder(Header).Append('\n');
        text.Append($"{end.AddDays(1 - days):yyyy-MM-dd},{end:yyyy-MM-dd},,,{clicksTotal},actions:link_click,{Money(spentTotal)},{Count(impressionsTotal)},{clicksTotal}," +
                    $"{100m * clicksTotal / Math.Max(1, impressionsTotal):0.00},{spentTotal / Math.Max(1, clicksTotal):0.00},{Count(reachTotal)}\n");
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(true));
        return 1;
    }

    private static string Money(decimal value) => value >= 1000 ? $"\"{value:#,##0.00}\"" : $"{value:0.00}";

    private static string Count(long value) => value >= 1000 ? $"\"{value:#,##0}\"" : $"{value}";
}
