using System.Security.Cryptography;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;
using Serilog;

namespace Bedrot.DataLake.Tests.Support;

/// <summary>
/// A lake built once from a small good set of landing files. Each hostile case starts from a copy
/// of it (landing, lake and schemas), so every case sees the same baseline and the baseline is
/// built only once per test class.
/// </summary>
public abstract class LakeBaseline : IDisposable
{
    private readonly TempLake _template;

    protected LakeBaseline(params string[] platforms)
    {
        _template = new TempLake(platforms);
        var run = _template.Run();
        if (run.Report.Status != "succeeded")
        {
            throw new InvalidOperationException("The baseline run did not succeed: " +
                string.Join("; ", run.Report.Steps.SelectMany(s => s.Errors)));
        }

        Lake = HostileLake.Snapshot(_template.Lake);
        Now = _template.Now;
    }

    /// <summary>Every file of the baseline lake (lake-relative path, forward slashes) with its SHA-256.</summary>
    public IReadOnlyDictionary<string, string> Lake { get; }

    public DateTimeOffset Now { get; }

    /// <summary>A fresh copy of the baseline (landing, lake and schemas) in its own folder.</summary>
    public HostileLake Copy() => new(_template.Root, Now);

    public void Dispose()
    {
        _template.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A copy of a baseline lake, for one hostile case: drop files in landing, run, inspect.</summary>
public sealed class HostileLake : IDisposable
{
    private readonly TempDirectory _folder = new();

    internal HostileLake(string template, DateTimeOffset now)
    {
        Root = _folder.Path;
        Now = now;
        foreach (var file in Directory.EnumerateFiles(template, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, Path.GetRelativePath(template, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Directory.CreateDirectory(Outside);
    }

    public string Root { get; }
    public string Landing => Path.Combine(Root, "landing");
    public string Lake => Path.Combine(Root, "lake");
    public string Schemas => Path.Combine(Root, "schemas");

    /// <summary>A folder beside landing and the lake (not inside either), for files a link may point to.</summary>
    public string Outside => Path.Combine(Root, "outside");

    public DateTimeOffset Now { get; }

    /// <summary>The day freshness is judged against: the samples' own, unless a test moves it.</summary>
    public DateOnly AsOf { get; set; } = Repository.SamplesAsOf;

    public LakeOptions Options() => new()
    {
        Lake = Lake,
        Landing = Landing,
        Schemas = Schemas,
        AsOf = AsOf,
        Thresholds = Repository.SamplesThresholds,
    };

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="relative"/> (forward slashes) under landing.</summary>
    public string Drop(string relative, byte[] bytes)
    {
        var full = InLanding(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public string InLanding(string relative) => Path.Combine(Landing, relative.Replace('/', Path.DirectorySeparatorChar));

    public string InLake(string relative) => Path.Combine(Lake, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Runs validate-raw, stage-platform, unify and quality-report, as the default target does.</summary>
    public BedrotRun Run(Func<LakeOptions, LakeOptions>? adjust = null)
    {
        var options = adjust is null ? Options() : adjust(Options());
        using var pipeline = BedrotPipeline.Open(options, new FixedTime(Now), new LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        pipeline.StagePlatform();
        pipeline.Unify();
        pipeline.QualityReport();
        var report = pipeline.Complete(succeeded: true);
        return new BedrotRun(report, pipeline.Paths);
    }

    public void Dispose()
    {
        // Links go first: clearing a file's attributes would follow a link to its target.
        foreach (var link in Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)
                     .Where(e => new FileInfo(e).LinkTarget is not null).ToList())
        {
            File.Delete(link);
        }

        _folder.Dispose();
    }

    /// <summary>
    /// Every file under <paramref name="folder"/> (relative path, forward slashes) with its SHA-256;
    /// a symbolic link is recorded by its target and never followed.
    /// </summary>
    public static Dictionary<string, string> Snapshot(string folder)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return files;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            var info = new FileInfo(file);
            if (info.LinkTarget is { } target)
            {
                files[relative] = "link:" + target;
                continue;
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            files[relative] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        return files;
    }
}
