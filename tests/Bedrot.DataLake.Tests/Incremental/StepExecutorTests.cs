using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Incremental;

/// <summary>A step skipped on its summary, by the digest of its items or by the key of its plan, and when it is not.</summary>
public sealed class StepExecutorTests : IDisposable
{
    private const string Step = "demo";
    private const string Plan = "plan-1";

    private readonly TempDirectory _folder = new();
    private readonly LakePaths _paths;
    private int _executed;

    public StepExecutorTests() => _paths = new LakePaths(_folder.Path);

    public void Dispose() => _folder.Dispose();

    private StepExecutor Executor(bool force = false) =>
        new(_paths, HashCache.Load(_paths.HashCache), new Serilog.LoggerConfiguration().CreateLogger(), force, explain: false);

    /// <summary>Items that each write <c>out/&lt;key&gt;.txt</c> from their input text; one may fail.</summary>
    private List<WorkItem> Items(string input = "in", string? failing = null) =>
        new[] { "a", "b", "c" }.Select(key => Item(key, input, failing)).ToList();

    private WorkItem Item(string key, string input = "in", string? failing = null) =>
        new(key, new Fingerprint().Add("input:" + key, input), () =>
        {
            _executed++;
            if (key == failing)
            {
                throw new InvalidOperationException("a defect");
            }

            var output = $"out/{key}.txt";
            var sha = AtomicFile.WriteAllText(_paths.Full(output), input + key);
            return new ItemResult { Outputs = new Dictionary<string, string> { [output] = sha } };
        });

    /// <summary>
    /// An extension to the prefix <paramref name="to"/> that adds the items <paramref name="added"/>
    /// when the recorded prefix is <paramref name="from"/> (and refuses any other); <paramref name="failing"/> fails.
    /// </summary>
    private PlanExtension Extension(string from, string to, string[] added, string? failing = null) =>
        new(() => to, (recorded, _) => recorded == from ? added.Select(key => Item(key, failing: failing)).ToList() : null);

    /// <summary>Asks a new executor to skip the step for <paramref name="plan"/> or extend it, and finishes its run.</summary>
    private StepReport? Extend(PlanExtension extension, string plan = "plan-2")
    {
        var hashes = HashCache.Load(_paths.HashCache);
        var executor = new StepExecutor(_paths, hashes, new Serilog.LoggerConfiguration().CreateLogger(), force: false, explain: false);
        var report = executor.SkipUnchanged(Step, plan, extension: extension);
        executor.Writes.WaitAll();
        hashes.Save(_paths.HashCache);
        return report;
    }

    /// <summary>Runs the step in an executor of its own that finishes (its summary written) before the caller goes on, as a run does.</summary>
    private StepReport RunStep(IReadOnlyList<WorkItem> items, string? plan = null)
    {
        var executor = Executor();
        var report = executor.Run(Step, items, _ => true, plan: plan);
        executor.Writes.WaitAll();
        return report;
    }

    private void RunOnce(string input = "in", string? failing = null, string? prefix = null)
    {
        var hashes = HashCache.Load(_paths.HashCache);
        var executor = new StepExecutor(_paths, hashes, new Serilog.LoggerConfiguration().CreateLogger(), force: false, explain: false);
        executor.Run(Step, Items(input, failing), _ => true, plan: Plan, prefix: prefix);
        executor.Writes.WaitAll();
        hashes.Save(_paths.HashCache);
    }

    [Fact]
    public void Should_Skip_A_Step_Planned_From_The_Same_Key_Without_Being_Given_Its_Items()
    {
        // Given a step run to the end from a plan
        RunOnce();

        // When it is asked to skip for the same plan
        var report = Executor().SkipUnchanged(Step, Plan);

        // Then it is skipped, every recorded item named up to date
        Assert.NotNull(report);
        Assert.Equal(3, report.ItemsSkipped);
        Assert.Equal(new[] { "a", "b", "c" }, report.Skipped.Keys);
    }

    [Fact]
    public void Should_Plan_When_The_Key_Changed_Or_Forced()
    {
        // Given a step run to the end from a plan
        RunOnce();

        // When it is asked to skip for another plan, or forced
        // Then it must be planned
        Assert.Null(Executor().SkipUnchanged(Step, "plan-2"));
        Assert.Null(Executor(force: true).SkipUnchanged(Step, Plan));
    }

    [Fact]
    public void Should_Plan_When_An_Output_Is_Missing_Or_Changed()
    {
        // Given a step run to the end from a plan, then one output deleted and another edited
        RunOnce();
        File.Delete(_paths.Full("out/b.txt"));

        // When it is asked to skip, then rerun with its items
        var skipped = Executor().SkipUnchanged(Step, Plan);
        var report = RunStep(Items(), Plan);

        // Then it is not skipped, and exactly that item runs again
        Assert.Null(skipped);
        Assert.Equal(1, report.ItemsRun);
        Assert.Equal("output missing (out/b.txt)", report.Reasons["b"]);

        File.AppendAllText(_paths.Full("out/c.txt"), "edited");
        Assert.Null(Executor().SkipUnchanged(Step, Plan));
    }

    [Fact]
    public void Should_Not_Name_A_Plan_Whose_Items_Were_Not_All_Recorded()
    {
        // Given a step whose run from a plan failed one item
        RunOnce(failing: "b");

        // When it is asked to skip for that plan
        // Then it must be planned (the failed item runs again), and once it ran, the plan is known again
        Assert.Null(Executor().SkipUnchanged(Step, Plan));
        _executed = 0;
        RunOnce();
        Assert.Equal(1, _executed);
        Assert.NotNull(Executor().SkipUnchanged(Step, Plan));
    }

    [Fact]
    public void Should_Skip_By_Digest_Items_With_Their_Recorded_Fingerprints_And_Run_A_Changed_One()
    {
        // Given a step run to the end
        RunOnce();
        _executed = 0;

        // When it runs with the same items, then with every input changed
        var same = RunStep(Items());
        var changed = RunStep(Items(input: "new"));

        // Then the first run skips all three without running any, and the second runs all three
        Assert.Equal((0, 3), (same.ItemsRun, same.ItemsSkipped));
        Assert.Equal((3, 0), (changed.ItemsRun, changed.ItemsSkipped));
        Assert.Equal(3, _executed);
    }

    [Fact]
    public void Should_Plan_When_The_State_Is_Not_The_One_The_Summary_Describes()
    {
        // Given a step run to the end from a plan, whose state file was then rewritten (by hand, or by an interrupted run)
        RunOnce();
        var state = Path.Combine(_paths.State, Step + ".json");
        File.WriteAllText(state, File.ReadAllText(state).Replace("\"c\":", "\"d\":", StringComparison.Ordinal));

        // When it is asked to skip for the same plan
        // Then it must be planned
        Assert.Null(Executor().SkipUnchanged(Step, Plan));
    }

    [Fact]
    public void Should_Finish_A_Step_Whose_Summary_Cannot_Be_Written_And_Plan_The_Next_Run_Item_By_Item()
    {
        // Given a step whose summary's place is taken by a folder, so the summary cannot be written
        var summary = Path.Combine(_paths.State, Step + ".summary.json");
        Directory.CreateDirectory(summary);
        var log = new CollectedLog();

        // When the step runs and the run waits for its summaries
        var hashes = HashCache.Load(_paths.HashCache);
        var executor = new StepExecutor(_paths, hashes, log.Logger(), force: false, explain: false);
        var report = executor.Run(Step, Items(), _ => true, plan: Plan);
        executor.Writes.WaitAll();
        hashes.Save(_paths.HashCache);

        // Then the step succeeded with every item run and recorded, and a warning names the summary
        Assert.Equal(("succeeded", 3), (report.Status, report.ItemsRun));
        Assert.Equal(["a", "b", "c"], executor.State(Step).Items.Keys);
        Assert.Contains(log.Messages, w => w.Contains(Step + ".summary.json", StringComparison.Ordinal));

        // And the next run, which has no summary to skip on, plans each item and skips all three
        Assert.Null(Executor().SkipUnchanged(Step, Plan));
        var again = RunStep(Items(), Plan);
        Assert.Equal((0, 3), (again.ItemsRun, again.ItemsSkipped));
    }

    [Fact]
    public async Task Should_Give_The_State_Read_Ahead_Only_While_Its_File_Is_As_It_Was_Read()
    {
        // Given a step run to the end, and a new executor reading its state ahead
        RunOnce();
        var executor = Executor();
        _ = executor.ReadAhead(Step);
        var same = executor.State(Step);

        // When another executor reads ahead, and the file is rewritten with one item fewer after the read
        var other = Executor();
        await other.ReadAhead(Step);
        var state = Path.Combine(_paths.State, Step + ".json");
        var lines = File.ReadAllLines(state);
        File.WriteAllLines(state, [lines[0], lines[1], lines[2].TrimEnd(','), lines[^1]]);
        var rewritten = other.State(Step);

        // Then the first gets the state as written, and the second the file as it is now
        Assert.Equal(["a", "b", "c"], same.Items.Keys);
        Assert.Equal(["a", "b"], rewritten.Items.Keys);
    }

    [Fact]
    public void Should_Share_The_State_It_Wrote_And_Read_It_Again_Once_The_File_Changed()
    {
        // Given an executor that ran a step
        var hashes = HashCache.Load(_paths.HashCache);
        var executor = new StepExecutor(_paths, hashes, new Serilog.LoggerConfiguration().CreateLogger(), force: false, explain: false);
        executor.Run(Step, Items(), _ => true);
        executor.Writes.WaitAll();

        // When the step's state is asked for twice, then again after its file was rewritten with one item fewer
        var first = executor.State(Step);
        var second = executor.State(Step);
        var state = Path.Combine(_paths.State, Step + ".json");
        var lines = File.ReadAllLines(state);
        File.WriteAllLines(state, [lines[0], lines[1], lines[2].TrimEnd(','), lines[^1]]);
        var rewritten = executor.State(Step);

        // Then the first two are the state it wrote, not read again, and the third is the file as it is now
        Assert.Same(first, second);
        Assert.Equal(["a", "b", "c"], first.Items.Keys);
        Assert.Equal(["a", "b"], rewritten.Items.Keys);
    }

    [Fact]
    public void Should_Run_Only_The_Items_Added_After_The_Recorded_Prefix_And_Keep_Every_Recorded_One()
    {
        // Given a step run to the end from a plan whose inputs ended at a prefix
        RunOnce(prefix: "inputs-1");
        _executed = 0;

        // When a later plan extends that prefix with one item
        var report = Extend(Extension("inputs-1", "inputs-2", ["d"]));

        // Then only the added item runs, the recorded ones are skipped up to date, and all four are recorded
        Assert.NotNull(report);
        Assert.Equal((1, 3, 0), (report.ItemsRun, report.ItemsSkipped, report.ItemsRetracted));
        Assert.Equal(1, _executed);
        Assert.Equal(["a", "b", "c"], report.Skipped.Keys);
        Assert.Equal(["a", "b", "c", "d"], Executor().State(Step).Items.Keys);

        // And the summary names the new plan and prefix: the same plan skips all four, and the next extension starts from it
        Assert.Equal(4, Executor().SkipUnchanged(Step, "plan-2")?.ItemsSkipped);
        var next = Extend(Extension("inputs-2", "inputs-3", ["e"]), plan: "plan-3");
        Assert.Equal((1, 4), (next?.ItemsRun, next?.ItemsSkipped));
    }

    [Fact]
    public void Should_Skip_Every_Recorded_Item_When_An_Extension_Adds_None_And_Name_Its_Plan()
    {
        // Given a step run to the end from a plan whose inputs ended at a prefix
        RunOnce(prefix: "inputs-1");
        _executed = 0;

        // When a later plan extends it with inputs that make no item
        var report = Extend(Extension("inputs-1", "inputs-2", []));

        // Then every recorded item is skipped, none runs, and the new plan is known
        Assert.Equal((0, 3), (report?.ItemsRun, report?.ItemsSkipped));
        Assert.Equal(0, _executed);
        Assert.NotNull(Executor().SkipUnchanged(Step, "plan-2"));
    }

    [Fact]
    public void Should_Plan_In_Full_When_The_Recorded_Prefix_Is_Not_Extended_Or_An_Output_Changed()
    {
        // Given a step run to the end from a plan with no prefix, then again from one with a prefix
        RunOnce();
        var unmarked = Extend(Extension("inputs-1", "inputs-2", ["d"]));
        RunOnce(prefix: "inputs-1");

        // When the extension starts from another prefix, and then when a recorded output is deleted
        var other = Extend(Extension("inputs-0", "inputs-2", ["d"]));
        File.Delete(_paths.Full("out/b.txt"));
        var missing = Extend(Extension("inputs-1", "inputs-2", ["d"]));

        // Then the step must be planned in full each time, and no item ran but those of the full runs
        Assert.Null(unmarked);
        Assert.Null(other);
        Assert.Null(missing);
        Assert.Equal(3, _executed);
        Assert.Equal(["a", "b", "c"], Executor().State(Step).Items.Keys);
    }

    [Fact]
    public void Should_Not_Record_The_Prefix_When_An_Added_Item_Failed()
    {
        // Given a step run to the end from a plan whose inputs ended at a prefix
        RunOnce(prefix: "inputs-1");

        // When an extension's added item fails
        var report = Extend(Extension("inputs-1", "inputs-2", ["d"], failing: "d"));

        // Then the step failed, and the next run can neither skip on the new plan nor extend it: it plans in full
        Assert.Equal(("failed", 1), (report?.Status, report?.ItemsFailed));
        Assert.Null(Executor().SkipUnchanged(Step, "plan-2"));
        Assert.Null(Extend(Extension("inputs-2", "inputs-3", ["e"]), plan: "plan-3"));
    }

    [Fact]
    public void Should_Tell_What_A_Run_Changed_In_The_State_With_Each_Items_Record_Before()
    {
        // Given items a, b and c recorded
        RunStep(Items());
        var statePath = Path.Combine(_paths.State, Step + ".json");
        var before = Hashing.OfFile(statePath);
        var recorded = StepState.Load(statePath).Items;

        // When a run changes a's input, keeps c, drops b and adds d
        var executor = Executor();
        Assert.Null(executor.ChangesOf(Step));
        executor.Run(Step, [Item("a", "other"), Item("c"), Item("d")], _ => true);
        executor.Writes.WaitAll();

        // Then its changes are a with its record before, b as it was, and d as new; c is not among them;
        // and the state's hash before and after the run
        var changes = executor.ChangesOf(Step)!;
        Assert.Equal(["a", "b", "d"], changes.Items.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(recorded["a"].Fingerprint, changes.Items["a"]!.Fingerprint);
        Assert.Equal(recorded["b"].Fingerprint, changes.Items["b"]!.Fingerprint);
        Assert.Null(changes.Items["d"]);
        Assert.Equal(before, changes.Before);
        Assert.Equal(Hashing.OfFile(statePath), changes.After);
        Assert.NotEqual(changes.Before, changes.After);
    }
}
