using System.Text;

namespace Bedrot.Bench.Generation;

/// <summary>
/// Spotify for Artists downloads, in turn an audience timeline, a songs list, a playlists list and a
/// song timeline: UTF-8 with a BOM, LF, ISO dates, quoted song names; the artist or song only in the name.
/// </summary>
internal static class SpotifyCsv
{
    private static readonly string[] Playlists = ["Discover Weekly", "Release Radar", "Radio", "Your DJ", "Daily Mix 1", "Chill Vibes"];

    public static int Write(string landing, int index, long rows, int seed)
    {
        var random = new Random(seed);
        var folder = Directory.CreateDirectory(Path.Combine(landing, "spotify")).FullName;
        var artist = $"ARTIST {index:00000}";
        var end = new DateOnly(2025, 5, 31);
        var text = new StringBuilder();
        string name;
        switch (index % 4)
        {
            case 0:
                name = $"{artist}-audience-timeline.csv";
                text.Append("date,listeners,streams,followers\n");
                var followers = random.Next(500, 5000);
                foreach (var day in Days(end, rows))
                {
                    followers += random.Next(0, 4);
                    text.Append($"{day:yyyy-MM-dd},{random.Next(300, 900)},{random.Next(700, 1600)},{followers}\n");
                }

                break;
            case 1:
                name = $"{artist}-songs-1year.csv";
                text.Append("song,listeners,streams,saves,release_date\n");
                for (var i = 0; i < rows; i++)
                {
                    text.Append($"\"Song {i}, part \"\"{index}\"\"\",{random.Next(100, 40000)},{random.Next(300, 90000)},{random.Next(0, 3000)},{end.AddDays(-random.Next(30, 900)):yyyy-MM-dd}\n");
                }

                break;
            case 2:
                name = $"{artist}-playlists-1year.csv";
                text.Append("title,author,listeners,streams,date_added\n");
                for (var i = 0; i < rows; i++)
                {
                    var title = i < Playlists.Length ? Playlists[i] : $"Playlist {i}";
                    text.Append($"\"{title}\",{(i < Playlists.Length ? "-" : "curator" + i)},{random.Next(10, 2000)},{random.Next(20, 5000)},\n");
                }

                break;
            default:
                name = $"Song {index:00000}-timeline-1year.csv";
                text.Append("date,streams\n");
                foreach (var day in Days(end, rows))
                {
                    text.Append($"{day:yyyy-MM-dd},{random.Next(100, 400)}\n");
                }

                break;
        }

        File.WriteAllText(Path.Combine(folder, name), text.ToString(), new UTF8Encoding(true));
        return 1;
    }

    private static IEnumerable<DateOnly> Days(DateOnly end, long count)
    {
        var days = Math.Min(count, 20_000);
        for (var i = days - 1; i >= 0; i--)
        {
            yield return end.AddDays(-(int)i);
        }
    }
}
