using System.Collections.Concurrent;
using System.Diagnostics;
using Bedrot.DataLake.Lake;

namespace Bedrot.DataLake.Incremental;

// Skipping a step on its summary, and sharing the states read or written in a run.
public sealed partial class StepExecutor
{
    /// <summary>The state of each step as last read or written, with the hash of its file.</summary>
    private readonly Dictionary<string, StepState> _states = new(StringComparer.Ordinal);

    /// <summary>What each step's last run in this process changed in its state (see <see cref="ChangesOf"/>).</summary>
    private readonly Dictionary<string, StateChanges> _changes = new(StringComparer.Ordinal);

    /// <summary>
    /// What the last run of <paramref name="step"/> in this process changed in its recorded state, or
    /// null when it did not run here (or changed nothing): a later step that planned from the state as it
    /// was before needs to look only at those items.
    /// </summary>
    public StateChanges? ChangesOf(string step) => _changes.GetValueOrDefault(step);

    /// <summary>States being read ahead of their step's planning (see <see cref="ReadAhead"/>).</summary>
    private readonly Dictionary<string, Task<StepState>> _reading = new(StringComparer.Ordinal);

    /// <summary>
    /// The run's files written while it goes on. The executor writes each step's summary here: it is
    /// made from the state just written (tens of thousands of files to sort) and read only by a later
    /// run's planning, and nothing changes that state meanwhile (only the step's own next run would,
    /// and it waits for the summary first). Wait for all of them before the run is declared finished.
    /// </summary>
    public BackgroundWrites Writes { get; } = new(log, paths);

    /// <summary>
    /// The recorded state of <paramref name="step"/> as its file holds it: the one this executor last
    /// read or wrote while the file is unchanged since (by the stat cache), else read again. A step
    /// that ran and the steps and report after it share it instead of each reading tens of megabytes;
    /// callers read it and must not change it.
    /// </summary>
    public StepState State(string step)
    {
        var path = StatePath(step);
        if (_reading.Remove(step, out var reading) && reading.GetAwaiter().GetResult() is { FileHash: not null } ahead)
        {
            // Read on another thread: it is the file's state if the stat cache gives the file as it is now the hash it was read with.
            _states[step] = ahead;
        }

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
    /// Starts reading <paramref name="step"/>'s state on another thread, for a step that will plan item
    /// by item and has other work to do first: stage-platform builds its items from the ledger while
    /// its state (tens of megabytes) is read. <see cref="State"/> takes it from there, checked against
    /// the file by the stat cache as any state it keeps.
    /// </summary>
    /// <returns>The read, done when the state is in memory (nothing to wait for when it already is).</returns>
    public Task ReadAhead(string step)
    {
        if (_reading.TryGetValue(step, out var reading))
        {
            return reading;
        }

        if (!_states.ContainsKey(step))
        {
            var path = StatePath(step);
            return _reading[step] = Task.Factory.StartNew(() => StepState.Load(path, hashed: true), CancellationToken.None,
                TaskCreationOptions.None, TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The report of a step skipped without planning its items, or null when it must be planned: its
    /// last run was planned from the same <paramref name="plan"/> (a key over everything planning reads:
    /// the code, the schemas, the settings, the inputs' records), recorded every item it planned, and
    /// every output it recorded is intact. Pass the same key to <see cref="Run"/> after planning.
    /// </summary>
    /// <param name="step">The step's name.</param>
    /// <param name="plan">The key of this run's plan; null for a step without one (only the extension can then spare it planning in full).</param>
    /// <param name="parallelism">How many outputs are looked at at once.</param>
    /// <param name="extension">
    /// For a step that plans from what changed: when the last run was planned on ground this run can
    /// extend (see <see cref="PlanExtension"/>) and every recorded output is intact, the items of the new
    /// or changed inputs are run, every other recorded item kept, and their report returned. Pass the
    /// same prefix to <see cref="Run"/> when the step is planned in full.
    /// </param>
    public StepReport? SkipUnchanged(string step, string? plan, int parallelism = 1, PlanExtension? extension = null)
    {
        var clock = Stopwatch.StartNew();
        var statePath = StatePath(step);
        Writes.Wait(StepSummary.PathOf(statePath));
        if (force || StepSummary.Load(StepSummary.PathOf(statePath)) is not { } summary || summary.StateHash != hashes.HashIfExists(statePath))
        {
            return null;
        }

        if (plan is null || summary.Plan != plan)
        {
            if (extension is null || summary.Prefix is not { } recorded || extension.Prefix() is not { } prefix
                || extension.ItemsAfter(recorded, summary) is not { } added)
            {
                return null;
            }

            if (added.Count > 0)
            {
                // The state is read on another thread while the recorded outputs are checked.
                _ = ReadAhead(step);
            }

            if (!OutputsIntact(summary, parallelism))
            {
                return null;
            }

            log.Information("{Step}: planned only the {Added} item(s) whose inputs are new or changed since its last plan; its {Kept} recorded item(s) are kept",
                step, added.Count, summary.Items);
            return RunItems(step, added, _ => false, parallelism, extension.Commit, plan, prefix, extension.RecordsInputs, kept: summary);
        }

        if (!OutputsIntact(summary, parallelism))
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
            (range, loop) =>
            {
                for (var i = range.Item1; i < range.Item2 && !loop.IsStopped; i++)
                {
                    if (!summary.TryGetHash(i, out var sha) || !hashes.IsIntact(paths.Full(summary.Files[i]), sha))
                    {
                        loop.Stop();
                    }
                }
            });
        return result.IsCompleted;
    }

    /// <summary>Whether a lake-relative file is there with the recorded hash (in hex), without making its hash's text.</summary>
    private bool IsIntact(string relative, string recorded)
    {
        Span<byte> sha = stackalloc byte[32];
        return Convert.FromHexString(recorded, sha, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32
               && hashes.IsIntact(paths.Full(relative), sha);
    }
}

/// <summary>
/// How a step plans only what changed since its last plan: the items whose inputs a recorded plan
/// already covered, unchanged, are the recorded items, so only the others need making and planning.
/// Stage-platform's inputs only grow (entries appended to the ledger), so its changed items are those
/// of the entries after the recorded ones; validate-raw's are the landing files whose content is not
/// the one recorded.
/// </summary>
/// <param name="Prefix">
/// What this run's plan stands on, in the step's words: what it depends on besides its inputs (code,
/// schemas, settings) and, for growing inputs, a mark of the last one (the ledger's line count and
/// last line hash); null when it cannot be told (the ledger's chain is broken). Asked only when needed.
/// </param>
/// <param name="ItemsAfter">
/// Given the prefix the last plan recorded and the step's summary, the items to plan (new or changed
/// since); every other recorded item is kept as it is. Null when the recorded prefix is not one this run can extend
/// (another context, other inputs, or a recorded item whose input is gone), and the step must be
/// planned in full.
/// </param>
public sealed record PlanExtension(Func<string?> Prefix, Func<string, StepSummary, IReadOnlyList<WorkItem>?> ItemsAfter)
{
    /// <summary>Makes durable what a batch of items wrote (see <c>StepExecutor.Run</c>'s <c>commit</c>).</summary>
    public Action? Commit { get; init; }

    /// <summary>Whether the summary records the digest of each item's inputs, which <see cref="ItemsAfter"/> compares (see <see cref="StepSummary.Inputs"/>).</summary>
    public bool RecordsInputs { get; init; }
}

/// <summary>
/// What one run of a step changed in its recorded state: the hash of the state file it started from
/// (null when there was none) and the hash it wrote, and each item it recorded or removed, with its
/// record as read before the run (null for a new item). Every other item is as it was.
/// </summary>
public sealed record StateChanges(string? Before, string After, IReadOnlyDictionary<string, ItemState?> Items);
