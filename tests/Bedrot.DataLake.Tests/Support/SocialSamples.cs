using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;

namespace Bedrot.DataLake.Tests.Support;

/// <summary>
/// Reads the social landing samples (TikTok Studio ZIPs) and the social outputs of a built lake,
/// independently of the parsers under test, so tests state their expectations from the inputs.
/// </summary>
internal static class SocialSamples
{
    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly string[] Meses =
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

    /// <summary>The rows of one sheet of a Studio ZIP in landing, by column, the dates as written.</summary>
    public static List<Dictionary<string, string>> Sheet(this TempLake lake, string zipName, string sheet)
    {
        using var archive = ZipFile.OpenRead(Path.Combine(lake.Landing, "tiktok", zipName));
        using var stream = archive.GetEntry(sheet)!.Open();
        using var text = new StreamReader(stream, Encoding.UTF8);
        using var reader = CsvReader.FromText(text.ReadToEnd().TrimStart('\uFEFF'), new CsvReaderOptions { Separator = ',', HasHeader = true });
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(reader.Headers.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => reader.GetString(p.i), StringComparer.Ordinal));
        }

        return rows;
    }

    /// <summary>
    /// A Studio day (<c>January 5</c>, <c>8 de marzo</c>) as <c>yyyy-MM-dd</c>: the export year, or
    /// the year before when that day would fall after the export date.
    /// </summary>
    public static string StudioDay(string text, DateOnly exported)
    {
        var parts = text.Split(' ');
        var (month, day) = parts.Length == 2
            ? (Array.IndexOf(Months, parts[0].ToLowerInvariant()) + 1, int.Parse(parts[1], CultureInfo.InvariantCulture))
            : (Array.IndexOf(Meses, parts[2].ToLowerInvariant()) + 1, int.Parse(parts[0], CultureInfo.InvariantCulture));
        Assert.True(month > 0, $"'{text}' names no month");
        var date = new DateOnly(exported.Year, month, day);
        return (date > exported ? date.AddYears(-1) : date).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The rows of the unified social media dataset.</summary>
    public static List<Dictionary<string, string>> SocialRows(this TempLake lake) =>
        lake.LakeCsv(lake.CrossPlatformFile("social_media_unified_staging_"));

    /// <summary>One metric of one platform and account in the unified dataset, by day.</summary>
    public static Dictionary<string, decimal> SocialMetric(this TempLake lake, string platform, string account, string metric) =>
        lake.SocialRows()
            .Where(r => r["platform"] == platform && r["account"] == account && r["metric"] == metric)
            .ToDictionary(r => r["date"], r => decimal.Parse(r["value"], CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
