using System.Globalization;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;
using Serilog;

// A whole default run (validate-raw, stage-platform, unify, quality-report) in its own process, at a
// fixed clock, so the crash-safety tests can kill it anywhere and compare what a rerun leaves with
// an uninterrupted run. It prints "step <name>" as each step starts.
//
//   Bedrot.DataLake.CrashRunner <lake> <landing> <schemas> <now, ISO 8601> <settings: samples/bedrot.json>
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: Bedrot.DataLake.CrashRunner <lake> <landing> <schemas> <now> <settings>");
    return 64;
}

var settings = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(args[4]));
var options = new LakeOptions
{
    Lake = args[0], Landing = args[1], Schemas = args[2],
    AsOf = DateOnly.ParseExact((string)settings["as-of"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
    Thresholds = Bedrot.DataLake.Quality.QualityThresholds.Parse(settings["quality"], args[4]),
};
var now = DateTimeOffset.Parse(args[3], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
try
{
    // As the task graph does, so a run here compiles what the last one recorded on the spare core.
    BedrotPipeline.StartCompileProfile(options);
    using var pipeline = BedrotPipeline.Open(options, new FixedClock(now), new LoggerConfiguration().CreateLogger());
    var steps = new (string Name, Action Run)[]
    {
        (BedrotPipeline.ValidateRawStep, () => pipeline.ValidateRaw()),
        (BedrotPipeline.StagePlatformStep, () => pipeline.StagePlatform()),
        (BedrotPipeline.UnifyStep, () => pipeline.Unify()),
        (BedrotPipeline.QualityReportStep, () => pipeline.QualityReport()),
    };
    foreach (var (name, run) in steps)
    {
        Console.Out.WriteLine("step " + name);
        Console.Out.Flush();
        run();
    }

    pipeline.Complete(succeeded: true);
    Console.Out.WriteLine("done");
    return 0;
}
catch (LakeConfigurationException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

/// <summary>A clock that always says the same time.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
