using System.Diagnostics;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using Xunit.Abstractions;

namespace Bedrot.DataLake.Tests.Reliability;

/// <summary>
/// Crash safety: a full run over every sample is killed (SIGKILL) at many points inside each step,
/// then run again. Each time, the lake must equal, byte for byte, the lake of an uninterrupted run;
/// no raw file may be missing, changed or promoted twice, and verify-raw must pass.
/// </summary>
[Collection(CrashSafetyTests.Serial)]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    public const string Serial = "processes and timing";

    private const int KillPoints = 52;
    private const string Now = "2025-08-02T06:00:00Z";
    private static readonly string[] Steps = ["validate-raw", "stage-platform", "unify", "quality-report"];

    [Fact]
    public void Should_Leave_The_Lake_Of_An_Uninterrupted_Run_After_A_Kill_Anywhere_And_A_Rerun()
    {
        // Given every sample in landing, and the lake an uninterrupted run builds from it
        using var folder = new TempDirectory();
        var (landing, schemas) = Inputs(folder);
        var reference = Path.Combine(folder.Path, "reference");
        var timeline = RunToEnd(reference, landing, schemas);
        var expected = Snapshot(reference);
        Assert.NotEmpty(expected);

        // When runs are killed at seeded random points inside each of the four steps, then rerun
        var random = new Random(20250802);
        var killed = new Dictionary<string, int>(StringComparer.Ordinal);
        var attempt = 0;
        while (killed.Values.Sum() < KillPoints && attempt < KillPoints * 3)
        {
            var step = Steps[attempt % Steps.Length];
            var lake = Path.Combine(folder.Path, $"lake-{attempt++}");
            var delay = TimeSpan.FromTicks((long)(timeline[step].Ticks * random.NextDouble()));
            if (!RunAndKill(lake, landing, schemas, step, delay))
            {
                Directory.Delete(lake, recursive: true);
                continue; // the step ended before the kill landed: not a kill point
            }

            killed[step] = killed.GetValueOrDefault(step) + 1;
            RunToEnd(lake, landing, schemas);

            // Then the rerun leaves exactly the uninterrupted lake
            var actual = Snapshot(lake);
            Assert.Equal(expected.Keys, actual.Keys);
            foreach (var (path, hash) in expected)
            {
                Assert.True(hash == actual[path], $"{path} differs after a kill in {step} at {delay.TotalMilliseconds:0} ms (attempt {attempt})");
            }

            // And the raw zone is whole: every ledgered file present and unchanged, none promoted twice
            Assert.Empty(new RawVerifier(new LakePaths(lake)).Verify());
            var ledger = Ledger.Load(Path.Combine(lake, "raw", "_ledger.jsonl"));
            Assert.Empty(ledger.Problems);
            var promoted = ledger.Entries.Where(e => e.Event == LedgerEntry.Promoted).ToList();
            Assert.Equal(promoted.Count, promoted.Select(e => e.Sha256).Distinct().Count());
            Directory.Delete(lake, recursive: true);
        }

        output.WriteLine("kill points per step: " + string.Join(", ", killed.Select(k => $"{k.Key} {k.Value}")));
        Assert.True(killed.Values.Sum() >= KillPoints, $"only {killed.Values.Sum()} kills landed inside a step in {attempt} attempts");
        Assert.All(Steps, step => Assert.True(killed.GetValueOrDefault(step) >= 5, $"only {killed.GetValueOrDefault(step)} kills in {step}"));
    }

    [Fact]
    public void Should_Record_The_Methods_A_Run_Compiled_In_The_Lake_And_Build_The_Same_Lake_When_A_Run_Starts_From_Them()
    {
        // Given every sample in landing, and a lake built by a process that recorded what it compiled
        using var folder = new TempDirectory();
        var (landing, schemas) = Inputs(folder);
        var first = Path.Combine(folder.Path, "first");
        RunToEnd(first, landing, schemas);

        // Then the record is in the lake's cache
        var profile = Path.Combine(first, ".bedrot", "cache", Bedrot.DataLake.Pipeline.BedrotPipeline.CompileProfile);
        Assert.True(File.Exists(profile) && new FileInfo(profile).Length > 0, $"{profile} was not written");

        // When another lake is built by a process that starts from that record
        var second = Path.Combine(folder.Path, "second");
        Directory.CreateDirectory(Path.Combine(second, ".bedrot", "cache"));
        File.Copy(profile, Path.Combine(second, ".bedrot", "cache", Bedrot.DataLake.Pipeline.BedrotPipeline.CompileProfile));
        RunToEnd(second, landing, schemas);

        // Then it is the same lake, byte for byte
        Assert.Equal(Snapshot(first), Snapshot(second));
    }

    /// <summary>Runs to the end; returns how long each step took (from its marker to the next).</summary>
    private static Dictionary<string, TimeSpan> RunToEnd(string lake, string landing, string schemas)
    {
        using var process = Start(lake, landing, schemas);
        var marks = new List<(string Line, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            marks.Add((line, clock.Elapsed));
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the run exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}");
        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        for (var i = 0; i < marks.Count - 1; i++)
        {
            if (marks[i].Line.StartsWith("step ", StringComparison.Ordinal))
            {
                durations[marks[i].Line[5..]] = marks[i + 1].At - marks[i].At;
            }
        }

        return durations;
    }

    /// <summary>Starts a run, waits for <paramref name="step"/> to begin, kills the process after <paramref name="delay"/>.</summary>
    /// <returns>Whether the kill landed while the run was still going.</returns>
    private static bool RunAndKill(string lake, string landing, string schemas, string step, TimeSpan delay)
    {
        using var process = Start(lake, landing, schemas);
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line == "step " + step)
            {
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed < delay)
                {
                    Thread.SpinWait(100);
                }

                if (process.HasExited)
                {
                    return false;
                }

                process.Kill(entireProcessTree: true); // SIGKILL on Linux and macOS
                process.WaitForExit();
                return true;
            }
        }

        process.WaitForExit();
        return false;
    }

    private static Process Start(string lake, string landing, string schemas)
    {
        var runner = Path.Combine(Repository.Root, "tests", "Bedrot.DataLake.CrashRunner", "bin",
            AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug",
            "net10.0", "Bedrot.DataLake.CrashRunner.dll");
        Assert.True(File.Exists(runner), $"{runner} is not built");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { runner, lake, landing, schemas, Now, Repository.SamplesSettings })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>
    /// Every file of the lake's zones with its hash. The run's own records (<c>.bedrot/</c>: state,
    /// logs, run reports) and the transformation log, which says what each run did (a file the
    /// killed run promoted is "already in raw" for the rerun), are not part of the comparison.
    /// </summary>
    private static SortedDictionary<string, string> Snapshot(string lake)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var zone in new[] { "raw", "staging", "quarantine" })
        {
            var root = Path.Combine(lake, zone);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(lake, file).Replace('\\', '/');
                if (!relative.StartsWith("staging/quality_reports/transformation_log_", StringComparison.Ordinal))
                {
                    files[relative] = Bedrot.DataLake.Incremental.Hashing.OfFile(file);
                }
            }
        }

        return files;
    }

    /// <summary>Every sample as the landing folder, and the schemas, copied into <paramref name="folder"/>.</summary>
    private static (string Landing, string Schemas) Inputs(TempDirectory folder)
    {
        var landing = Path.Combine(folder.Path, "landing");
        var schemas = Path.Combine(folder.Path, "schemas");
        CopyTree(Path.Combine(Repository.Root, "samples", "landing"), landing);
        CopyTree(Repository.SchemasFolder, schemas);
        return (landing, schemas);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

[CollectionDefinition(CrashSafetyTests.Serial, DisableParallelization = true)]
public sealed class ProcessesAndTimingCollection;
