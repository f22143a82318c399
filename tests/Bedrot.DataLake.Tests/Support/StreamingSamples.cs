using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Support;

/// <summary>
/// Reads what a built lake wrote (staging CSVs) and what its landing samples say (TooLost JSON,
/// Spotify for Artists CSVs), independently of the parsers under test, so tests can state their
/// expectations from the inputs.
/// </summary>
internal static partial class StreamingSamples
{
    /// <summary>The rows of a CSV written into the lake, by header name.</summary>
    public static List<Dictionary<string, string>> LakeCsv(this TempLake lake, string relative)
    {
        using var reader = CsvReader.FromFile(lake.InLake(relative), new CsvReaderOptions { Separator = ',', HasHeader = true });
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(reader.Headers.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => reader.GetString(p.i), StringComparer.Ordinal));
        }

        return rows;
    }

    /// <summary>The one file of <c>staging/cross_platform</c> whose name contains <paramref name="part"/>.</summary>
    public static string CrossPlatformFile(this TempLake lake, string part) =>
        lake.LakeFiles("staging/cross_platform").Single(f => Path.GetFileName(f).Contains(part, StringComparison.Ordinal));

    /// <summary>The rows of the unified streaming dataset.</summary>
    public static List<Dictionary<string, string>> UnifiedRows(this TempLake lake) =>
        lake.LakeCsv(lake.CrossPlatformFile("streaming_unified_staging_"));

    /// <summary>The rows of the unified dataset's control totals.</summary>
    public static List<Dictionary<string, string>> ControlTotals(this TempLake lake) =>
        lake.LakeCsv(lake.CrossPlatformFile("streaming_unified_control_totals_"));

    /// <summary>The rows source precedence set aside.</summary>
    public static List<Dictionary<string, string>> PrecedenceRows(this TempLake lake) =>
        lake.LakeCsv(lake.CrossPlatformFile("streaming_unified_precedence_"));

    /// <summary>The daily streams of one source and platform in the unified dataset (account totals only: no artist, no track).</summary>
    public static Dictionary<string, Dictionary<string, string>> UnifiedDays(this TempLake lake, string source, string platform)
    {
        var rows = lake.UnifiedRows()
            .Where(r => r["source"] == source && r["platform"] == platform && r["grain"] == "day"
                        && r["artist_name"].Length == 0 && r["track_name"].Length == 0)
            .ToList();
        Assert.Equal(rows.Count, rows.Select(r => r["date"]).Distinct().Count());
        return rows.ToDictionary(r => r["date"], StringComparer.Ordinal);
    }

    public static long Long(string text) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>
    /// For each day of a daily series (<paramref name="property"/>) across the TooLost JSON files of
    /// landing, the value in the newest file (by the time in its name) that has the day, and that file.
    /// </summary>
    public static SortedDictionary<string, (long Streams, string File)> NewestPerDay(this TempLake lake, string property)
    {
        var days = new SortedDictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var (file, json) in lake.TooLostReplies().OrderBy(r => TimeIn(r.File), StringComparer.Ordinal))
        {
            if (json[property] is not JArray series)
            {
                continue;
            }

            foreach (var entry in series)
            {
                days[(string)entry["date"]!] = (Long(((string)entry["streams"]!).Trim()), file);
            }
        }

        return days;
    }

    /// <summary>Every TooLost JSON file in landing that is valid JSON, with its name.</summary>
    public static IEnumerable<(string File, JObject Json)> TooLostReplies(this TempLake lake) =>
        Directory.EnumerateFiles(Path.Combine(lake.Landing, "toolost"), "*.json")
            .Select(f => (Path.GetFileName(f), JObject.Parse(File.ReadAllText(f))));

    /// <summary>One daily series of one TooLost JSON file, by date.</summary>
    public static Dictionary<string, long> Series(this TempLake lake, string file, string property) =>
        ((JArray)JObject.Parse(File.ReadAllText(Path.Combine(lake.Landing, "toolost", file)))[property]!)
            .ToDictionary(e => (string)e["date"]!, e => Long(((string)e["streams"]!).Trim()), StringComparer.Ordinal);

    /// <summary>
    /// The <c>date</c> and <paramref name="column"/> of a plain Spotify for Artists CSV in landing
    /// (no quoted fields), the date as ISO; an empty cell is null.
    /// </summary>
    public static List<(string Date, long? Value)> SpotifyCsv(this TempLake lake, string file, string column)
    {
        var lines = File.ReadAllText(Path.Combine(lake.Landing, "spotify", file)).TrimStart('\uFEFF')
            .Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',').ToList();
        var dateAt = header.IndexOf("date");
        var valueAt = header.IndexOf(column);
        Assert.True(dateAt >= 0 && valueAt >= 0, $"{file} has no date or {column} column");
        return lines.Skip(1).Select(l => l.Split(','))
            .Select(c => (IsoDate(c[dateAt]), c[valueAt].Length == 0 ? (long?)null : Long(c[valueAt])))
            .ToList();
    }

    /// <summary>A date written <c>yyyy-MM-dd</c> or <c>M/d/yyyy</c>, as <c>yyyy-MM-dd</c>.</summary>
    public static string IsoDate(string text) =>
        DateOnly.ParseExact(text, ["yyyy-MM-dd", "M/d/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Every day from <paramref name="first"/> to <paramref name="last"/>, as <c>yyyy-MM-dd</c>.</summary>
    public static List<string> Days(string first, string last)
    {
        var days = new List<string>();
        for (var day = DateOnly.Parse(first, CultureInfo.InvariantCulture); day <= DateOnly.Parse(last, CultureInfo.InvariantCulture); day = day.AddDays(1))
        {
            days.Add(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return days;
    }

    /// <summary>
    /// Every file under a folder of the lake with its bytes, but the transformation logs: each run
    /// appends what it did to the day's log, so a log is a record of runs, not a derived output.
    /// </summary>
    public static Dictionary<string, byte[]> Snapshot(this TempLake lake, string folder) =>
        lake.LakeFiles(folder)
            .Where(f => !f.StartsWith("staging/quality_reports/transformation_log_", StringComparison.Ordinal))
            .ToDictionary(f => f, f => File.ReadAllBytes(lake.InLake(f)), StringComparer.Ordinal);

    /// <summary>Edits one JSON file of the lake's own schema copy.</summary>
    public static void EditSchema(this TempLake lake, string relative, Action<JObject> edit)
    {
        var path = Path.Combine(lake.Schemas, relative);
        var schema = JObject.Parse(File.ReadAllText(path));
        edit(schema);
        File.WriteAllText(path, schema.ToString());
    }

    /// <summary>The <c>yyyyMMdd_HHmmss</c> time in a file name.</summary>
    private static string TimeIn(string file) =>
        TimePattern().Match(file) is { Success: true } match ? match.Value : throw new InvalidOperationException($"{file} has no time in its name.");

    [GeneratedRegex(@"\d{8}_\d{6}", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();
}
