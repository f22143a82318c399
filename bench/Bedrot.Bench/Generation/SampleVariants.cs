using System.IO.Compression;
using System.Text;

namespace Bedrot.Bench.Generation;

/// <summary>
/// The platforms whose exports are not generated from scratch (DistroKid stats pages, Linktree
/// captures, Meta SDK dumps, TikTok Studio ZIPs, YouTube API replies): variants of the bundled
/// samples under new export times, each changed in a way its format ignores (a trailing HTML
/// comment or whitespace, ZIP entry times) so it is new content, not a duplicate.
/// </summary>
internal static class SampleVariants
{
    private static readonly (string Platform, string Sample, string Name, int Files)[] Templates =
    [
        ("distrokid", "distrokid/streams_stats_20250601_091200.html", "streams_stats_{0}.html", 1),
        ("distrokid", "distrokid/applemusic_stats_20250601_091200.html", "applemusic_stats_{0}.html", 1),
        ("linktree", "linktree/graphql_20250615_090000_1.json", "graphql_{0}_1.json", 1),
        ("metaads", "metaads/meta_ads_dump_20250608_101500", "meta_ads_dump_{0}", 4),
        ("tiktok", "tiktok/Overview_2025-01-12_1736674200_bedrotrecords.zip", "Overview_2025-01-12_{1}_bedrotrecords.zip", 1),
        ("youtube", "youtube/youtube_analytics_20250115_080000.json", "youtube_analytics_{0}.json", 1),
    ];

    /// <summary>Writes the next variant (at most <paramref name="left"/> files); returns how many files it wrote.</summary>
    public static int Write(string samples, string landing, Stamps stamps, int index, int left, IReadOnlySet<string> platforms)
    {
        var usable = Templates.Where(t => (platforms.Count == 0 || platforms.Contains(t.Platform)) && t.Files <= left).ToList();
        if (usable.Count == 0)
        {
            // Fewer files left than a dump folder holds: fill with single-file variants of any platform.
            usable = Templates.Where(t => t.Files == 1).ToList();
        }

        var (platform, sample, pattern, files) = usable[index % usable.Count];
        var stamp = stamps.Next();
        var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern,
            stamp.ToString("yyyyMMdd_HHmmss", System.Globalization.CultureInfo.InvariantCulture), 1736674200 + index);
        var source = Path.Combine(samples, sample);
        var target = Path.Combine(landing, platform, name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (Directory.Exists(source))
        {
            Directory.CreateDirectory(target);
            foreach (var member in Directory.GetFiles(source).Order(StringComparer.Ordinal))
            {
                Changed(member, Path.Combine(target, Path.GetFileName(member)), index);
            }
        }
        else
        {
            Changed(source, target, index);
        }

        return files;
    }

    private static void Changed(string source, string target, int index)
    {
        switch (Path.GetExtension(source).ToLowerInvariant())
        {
            case ".html":
                File.WriteAllBytes(target, [.. File.ReadAllBytes(source), .. Encoding.ASCII.GetBytes($"\n<!-- variant {index} -->\n")]);
                break;
            case ".json":
                File.WriteAllBytes(target, [.. File.ReadAllBytes(source), .. Encoding.ASCII.GetBytes(new string(' ', 1 + (index % 64)) + "\n")]);
                break;
            case ".zip":
                Rezip(source, target, index);
                break;
            default:
                File.Copy(source, target);
                break;
        }
    }

    /// <summary>The same entries with their times moved by <paramref name="index"/> minutes: equal content, different bytes.</summary>
    private static void Rezip(string source, string target, int index)
    {
        using var input = ZipFile.OpenRead(source);
        using var output = ZipFile.Open(target, ZipArchiveMode.Create);
        foreach (var entry in input.Entries)
        {
            var copy = output.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = entry.LastWriteTime.AddMinutes(index + 1);
            using var from = entry.Open();
            using var to = copy.Open();
            from.CopyTo(to);
        }
    }
}
