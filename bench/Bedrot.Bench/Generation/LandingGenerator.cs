using System.Diagnostics;
using System.Globalization;

namespace Bedrot.Bench.Generation;

/// <summary>
/// Writes a synthetic landing zone: <c>--files</c> files named as each platform names them, holding
/// about <c>--rows</c> data rows in all, the same for the same <c>--seed</c>. The DistroKid bank TSV,
/// TooLost JSON, Spotify for Artists CSVs and the Meta Ads Manager CSV are generated at any size;
/// the other platforms (stats pages, Meta SDK dumps, TikTok ZIPs, YouTube, Linktree) are variants
/// of the bundled samples.
/// </summary>
internal static class LandingGenerator
{
    public static readonly IReadOnlyList<string> Options = ["out", "seed", "rows", "files", "platforms", "samples"];

    /// <summary>The share of the files each kind of file gets when every platform is generated.</summary>
    private static readonly (string Kind, string Platform, int Weight)[] Shares =
    [
        ("bank", "distrokid", 8),
        ("toolost", "toolost", 4),
        ("spotify", "spotify", 4),
        ("metacsv", "metaads", 3),
        ("samples", "*", 1),
    ];

    public static int Generate(CommandLine options)
    {
        var output = Path.GetFullPath(options.Required("out"));
        var seed = (int)options.Number("seed", 1);
        var rows = options.Number("rows", 10_000);
        var files = (int)options.Number("files", 20);
        var platforms = options.List("platforms", []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var samples = options.Optional("samples") ?? FindSamples();
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new ArgumentException($"--out '{output}' is not empty; generate into a new folder");
        }

        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(output);
        var plan = Plan(files, platforms);
        var generated = plan.Where(p => p.Kind != "samples").Sum(p => p.Files);
        var rowsPerFile = Math.Max(1, rows / Math.Max(1, generated));
        var random = new Random(seed);
        var stamps = new Stamps();
        var written = 0;
        foreach (var (kind, count) in plan)
        {
            for (var i = 0; i < count;)
            {
                var fileSeed = random.Next();
                i += kind switch
                {
                    "bank" => BankTsv.Write(output, stamps.Next(), rowsPerFile, fileSeed),
                    "toolost" => TooLostJson.Write(output, stamps.Next(), i, rowsPerFile, fileSeed),
                    "spotify" => SpotifyCsv.Write(output, i, rowsPerFile, fileSeed),
                    "metacsv" => MetaAdsCsv.Write(output, stamps.Next(), rowsPerFile, fileSeed),
                    _ => SampleVariants.Write(samples, output, stamps, i, count - i, platforms),
                };
            }

            written += count;
        }

        var landed = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {landed.Count} files, {landed.Sum(f => f.Length) / 1e6:0.0} MB, ~{rowsPerFile} rows per generated file, to {output} in {clock.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    /// <summary>How many files of each kind: the shares of the selected platforms, by largest remainder.</summary>
    private static List<(string Kind, int Files)> Plan(int files, IReadOnlySet<string> platforms)
    {
        var chosen = Shares.Where(s => platforms.Count == 0 || s.Platform == "*" || platforms.Contains(s.Platform)).ToList();
        if (platforms.Count > 0 && !platforms.Overlaps(["tiktok", "youtube", "linktree", "metaads", "distrokid"]))
        {
            chosen.RemoveAll(s => s.Kind == "samples");
        }

        // A landing zone of only bank exports (--platforms distrokid) has no page variants unless asked for.
        if (platforms.Count > 0 && platforms.SetEquals(["distrokid"]))
        {
            chosen.RemoveAll(s => s.Kind == "samples");
        }

        var total = chosen.Sum(s => s.Weight);
        var plan = chosen.Select(s => (s.Kind, Files: files * s.Weight / total)).ToList();
        for (var i = 0; plan.Sum(p => p.Files) < files; i = (i + 1) % plan.Count)
        {
            plan[i] = (plan[i].Kind, plan[i].Files + 1);
        }

        return plan;
    }

    private static string FindSamples() => Path.Combine(Running.Repository.Root(), "samples", "landing");
}
