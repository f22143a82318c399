using System.Diagnostics;
using System.Text.Json;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Quality;
using Serilog;

namespace Bedrot.Bench.Running;

/// <summary>
/// Runs the pipeline in this process over a landing folder, once per scenario (a full run into an
/// empty lake, a no-op rerun, a rerun after one landing file changed), and writes what each step
/// cost as JSON. The clock and as-of are fixed and the quality gate only warns, so a run never stops
/// on the data's quality.
/// </summary>
internal static class BenchRunner
{
    public static readonly IReadOnlyList<string> Options = ["landing", "lake", "out", "runs", "steps", "parallelism", "max-file-mb", "schemas"];

    private static readonly string[] AllSteps =
        [BedrotPipeline.ValidateRawStep, BedrotPipeline.StagePlatformStep, BedrotPipeline.UnifyStep, BedrotPipeline.QualityReportStep];

    private static readonly DateTimeOffset Now = new(2025, 8, 1, 6, 0, 0, TimeSpan.Zero);

    public static int RunAll(CommandLine arguments)
    {
        var landing = Path.GetFullPath(arguments.Required("landing"));
        var lake = Path.GetFullPath(arguments.Required("lake"));
        var output = Path.GetFullPath(arguments.Required("out"));
        var runs = arguments.List("runs", ["full", "no-op", "touch-one"]);
        var steps = arguments.List("steps", AllSteps);
        if (runs.Except(["full", "no-op", "touch-one"]).FirstOrDefault() is { } unknownRun)
        {
            throw new ArgumentException($"--runs: unknown scenario '{unknownRun}'; expected full, no-op, touch-one");
        }

        if (steps.Except(AllSteps).FirstOrDefault() is { } unknownStep)
        {
            throw new ArgumentException($"--steps: unknown step '{unknownStep}'; expected {string.Join(", ", AllSteps)}");
        }

        var empty = !Directory.Exists(lake) || !Directory.EnumerateFileSystemEntries(lake).Any();
        if (runs[0] == "full" && !empty)
        {
            throw new ArgumentException($"--lake '{lake}' is not empty; the full run needs an empty lake");
        }

        if (runs[0] != "full" && empty)
        {
            throw new ArgumentException($"--runs {runs[0]} first: --lake '{lake}' must hold an earlier run over the same landing folder");
        }

        var options = new LakeOptions
        {
            Lake = lake,
            Landing = landing,
            Schemas = arguments.Optional("schemas") ?? Repository.Schemas(),
            QualityGate = QualityGateMode.Warn,
            Parallelism = (int)arguments.Number("parallelism", Environment.ProcessorCount),
            MaxFileMegabytes = (int)arguments.Number("max-file-mb", 512),
            AsOf = DateOnly.FromDateTime(Now.UtcDateTime),
            Thresholds = QualityThresholds.Standard,
        };
        options.Validate();
        // As the task graph does: a fresh process compiles what the last one recorded on the spare core.
        BedrotPipeline.StartCompileProfile(options);

        var before = MachineInfo.Describe();
        var results = new List<ScenarioResult>();
        foreach (var scenario in runs)
        {
            var changed = scenario == "touch-one" ? LandingChange.TouchOne(landing) : null;
            var result = Run(scenario, options, steps, changed);
            results.Add(result);
            Console.Out.WriteLine(result.Summary());
        }

        var report = new
        {
            machine = before,
            load_average_after = MachineInfo.LoadAverage(),
            landing = new { path = landing, files = Landing(landing).Count, megabytes = Math.Round(Landing(landing).Sum(f => f.Length) / 1e6, 1) },
            lake,
            parallelism = options.Parallelism,
            max_file_mb = options.MaxFileMegabytes,
            process_peak_working_set_mb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6, 1),
            scenarios = results,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, JsonSerializer.Serialize(report, ScenarioResult.Json) + "\n");
        Console.Out.WriteLine($"wrote {output}");
        return results.Any(r => r.Status != "succeeded") ? 1 : 0;
    }

    private static ScenarioResult Run(string scenario, LakeOptions options, IReadOnlyList<string> steps, string? changed)
    {
        var landingFiles = Landing(options.Landing);
        var landingBytes = landingFiles.Sum(f => f.Length);
        var measured = new List<StepResult>();
        BedrotPipeline? pipeline = null;
        RunReport? report = null;
        var total = Stopwatch.StartNew();
        var open = Measurement.Of(() => pipeline = BedrotPipeline.Open(options, new FixedClock(Now), new LoggerConfiguration().CreateLogger()));
        try
        {
            foreach (var step in steps)
            {
                Bedrot.DataLake.Incremental.StepReport? stepReport = null;
                var cost = Measurement.Of(() => stepReport = step switch
                {
                    BedrotPipeline.ValidateRawStep => pipeline!.ValidateRaw(),
                    BedrotPipeline.StagePlatformStep => pipeline!.StagePlatform(),
                    BedrotPipeline.UnifyStep => pipeline!.Unify(),
                    _ => pipeline!.QualityReport(),
                });
                measured.Add(StepResult.Of(stepReport!, cost, step == BedrotPipeline.ValidateRawStep ? landingBytes : null));
            }

            var complete = Measurement.Of(() => report = pipeline!.Complete(succeeded: true));
            var dispose = Measurement.Of(() => pipeline!.Dispose());
            total.Stop();
            return new ScenarioResult(scenario, changed, report!.Status, Math.Round(total.Elapsed.TotalSeconds, 3), report.FilesHashed,
                landingFiles.Count, open, complete, dispose, measured);
        }
        catch (Exception error) when (error is not ArgumentException)
        {
            // A step that throws (even out of memory) is a result to report, not the end of the benchmark.
            Console.Error.WriteLine($"{scenario}: the pipeline threw after {measured.Count} step(s): {error}");
            total.Stop();
            return new ScenarioResult(scenario, changed, $"threw {error.GetType().Name} in step {measured.Count + 1}: {error.Message}",
                Math.Round(total.Elapsed.TotalSeconds, 3), -1, landingFiles.Count, open, open, open, measured);
        }
        finally
        {
            if (report is null)
            {
                pipeline?.Dispose();
            }
        }
    }

    private static List<FileInfo> Landing(string landing) =>
        Directory.EnumerateFiles(landing, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
}
