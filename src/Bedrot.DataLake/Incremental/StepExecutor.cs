using System.Diagnostics;
using Bedrot.DataLake.Lake;
using Serilog;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// Runs a step's work items through the planner: runs what changed, skips what did not, retracts
/// the outputs of items whose input went away, and commits the step's state after its outputs.
/// </summary>
public sealed partial class StepExecutor(LakePaths paths, HashCache hashes, ILogger log, bool force, bool explain)
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

    /// <summary>Why an item is skipped, as the transformation log says it.</summary>
    public const string UpToDate = "up to date: the same inputs (by content hash), schemas and code as its last run, and its outputs are intact";

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
    /// <param name="commit">
    /// Makes durable what a batch's items wrote (for validate-raw, their copies and ledger lines); called
    /// after their work and before any of it is recorded, so the state never claims work a power cut could undo.
    /// </param>
    /// <param name="plan">The key the items were planned from (see <see cref="SkipUnchanged"/>), or null.</param>
    /// <param name="prefix">What the plan stands on, for a step that can plan from what changed (see <see cref="PlanExtension"/>), or null.</param>
    /// <param name="recordsInputs">Whether the summary records the digest of each item's inputs (see <see cref="StepSummary.Inputs"/>).</param>
    public StepReport Run(string step, IReadOnlyList<WorkItem> items, Func<ItemState, bool> inScope, int parallelism = 1,
        Action? commit = null, string? plan = null, string? prefix = null, bool recordsInputs = false) =>
        RunItems(step, items, inScope, parallelism, commit, plan, prefix, recordsInputs, kept: null);

    /// <summary>
    /// Runs <paramref name="items"/> as the public <c>Run</c> does; with <paramref name="kept"/>, they are
    /// only the items new or changed since the plan that summary records, every other item it records
    /// is kept as up to date (the caller found its outputs intact), and none is retracted.
    /// </summary>
    private StepReport RunItems(string step, IReadOnlyList<WorkItem> items, Func<ItemState, bool> inScope, int parallelism,
        Action? commit, string? plan, string? prefix, bool recordsInputs, StepSummary? kept)
    {
        var clock = Stopwatch.StartNew();
        var report = new StepReport(step);
        var statePath = StatePath(step);
        var summaryPath = StepSummary.PathOf(statePath);
        _changes.Remove(step);
        Writes.Wait(summaryPath);
        var summary = kept ?? StepSummary.Load(summaryPath);
        // Each item's fingerprint is a hash over its parts, made once and kept: side by side, as items are independent.
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i => _ = items[i].Fingerprint.Value);
        var digest = kept is null ? StepState.DigestOf(items.Select(i => (i.Key, i.Fingerprint.Value))) : null;
        if ((kept is not null && items.Count == 0)
            || (!force && kept is null && summary is not null && (!recordsInputs || summary.Inputs is not null)
                && IsUpToDate(summary, statePath, items.Count, digest!, parallelism)))
        {
            foreach (var key in kept is null ? items.Select(i => i.Key) : summary!.Keys)
            {
                Skip(report, key);
            }

            if ((plan is not null && summary!.Plan != plan) || (prefix is not null && summary!.Prefix != prefix))
            {
                summary.WithPlan(plan ?? summary.Plan, prefix ?? summary.Prefix).Save(summaryPath);
            }

            report.Seconds = clock.Elapsed.TotalSeconds;
            return report;
        }

        // Out of the shared states while it changes: a run that stops half way leaves no changed state claiming to be the file.
        var state = State(step);
        _states.Remove(step);
        var readHash = state.FileHash;
        // The summary of the state as read, whose digests of inputs the new summary keeps for the items that do not run.
        var before = summary is not null && summary.StateHash == state.FileHash ? summary : null;
        // The items recorded this run, each with its record as read (null for a new item).
        var ran = new Dictionary<string, ItemState?>(StringComparer.Ordinal);
        // The recorded items this run removed (their input is gone), with their records as read.
        var removed = new Dictionary<string, ItemState>(StringComparer.Ordinal);
        var planner = new Planner(relative => hashes.HashIfExists(paths.Full(relative)), force) { IsIntact = IsIntact };
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
                if (rest[i] is { } then)
                {
                    outcomes[i] = Execute(then);
                }
            }

            commit?.Invoke();
            for (var i = 0; i < batch.Count; i++)
            {
                var (item, previous) = batch[i];
                var (result, error) = outcomes[i];
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
                ran.TryAdd(item.Key, previous);
                report.ItemsRun++;
                report.Add(result.Counts);
                if (sinceSave.Elapsed >= SaveInterval + (saveCost * SaveCostFactor))
                {
                    Save();
                }
            }

            batch.Clear();
        }

        if (kept is not null)
        {
            var added = items.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var key in kept.Keys.Where(k => !added.Contains(k)))
            {
                Skip(report, key);
            }
        }

        // Every item's reason first, side by side (checking an item's recorded files is a status call
        // each); the items are independent, so none of them changes what another one's reason is.
        var previousOf = items.Select(i => state.Items.GetValueOrDefault(i.Key)).ToArray();
        var reasons = new string?[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) },
            i => reasons[i] = planner.ReasonToRun(previousOf[i], items[i].Fingerprint));
        for (var i = 0; i < items.Count; i++)
        {
            var (item, previous, reason) = (items[i], previousOf[i], reasons[i]);
            if (reason is null)
            {
                Skip(report, item.Key);
                continue;
            }

            log.Write(explain ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Debug,
                "{Step}: run {Item}: {Reason}", step, item.Key, reason);
            report.Reasons[item.Key] = reason;
            batch.Add((item, previous));
            if (batch.Count >= (parallelism <= 1 ? 1 : BatchPerWorker * parallelism))
            {
                RunBatch();
            }
        }

        RunBatch();

        // Every recorded item is one of this run's when they are kept: none is gone.
        if (kept is null)
        {
            var current = items.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, gone) in state.Items.Where(i => !current.Contains(i.Key) && inScope(i.Value)).ToList())
            {
                Retract(gone.Outputs.Keys);
                state.Items.Remove(key);
                removed[key] = gone;
                report.ItemsRetracted++;
                log.Information("{Step}: retracted the outputs of {Item}: its input is gone", step, key);
            }
        }

        // A run that changed nothing leaves the state file as it is: rewriting it is most of a no-op's cost.
        if (report.ItemsRun > 0 || report.ItemsRetracted > 0 || !File.Exists(statePath))
        {
            Save();
        }

        // The summary follows the state it describes; one that was missing or stale is written even when
        // nothing ran. It names the plan and its prefix only when the state holds exactly this run's
        // items, with the fingerprints they ended with (a file read for the first time completes its
        // item's): with the recorded items kept, when each added item was recorded.
        var recorded = state.Digest();
        var complete = kept is null
            ? (plan is not null || prefix is not null) && recorded == StepState.DigestOf(items.Select(i => (i.Key, i.Fingerprint.Value)))
            : report.ItemsFailed == 0;
        var recordedPlan = complete ? plan : null;
        var recordedPrefix = complete ? prefix : null;
        if (state.FileHash is { } written)
        {
            if (summary?.StateHash != written || summary.Plan != recordedPlan || summary.Prefix != recordedPrefix || (recordsInputs && summary.Inputs is null))
            {
                Writes.Start(summaryPath, () =>
                    // Made from the summary before when only the items that ran changed (none gone), else from every item.
                    ((before is not null && report.ItemsRetracted == 0
                         ? StepSummary.Extend(before, state, ran, written, recorded, recordedPlan, recordedPrefix, recordsInputs)
                         : null)
                     ?? StepSummary.Of(state, written, recorded, recordedPlan, recordedPrefix, recordsInputs ? new(before, ran.Keys.ToHashSet(StringComparer.Ordinal)) : null))
                    .Save(summaryPath));
            }

            _states[step] = state;
            var changed = new Dictionary<string, ItemState?>(ran, StringComparer.Ordinal);
            foreach (var (key, gone) in removed)
            {
                changed[key] = gone;
            }

            _changes[step] = new StateChanges(readHash, written, changed);
        }

        report.Seconds = clock.Elapsed.TotalSeconds;
        if (report.ItemsFailed > 0)
        {
            report.Status = "failed";
        }

        return report;
    }

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
