using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;
using Serilog;

namespace Bedrot.DataLake.Tests.Reliability;

/// <summary>One writer per lake, a lake a dead run left behind, bad settings, and tampering behind the ledger's back.</summary>
public sealed class OneWriterAndTamperTests : IDisposable
{
    private readonly TempLake _lake = new("distrokid");

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Refuse_A_Second_Run_At_Once_Naming_The_Holder()
    {
        // Given a run holding the lake
        using var first = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), Quiet());

        // When a second run opens the same lake
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refused = Assert.Throws<LakeConfigurationException>(() => BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), Quiet()));

        // Then it is refused at once, with the holder's pid, host and start time
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Contains("in use by another run", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"\"pid\":{Environment.ProcessId}", refused.Message, StringComparison.Ordinal);
        Assert.Contains(Environment.MachineName, refused.Message, StringComparison.Ordinal);
        Assert.Contains("2025-08-02T06:00:00", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Take_Over_The_Lock_Of_A_Run_That_Died_And_Say_Whose_It_Was()
    {
        // Given the holder record a killed run left (its process, and so its handle, is gone)
        var control = _lake.InLake(".bedrot");
        Directory.CreateDirectory(control);
        File.WriteAllText(Path.Combine(control, "lock.json"), "{\"pid\":999999,\"host\":\"old-laptop\",\"started\":\"2025-08-01T00:00:00Z\"}");
        File.WriteAllText(Path.Combine(control, "lock"), string.Empty);

        // When a new run opens the lake
        var events = new CollectedLog();
        using (var pipeline = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), events.Logger()))
        {
            // Then it runs, says whose lock it took over, and the holder record is now its own
            var warning = Assert.Single(events.Messages, m => m.Contains("stopped without releasing the lake", StringComparison.Ordinal));
            Assert.Contains("999999", warning, StringComparison.Ordinal);
            Assert.Contains("old-laptop", warning, StringComparison.Ordinal);
            Assert.Equal(Environment.ProcessId, (int)JObject.Parse(File.ReadAllText(Path.Combine(control, "lock.json")))["pid"]!);
            pipeline.ValidateRaw();
        }

        // And a clean finish leaves no holder record behind
        Assert.False(File.Exists(Path.Combine(control, "lock.json")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Should_Remove_The_Temporary_Files_Of_Interrupted_Writes(bool killed)
    {
        // Given a built lake, and the temporary files a run left mid-write: a killed run, which left its
        // holder record, or one that failed and released the lake; neither finished cleanly
        _lake.Run();
        Assert.True(File.Exists(_lake.InLake(".bedrot/finished-cleanly")));
        using (var interrupted = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), Quiet()))
        {
            interrupted.ValidateRaw();
        }

        Assert.False(File.Exists(_lake.InLake(".bedrot/finished-cleanly")));
        if (killed)
        {
            File.WriteAllText(_lake.InLake(".bedrot/lock.json"), "{\"pid\":4242}");
        }

        var leftovers = new[] { "staging/distrokid/sales/x.csv.tmp-4242", "raw/distrokid/sales/2025/06/y.tsv.tmp-17", ".bedrot/state/validate-raw.json.tmp-9" };
        foreach (var leftover in leftovers)
        {
            File.WriteAllText(_lake.InLake(leftover), "half");
        }

        // When the next run opens the lake
        var run = _lake.Run();

        // Then they are gone, the rerun did no work, and verify-raw is clean
        Assert.All(leftovers, leftover => Assert.False(File.Exists(_lake.InLake(leftover)), leftover));
        Assert.Equal(0, run.ItemsRun);
        Assert.Empty(new RawVerifier(new LakePaths(_lake.Lake)).Verify());
        Assert.True(File.Exists(_lake.InLake(".bedrot/finished-cleanly")));
    }

    [Fact]
    public void Should_Refuse_A_Lake_It_Cannot_Write_Before_Any_Work()
    {
        // Given a lake path below a regular file, which no one can create
        var blocker = Path.Combine(_lake.Root, "a-file");
        File.WriteAllText(blocker, "not a folder");
        var options = _lake.Options() with { Lake = Path.Combine(blocker, "lake") };

        // When a run opens it, Then it stops with a one-line message saying what to fix
        var refused = Assert.Throws<LakeConfigurationException>(() => BedrotPipeline.Open(options, new FixedTime(_lake.Now), Quiet()));
        Assert.StartsWith("--lake: cannot write to", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("lakes")]
    [InlineData("forced")]
    public void Should_Refuse_An_Unknown_Option_Naming_It_And_The_Known_Ones(string option)
    {
        // When the command line holds an option no one knows, Then it is refused, named, with the known ones
        var refused = Assert.Throws<LakeConfigurationException>(() => LakeOptions.CheckNames(["target", "lake", option]));
        Assert.Contains("--" + option, refused.Message, StringComparison.Ordinal);
        Assert.Contains("--landing", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Accept_The_Product_And_Build_Tool_Options()
    {
        // When only known options are given, Then nothing is refused
        LakeOptions.CheckNames([.. LakeOptions.Names, "target", "verbosity", "dryrun", "exclusive", "tree"]);
    }

    [Fact]
    public void Should_Name_A_Raw_File_Changed_Removed_Or_Added_Behind_The_Ledger()
    {
        // Given a built lake
        _lake.Run();
        var ledger = Ledger.Load(_lake.InLake("raw/_ledger.jsonl"));
        var changed = ledger.Entries[0].RawPath;
        var removed = ledger.Entries[1].RawPath;
        const string added = "raw/distrokid/sales/2025/06/dk_bank_details_20250615_000000.tsv";

        // When one raw file is changed, one removed and one added without the ledger
        Unlock(changed);
        File.AppendAllText(_lake.InLake(changed), "tampered");
        Unlock(removed);
        File.Delete(_lake.InLake(removed));
        File.WriteAllText(_lake.InLake(added), "Reporting Date\tSale Month\n");

        // Then verify-raw names each one
        var problems = new RawVerifier(new LakePaths(_lake.Lake)).Verify();
        Assert.Contains(problems, p => p.StartsWith(changed + ": content changed", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(removed + ": missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(added + ": not in the ledger", StringComparison.Ordinal));
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void Should_Name_An_Edited_Ledger_Line()
    {
        // Given a built lake whose ledger's third line is edited by hand
        _lake.Run();
        var path = _lake.InLake("raw/_ledger.jsonl");
        var lines = File.ReadAllLines(path);
        lines[2] = lines[2].Replace("\"event\":\"promoted\"", "\"event\":\"duplicate\"", StringComparison.Ordinal);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");

        // Then verify-raw names line 3
        var problems = new RawVerifier(new LakePaths(_lake.Lake)).Verify();
        Assert.Contains(problems, p => p.StartsWith("raw/_ledger.jsonl line 3: edited", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Name_Ledger_Lines_Cut_From_The_End()
    {
        // Given a built lake whose ledger loses its last line (no later line carries its hash)
        _lake.Run();
        var path = _lake.InLake("raw/_ledger.jsonl");
        var lines = File.ReadAllLines(path);
        File.WriteAllText(path, string.Join('\n', lines[..^1]) + "\n");

        // Then verify-raw says a line is missing from the end (and names the raw file it no longer ledgers)
        var problems = new RawVerifier(new LakePaths(_lake.Lake)).Verify();
        Assert.Contains(problems, p => p == $"raw/_ledger.jsonl: 1 line(s) missing from the end (the last run recorded {lines.Length})");
    }

    private void Unlock(string relative)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_lake.InLake(relative), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static ILogger Quiet() => new LoggerConfiguration().CreateLogger();
}
