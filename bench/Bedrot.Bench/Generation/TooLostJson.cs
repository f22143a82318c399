using System.Globalization;
using System.Text;

namespace Bedrot.Bench.Generation;

/// <summary>
/// TooLost analytics replies, alternately <c>toolost_spotify_*.json</c> (counts and fees as strings)
/// and <c>toolost_apple_*.json</c> (integer streams, Shazam counts as strings); dates ISO and unsorted,
/// indented by two spaces as the captures are.
/// </summary>
internal static class TooLostJson
{
    private static readonly string[] Countries = ["US", "GB", "DE", "IS", "CA", "SE", "FR", "BR"];

    public static int Write(string landing, DateTime exported, int index, long rows, int seed)
    {
        var random = new Random(seed);
        var folder = Directory.CreateDirectory(Path.Combine(landing, "toolost")).FullName;
        var spotify = index % 2 == 0;
        var path = Path.Combine(folder, $"toolost_{(spotify ? "spotify" : "apple")}_{exported:yyyyMMdd_HHmmss}.json");
        var end = DateOnly.FromDateTime(exported).AddDays(-1);
        var json = new StringBuilder();
        json.Append("{\n");
        if (spotify)
        {
            Series(json, "streams", Days(random, end, rows), d => $"\"date\": \"{d:yyyy-MM-dd}\",\n      \"streams\": \"{random.Next(600, 1600)}\"");
            json.Append(",\n");
            Series(json, "discovery", Days(random, end, Math.Max(1, rows / 3)),
                d => $"\"date\": \"{d:yyyy-MM-dd}\",\n      \"streams\": \"{random.Next(5, 40)}\",\n      \"fees\": \"{random.Next(10, 120) / 100m:0.00}\"");
        }
        else
        {
            Series(json, "totalStreams", Days(random, end, rows), d => $"\"date\": \"{d:yyyy-MM-dd}\",\n      \"streams\": {random.Next(80, 300)}");
            json.Append(",\n");
            Series(json, "totalShazam", Days(random, end, rows), d => $"\"date\": \"{d:yyyy-MM-dd}\",\n      \"streams\": \"{random.Next(0, 20)}\"");
            json.Append(",\n");
            var tracks = Enumerable.Range(1, 4).ToList();
            Series(json, "tracksTotal", tracks, t =>
                $"\"isrc\": \"QZHN925{t:00000}\",\n      \"streams\": {random.Next(500, 3000)},\n      \"track\": \"Track {t}\",\n      \"release\": \"Track {t}\",\n" +
                $"      \"cover\": \"https://covers.example.com/toolost/qzhn925{t:00000}/600x600.jpg\"");
            json.Append(",\n");
            Series(json, "countryTotal", Countries.Take(5).ToList(), c => $"\"country\": \"{c}\",\n      \"streams\": {random.Next(100, 3000)}");
            json.Append(CultureInfo.InvariantCulture, $",\n  \"streamTotal\": {random.Next(3000, 9000)}");
        }

        json.Append("\n}\n");
        File.WriteAllText(path, json.ToString(), new UTF8Encoding(false));
        return 1;
    }

    /// <summary><paramref name="count"/> distinct days ending at <paramref name="end"/>, shuffled as the replies list them.</summary>
    private static List<DateOnly> Days(Random random, DateOnly end, long count)
    {
        var days = Enumerable.Range(0, (int)Math.Min(count, 20_000)).Select(i => end.AddDays(-i)).ToList();
        for (var i = days.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (days[i], days[j]) = (days[j], days[i]);
        }

        return days;
    }

    private static void Series<T>(StringBuilder json, string name, IReadOnlyList<T> items, Func<T, string> body)
    {
        json.Append(CultureInfo.InvariantCulture, $"  \"{name}\": [\n");
        for (var i = 0; i < items.Count; i++)
        {
            json.Append("    {\n      ").Append(body(items[i])).Append("\n    }");
            json.Append(i + 1 < items.Count ? ",\n" : "\n");
        }

        json.Append("  ]");
    }
}
