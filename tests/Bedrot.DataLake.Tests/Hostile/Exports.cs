using System.IO.Compression;
using System.Text;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Hostile;

/// <summary>
/// Small, otherwise-valid exports of each kind, and the ways a file gets damaged on its way to
/// landing: other encodings, truncation, binary bytes, zips.
/// </summary>
internal static class Exports
{
    /// <summary>Windows-1252, the code page a spreadsheet on Windows saves "ANSI" text in.</summary>
    public static readonly Encoding Windows1252 = CreateWindows1252();

    /// <summary>The bytes of a tiny PNG image: what a mis-saved screenshot looks like.</summary>
    public static readonly byte[] Png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
        0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
        0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
        0x42, 0x60, 0x82,
    ];

    // ---- DistroKid bank details (TSV, bare CR) ----

    public static string BankHeader => string.Join('\t', BankExport.Columns);

    /// <summary>A bank row: the sample's defaults, with <paramref name="overrides"/> by column.</summary>
    public static string BankRow(params (string Column, string Value)[] overrides)
    {
        var row = BankExport.DefaultRow();
        row["Reporting Date"] = "2025-01-03";
        row["Sale Month"] = "2024-12";
        foreach (var (column, value) in overrides)
        {
            row[column] = value;
        }

        return string.Join('\t', BankExport.Columns.Select(c => row[c]));
    }

    /// <summary>A bank export: the header and <paramref name="rows"/>, each line ended by a bare CR.</summary>
    public static string Bank(params string[] rows) => string.Concat(rows.Prepend(BankHeader).Select(l => l + "\r"));

    // ---- DistroKid stats pages (HTML with inline chart scripts) ----

    /// <summary>A saved streams page whose <c>trend365day</c> chart holds <paramref name="entries"/> (JSON object literals).</summary>
    public static string StreamsPage(params string[] entries) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>DistroKid Stats</title></head>\n<body>\n" +
        "<div id=\"chartdiv\"></div>\n<script>\nvar chart = AmCharts.makeChart(\"trendWeekly\", {\"type\": \"serial\", \"dataProvider\": [{\"category\": \"2025-01-01\", \"column-1\": 70}]});\n" +
        "var chart4 = AmCharts.makeChart(\"trend365day\", {\"type\": \"serial\", \"categoryField\": \"category\", \"dataProvider\": [" +
        string.Join(", ", entries) + "]});\n</script>\n</body>\n</html>\n";

    /// <summary>A saved Apple Music page whose <c>last365days</c> series holds <paramref name="entries"/>.</summary>
    public static string ApplePage(params string[] entries) =>
        "<!DOCTYPE html>\n<html>\n<head><title>Apple Music Stats</title></head>\n<body>\n<script>\n" +
        "var chartData = {\"byMonth\":{\"isEmpty\":0,\"dataProvider\":[{\"field\":\"01-25\",\"value\":10}]}," +
        "\"last365days\":{\"isEmpty\":0,\"categoryField\":\"field\",\"dataProvider\":[" + string.Join(",", entries) + "]}};\n" +
        "renderChart(chartData);\n</script>\n</body>\n</html>\n";

    /// <summary>A daily entry of the streams page.</summary>
    public static string Day(string date, string streams) => $"{{\"category\": \"{date}\", \"column-1\": {streams}}}";

    // ---- TooLost (JSON) ----

    /// <summary>A TooLost Spotify reply with one daily streams entry per (date, streams JSON value).</summary>
    public static string TooLostSpotify(params (string Date, string Streams)[] days) =>
        "{\n  \"streams\": [\n" +
        string.Join(",\n", days.Select(d => $"    {{\n      \"date\": \"{d.Date}\",\n      \"streams\": {d.Streams}\n    }}")) +
        "\n  ],\n  \"discovery\": []\n}";

    public static string TooLostSample(string name) =>
        File.ReadAllText(Path.Combine(Repository.Root, "samples", "landing", "toolost", name));

    // ---- Spotify for Artists (CSV, UTF-8 with BOM, LF) ----

    public const string Bom = "\uFEFF";

    public static string AudienceHeader => "date,listeners,streams,followers";

    /// <summary>An audience timeline (with a BOM, LF) of the given data lines.</summary>
    public static string Audience(params string[] rows) => Bom + string.Concat(rows.Prepend(AudienceHeader).Select(l => l + "\n"));

    // ---- Meta Ads ----

    public const string AdsManagerHeader =
        "Reporting starts,Reporting ends,Campaign name,Campaign ID,Results,Result indicator,Amount spent (USD),Impressions,Link clicks,CTR (link click-through rate),CPC (cost per link click) (USD),Reach";

    /// <summary>An Ads Manager export (with a BOM, CRLF) of the given data lines.</summary>
    public static string AdsManager(params string[] rows) =>
        Bom + string.Concat(rows.Prepend(AdsManagerHeader).Select(l => l + "\r\n"));

    /// <summary>An Ads Manager campaign row; cells are given in header order, defaults for the rest.</summary>
    public static string AdsRow(string starts = "2025-01-05", string ends = "2025-01-05", string name = "ZONE A0 - Midnight Drive - Traffic",
        string id = "120214837205619301", string results = "52", string spent = "77.99", string impressions = "5165",
        string clicks = "52", string ctr = "1.01", string cpc = "1.50", string reach = "4310") =>
        string.Join(',', starts, ends, name, id, results, "actions:link_click", spent, impressions, clicks, ctr, cpc, reach);

    /// <summary>A Graph API insights reply with one row; <paramref name="overrides"/> replace a property's JSON value.</summary>
    public static string Insights(params (string Property, string Json)[] overrides)
    {
        var row = new List<(string Property, string Json)>
        {
            ("campaign_id", "\"120214837205619301\""),
            ("campaign_name", "\"ZONE A0 - Midnight Drive - Traffic\""),
            ("adset_id", "\"120214837205620411\""),
            ("date_start", "\"2025-01-05\""),
            ("date_stop", "\"2025-01-05\""),
            ("impressions", "\"2440\""),
            ("clicks", "\"23\""),
            ("spend", "\"20.04\""),
            ("ctr", "\"0.942623\""),
        };
        foreach (var (property, json) in overrides)
        {
            var at = row.FindIndex(p => p.Property == property);
            if (at >= 0)
            {
                row[at] = (property, json);
            }
            else
            {
                row.Add((property, json));
            }
        }

        return "{\"data\": [{" + string.Join(", ", row.Select(p => $"\"{p.Property}\": {p.Json}")) +
               "}], \"paging\": {\"cursors\": {\"before\": \"MAZDZD\", \"after\": \"MAZDZD\"}}}";
    }

    /// <summary>The files of a good SDK dump, from the samples.</summary>
    public static IReadOnlyDictionary<string, byte[]> DumpMembers() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "samples", "landing", "metaads", "meta_ads_dump_20250601_101500"))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

    // ---- Damage ----

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Utf16Le(string text) => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)];

    public static byte[] Utf16Be(string text) => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)];

    public static byte[] Utf32Le(string text) => [0xFF, 0xFE, 0, 0, .. new UTF32Encoding(bigEndian: false, byteOrderMark: false).GetBytes(text)];

    public static byte[] Utf32Be(string text) => [0, 0, 0xFE, 0xFF, .. new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetBytes(text)];

    /// <summary>UTF-16 LE without a byte-order mark: every other byte of ASCII text is NUL.</summary>
    public static byte[] Utf16LeNoBom(string text) => Encoding.Unicode.GetBytes(text);

    /// <summary>The first <paramref name="fraction"/> of <paramref name="text"/>'s UTF-8 bytes, as a download cut short leaves it.</summary>
    public static byte[] Truncated(string text, double fraction)
    {
        var bytes = Utf8(text);
        return bytes[..Math.Max(1, (int)(bytes.Length * fraction))];
    }

    /// <summary><paramref name="count"/> bytes from a seeded generator: noise with every byte value, NUL included.</summary>
    public static byte[] Noise(int count, int seed, bool withNul = true)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        if (!withNul)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = bytes[i] == 0 ? (byte)0x7F : bytes[i];
            }
        }

        return bytes;
    }

    /// <summary>A zip holding <paramref name="entries"/> (entry name to bytes).</summary>
    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(bytes);
            }
        }

        return memory.ToArray();
    }

    /// <summary>A zip whose one entry expands to <paramref name="expandedBytes"/> zero bytes: a zip bomb.</summary>
    public static byte[] ZipBomb(string entryName, long expandedBytes)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(entryName, CompressionLevel.Optimal).Open();
            var zeros = new byte[1 << 20];
            for (long written = 0; written < expandedBytes; written += zeros.Length)
            {
                stream.Write(zeros, 0, (int)Math.Min(zeros.Length, expandedBytes - written));
            }
        }

        return memory.ToArray();
    }

    /// <summary>JSON nested <paramref name="depth"/> arrays deep.</summary>
    public static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static Encoding CreateWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}
