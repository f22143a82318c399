using Serilog;

namespace Bedrot.DataLake.Lake;

/// <summary>
/// Files a run writes on another thread while it goes on, because nothing later in the run reads
/// them: a step's summary, unify's cache, the stat cache. Each write is known by the path it writes; whoever reads
/// that path waits for it first (<see cref="Wait"/>), writes of one path happen one after the other,
/// and the run waits for every write (<see cref="WaitAll"/>) before it is declared finished. A write
/// that fails is logged, never thrown: each of these files is a shortcut that a later run checks
/// before it trusts it, so a missing or stale one costs time, not a result.
/// </summary>
public sealed class BackgroundWrites(ILogger log, LakePaths paths)
{
    private readonly Dictionary<string, Task> _pending = new(StringComparer.Ordinal);

    /// <summary>Starts writing <paramref name="path"/> (after any earlier write of it) with <paramref name="write"/>.</summary>
    public void Start(string path, Action write)
    {
        lock (_pending)
        {
            var earlier = _pending.GetValueOrDefault(path) ?? Task.CompletedTask;
            _pending[path] = earlier.ContinueWith(_ => Write(path, write), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Waits until no write of <paramref name="path"/> is under way.</summary>
    public void Wait(string path)
    {
        Task? pending;
        lock (_pending)
        {
            pending = _pending.GetValueOrDefault(path);
        }

        pending?.Wait();
    }

    /// <summary>Waits for every write started so far.</summary>
    public void WaitAll()
    {
        Task[] pending;
        lock (_pending)
        {
            pending = [.. _pending.Values];
            _pending.Clear();
        }

        Task.WaitAll(pending);
    }

    private void Write(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception error)
        {
            log.Warning(error, "{File} could not be written; the next run does without it", paths.Relative(path));
        }
    }
}
