using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Bedrot.DataLake.Lake;
using Serilog;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// Runs a step's work items through the planner: runs what changed, skips what did not, retracts
/// the outputs of items whose input went away, and commits the step's state after its outputs.
/// </summary>
public sealed class StepExecutor(LakePaths paths, HashCache hashes, ILogger log, bool force, bool explain)
{
    /// <summary>The least time between two saves of the state while items run (so a killed run loses little work).</summary>
    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times its own duration a save waits before the next: saving a large state often would
    /// cost more than the work it protects.
    /// </summary>
    private const int SaveCostFactor = 10;

    /// <summary>Items handed to each worker per batch when items run in parallel; results are recorded after each batch.</summary>
    private const int BatchPerWorker = 8;

    /// <summary>The state of each step as last read or written, with the hash of its file.</summary>
    private readonly Dictionary<string, StepState> _states = new(StringComparer.Ordinal);

    /// <summary>The lake's full path, with a separator after it.</summary>
    private readonly string _root = Path.TrimEndingDirectorySeparator(paths.Full(".")) + Path.DirectorySeparatorChar;

    /// <summary>Why an item is skipped, as the transformation log says it.</summary>
    public const string UpToDate = "up to date: the same inputs (by content hash), schemas and code as its last run, and its outputs are intact";

    /// <summary>
    /// The recorded state of <paramref name="step"/> as its file holds it: the one this executor last
    /// read or wrote while the file is unchanged since (by the stat cache), else read again. A step
    /// that ran and the steps and report after it share it instead of each reading tens of megabytes;
    /// callers read it and must not change it.
    /// </summary>
    public StepState State(string step)
    {
        var path = StatePath(step);
        if (_states.TryGetValue(step, out var known) && known.FileHash == hashes.HashIfExists(path))
        {
            return known;
        }

        var state = StepState.Load(path, hashed: true);
        if (state.FileHash is { } read)
        {
            hashes.Remember(path, read);
            _states[step] = state;
        }

        return state;
    }

    /// <summary>
    /// The report of a step skipped without planning its items, or null when it must be planned: its
    /// last run was planned from the same <paramref name="plan"/> (a key over everything planning reads:
    /// the code, the schemas, the settings, the inputs' records), recorded every item it planned, and
    /// every output it recorded is intact. Pass the same key to <see cref="Run"/> after planning.
    /// </summary>
    /// <param name="step">The step's name.</param>
    /// <param name="plan">The key of this run's plan.</param>
    /// <param name="parallelism">How many outputs are looked at at once.</param>
    public StepReport? SkipUnchanged(string step, string plan, int parallelism = 1)
    {
        var clock = Stopwatch.StartNew();
        var statePath = StatePath(step);
        if (force || StepSummary.Load(StepSummary.PathOf(statePath)) is not { } summary || summary.Plan != plan
            || summary.StateHash != hashes.HashIfExists(statePath) || !OutputsIntact(summary, parallelism))
        {
            return null;
        }

        var report = new StepReport(step);
        foreach (var key in summary.Keys)
        {
            Skip(report, key);
        }

        report.Seconds = clock.Elapsed.TotalSeconds;
        return report;
    }

    /// <summary>
    /// Runs <paramref name="items"/>. With <paramref name="parallelism"/> above 1, the items that must
    /// run are executed up to that many at a time (they must be independent: each writes only its own
    /// outputs), and their results are recorded in item order, so the state and the outputs are the
    /// same as a serial run's.
    /// </summary>
    /// <param name="step">The step's name; its state lives in <c>.bedrot/state/&lt;step&gt;.json</c>.</param>
    /// <param name="items">This run's items.</param>
    /// <param name="inScope">Whether a recorded item belongs to this run (others are left alone).</param>
    /// <param name="parallelism">How many items may run at once.</param>
    /// <param name="plan">The key the items were planned from (see <see cref="SkipUnchanged"/>), or null.</param>
    public StepReport Run(string step, IReadOnlyList<WorkItem> items, Func<ItemState, bool> inScope, int parallelism = 1, string? plan = null)
    {
        var clock = Stopwatch.StartNew();
        var report = new StepReport(step);
        var statePath = StatePath(step);
        var summaryPath = StepSummary.PathOf(statePath);
        var summary = StepSummary.Load(summaryPath);
        var digest = StepState.DigestOf(items.Select(i => (i.Key, i.Fingerprint.Value)));
        if (!force && summary is not null && IsUpToDate(summary, statePath, items.Count, digest, parallelism))
        {
            foreach (var item in items)
            {
                Skip(report, item.Key);
            }

            if (plan is not null && summary.Plan != plan)
            {
                summary.WithPlan(plan).Save(summaryPath);
            }

            report.Seconds = clock.Elapsed.TotalSeconds;
            return report;
        }

        // Out of the shared states while it changes: a run that stops half way leaves no changed state claiming to be the file.
        var state = State(step);
        _states.Remove(step);
        var planner = new Planner(relative => hashes.HashIfExists(paths.Full(relative)), force);
        var sinceSave = Stopwatch.StartNew();
        var saveCost = TimeSpan.Zero;
        var batch = new List<(WorkItem Item, ItemState? Previous)>();

        void Save()
        {
            var saving = Stopwatch.StartNew();
            hashes.Remember(statePath, state.Save(statePath));
            saveCost = saving.Elapsed;
            sinceSave.Restart();
        }

        void RunBatch()
        {
            // Items that read first run only that part side by side; the rest of their work runs below, in order.
            var outcomes = new (ItemResult? Result, Exception? Error)[batch.Count];
            var rest = new Func<ItemResult>?[batch.Count];
            void Start(int i)
            {
                if (batch[i].Item.ReadFirst is { } read)
                {
                    try
                    {
                        rest[i] = read();
                    }
                    catch (Exception error)
                    {
                        outcomes[i] = (null, error);
                    }
                }
                else
                {
                    outcomes[i] = Execute(batch[i].Item.Execute);
                }
            }

            if (parallelism > 1 && batch.Count > 1)
            {
                Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, Start);
            }
            else
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    Start(i);
                }
            }

            for (var i = 0; i < batch.Count; i++)
            {
                var (item, previous) = batch[i];
                var (result, error) = rest[i] is { } then ? Execute(then) : outcomes[i];
                if (error is OutOfMemoryException)
                {
                    throw error;
                }

                if (result is null)
                {
                    // A defect in the product, not bad data: name it, keep the other items going,
                    // leave the item unrecorded so the next run retries it, and fail the step.
                    report.ItemsFailed++;
                    report.Errors.Add($"{item.Key}: {error!.GetType().Name}: {error.Message}");
                    log.Error(error, "{Step}: {Item} failed", step, item.Key);
                    continue;
                }

                foreach (var (path, sha) in result.Outputs.Concat(result.Retained))
                {
                    hashes.Remember(paths.Full(path), sha);
                }

                if (previous is not null)
                {
                    Retract(previous.Outputs.Keys.Except(result.Outputs.Keys, StringComparer.Ordinal));
                }

                state.Items[item.Key] = Record(item, result);
                report.ItemsRun++;
                report.Add(result.Counts);
                if (sinceSave.Elapsed >= SaveInterval + (saveCost * SaveCostFactor))
                {
                    Save();
                }
            }

            batch.Clear();
        }

        foreach (var item in items)
        {
            state.Items.TryGetValue(item.Key, out var previous);
            var reason = planner.ReasonToRun(previous, item.Fingerprint);
            if (reason is null)
            {
                Skip(report, item.Key);
                continue;
            }

            log.Write(explain ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Debug,
                "{Step}: run {Item}: {Reason}", step, item.Key, reason);
            report.Reasons[item.Key] = reason;
            batch.Add((item, previous));
            // Items that read first hold their file's bytes until recorded: one per worker at a time.
            if (batch.Count >= (parallelism <= 1 ? 1 : item.ReadFirst is null ? BatchPerWorker * parallelism : parallelism))
            {
                RunBatch();
            }
        }

        RunBatch();

        var current = items.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, gone) in state.Items.Where(i => !current.Contains(i.Key) && inScope(i.Value)).ToList())
        {
            Retract(gone.Outputs.Keys);
            state.Items.Remove(key);
            report.ItemsRetracted++;
            log.Information("{Step}: retracted the outputs of {Item}: its input is gone", step, key);
        }

        // A run that changed nothing leaves the state file as it is: rewriting it is most of a no-op's cost.
        if (report.ItemsRun > 0 || report.ItemsRetracted > 0 || !File.Exists(statePath))
        {
            Save();
        }

        // The summary follows the state it describes; one that was missing or stale is written even when
        // nothing ran. It names the plan only when the state holds exactly this run's items.
        var recordedPlan = state.Digest() == digest ? plan : null;
        if (state.FileHash is { } written)
        {
            if (summary?.StateHash != written || summary.Plan != recordedPlan)
            {
                StepSummary.Of(state, written, recordedPlan).Save(summaryPath);
            }

            _states[step] = state;
        }

        report.Seconds = clock.Elapsed.TotalSeconds;
        if (report.ItemsFailed > 0)
        {
            report.Status = "failed";
        }

        return report;
    }

    /// <summary>
    /// Whether the step is up to date without reading its state: this run's items have the recorded
    /// digest (the same keys, each with its recorded fingerprint, so none is new, changed or gone),
    /// the summary is of the state file as it is, and every recorded output is there with its hash.
    /// </summary>
    private bool IsUpToDate(StepSummary summary, string statePath, int items, string digest, int parallelism) =>
        summary.Items == items && summary.Digest == digest && summary.StateHash == hashes.HashIfExists(statePath)
        && OutputsIntact(summary, parallelism);

    /// <summary>Whether every file the summary lists is there with its recorded hash: one status call each, side by side.</summary>
    private bool OutputsIntact(StepSummary summary, int parallelism)
    {
        if (summary.Files.Count == 0)
        {
            return true;
        }

        var result = Parallel.ForEach(Partitioner.Create(0, summary.Files.Count, 512), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) },
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] (range, loop) =>
            {
                for (var i = range.Item1; i < range.Item2 && !loop.IsStopped; i++)
                {
                    if (!summary.TryGetHash(i, out var sha) || !hashes.IsIntact(FullPath(summary.Files[i]), sha))
                    {
                        loop.Stop();
                    }
                }
            });
        return result.IsCompleted;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Skip(StepReport report, string key)
    {
        report.ItemsSkipped++;
        report.Skipped[key] = UpToDate;
        if (explain)
        {
            log.Information("{Step}: skip {Item}: up to date", report.Step, key);
        }
    }

    private string StatePath(string step) => Path.Combine(paths.State, step + ".json");

    /// <summary>
    /// The full path of a lake-relative path, as <see cref="LakePaths.Full"/> gives it, by joining it to
    /// the root when it is already plain (no dot segments, empty segments or backslashes, and '/' the
    /// separator), which recorded paths are: one string per file checked rather than three.
    /// </summary>
    private string FullPath(string relative) =>
        Path.DirectorySeparatorChar == '/' && relative.Length > 0 && relative[0] != '/' && relative[0] != '.' && !relative.Contains("/.", StringComparison.Ordinal)
        && !relative.Contains("//", StringComparison.Ordinal) && !relative.Contains('\\', StringComparison.Ordinal) && !relative.EndsWith('/')
            ? string.Concat(_root, relative)
            : paths.Full(relative);

    /// <summary>Runs one item's work; a failure is returned, not thrown, so the other items of a batch still run.</summary>
    private static (ItemResult? Result, Exception? Error) Execute(Func<ItemResult> work)
    {
        try
        {
            return (work(), null);
        }
        catch (Exception error)
        {
            return (null, error);
        }
    }

    private static ItemState Record(WorkItem item, ItemResult result)
    {
        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in (item.Facts ?? new Dictionary<string, string>()).Concat(result.Facts))
        {
            facts[name] = value;
        }

        return new ItemState
        {
            Fingerprint = item.Fingerprint.Value,
            Parts = new SortedDictionary<string, string>(item.Fingerprint.Parts.ToDictionary(), StringComparer.Ordinal),
            Outputs = new SortedDictionary<string, string>(result.Outputs.ToDictionary(), StringComparer.Ordinal),
            Retained = new SortedDictionary<string, string>(result.Retained.ToDictionary(), StringComparer.Ordinal),
            Counts = new SortedDictionary<string, long>(result.Counts.ToDictionary(), StringComparer.Ordinal),
            Facts = facts,
        };
    }

    private void Retract(IEnumerable<string> outputs)
    {
        foreach (var relative in outputs)
        {
            var full = paths.Full(relative);
            if (File.Exists(full))
            {
                File.Delete(full);
                log.Debug("Removed {Output}", relative);
            }

            hashes.Forget(full);
        }
    }
}
