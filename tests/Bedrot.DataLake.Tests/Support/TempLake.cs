using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;
using Serilog;

namespace Bedrot.DataLake.Tests.Support;

/// <summary>
/// A throw-away lake with its own copy of the bundled samples and schemas, so a test may edit
/// landing files and schemas freely. Runs use a fixed clock.
/// </summary>
public sealed class TempLake : IDisposable
{
    private readonly TempDirectory _folder = new();

    /// <param name="platforms">The landing sample folders to copy (<c>distrokid</c>, <c>toolost</c>); none copies all.</param>
    public TempLake(params string[] platforms)
    {
        Root = _folder.Path;
        Landing = Path.Combine(Root, "landing");
        Schemas = Path.Combine(Root, "schemas");
        Lake = Path.Combine(Root, "lake");
        var samples = Path.Combine(Repository.Root, "samples", "landing");
        if (platforms.Length == 0)
        {
            Copy(samples, Landing);
        }

        foreach (var platform in platforms)
        {
            Copy(Path.Combine(samples, platform), Path.Combine(Landing, platform));
        }

        Copy(Repository.SchemasFolder, Schemas);
    }

    public string Root { get; }
    public string Landing { get; }
    public string Schemas { get; }
    public string Lake { get; }

    /// <summary>The day freshness is judged against: the samples' own, unless a test moves it.</summary>
    public DateOnly AsOf { get; set; } = Repository.SamplesAsOf;

    public DateTimeOffset Now { get; set; } = new(2025, 8, 2, 6, 0, 0, TimeSpan.Zero);

    public LakeOptions Options(bool force = false, bool explain = false, params string[] platforms) => new()
    {
        Lake = Lake,
        Landing = Landing,
        Schemas = Schemas,
        AsOf = AsOf,
        Thresholds = Repository.SamplesThresholds,
        Force = force,
        Explain = explain,
        Platforms = platforms.ToHashSet(),
    };

    /// <summary>Runs validate-raw, stage-platform, unify and quality-report, as the default target does.</summary>
    public BedrotRun Run(bool force = false, bool explain = false, ILogger? log = null)
    {
        using var pipeline = BedrotPipeline.Open(Options(force, explain), new FixedTime(Now), log ?? new LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        pipeline.StagePlatform();
        pipeline.Unify();
        pipeline.QualityReport();
        var report = pipeline.Complete(succeeded: true);
        return new BedrotRun(report, pipeline.Paths);
    }

    public string LandingFile(string name) => Path.Combine(Landing, "distrokid", name);

    public string InLake(string relative) => Path.Combine(Lake, relative);

    public IEnumerable<string> LakeFiles(string folder) =>
        Directory.Exists(InLake(folder))
            ? Directory.EnumerateFiles(InLake(folder), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Lake, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
            : [];

    public void Dispose() => _folder.Dispose();

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>What one run reported, and where its lake is.</summary>
public sealed record BedrotRun(RunReport Report, LakePaths Paths)
{
    public Bedrot.DataLake.Incremental.StepReport Step(string name) => Report.Steps.Single(s => s.Step == name);

    public int ItemsRun => Report.Steps.Sum(s => s.ItemsRun);
}

/// <summary>A clock that always says the same time.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
