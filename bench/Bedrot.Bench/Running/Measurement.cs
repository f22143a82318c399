using System.Diagnostics;

namespace Bedrot.Bench.Running;

/// <summary>
/// What one timed stretch of the run cost: wall and CPU time, allocations, collections and the time
/// the program was paused for them, time spent compiling methods as they were first called, peak memory.
/// </summary>
internal sealed record Measurement(
    double WallSeconds,
    double CpuSeconds,
    double AllocatedMb,
    int Gen0,
    int Gen1,
    int Gen2,
    double GcPauseSeconds,
    double JitSeconds,
    double PeakWorkingSetMb,
    double PeakManagedHeapMb)
{
    /// <summary>Runs <paramref name="action"/> and measures it.</summary>
    public static Measurement Of(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var (paused, jit) = (GC.GetTotalPauseDuration(), System.Runtime.JitInfo.GetCompilationTime());
        var clock = Stopwatch.StartNew();
        var sampler = new MemorySampler();
        try
        {
            action();
        }
        finally
        {
            clock.Stop();
            sampler.Dispose();
        }

        process.Refresh();
        return new Measurement(
            clock.Elapsed.TotalSeconds,
            (process.TotalProcessorTime - cpu).TotalSeconds,
            (GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1e6,
            GC.CollectionCount(0) - g0,
            GC.CollectionCount(1) - g1,
            GC.CollectionCount(2) - g2,
            (GC.GetTotalPauseDuration() - paused).TotalSeconds,
            (System.Runtime.JitInfo.GetCompilationTime() - jit).TotalSeconds,
            sampler.PeakWorkingSet / 1e6,
            sampler.PeakHeap / 1e6);
    }
}
