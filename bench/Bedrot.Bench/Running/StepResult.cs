using Bedrot.DataLake.Incremental;

namespace Bedrot.Bench.Running;

/// <summary>One step of one scenario: the step's own report (items, counters, its seconds) and what the harness measured around it.</summary>
internal sealed record StepResult(
    string Step,
    double WallSeconds,
    double ReportedSeconds,
    int ItemsRun,
    int ItemsSkipped,
    int ItemsRetracted,
    int ItemsFailed,
    long RowsIn,
    long RowsOut,
    double? RowsPerSecond,
    double? MbPerSecond,
    Measurement Cost,
    IReadOnlyDictionary<string, long> Counts)
{
    /// <param name="inputBytes">The landing bytes the step reads (validate-raw), for its MB per second; null for other steps.</param>
    public static StepResult Of(StepReport report, Measurement cost, long? inputBytes)
    {
        var rowsIn = report.Counts.GetValueOrDefault("rows_in");
        return new StepResult(
            report.Step,
            Math.Round(cost.WallSeconds, 4),
            Math.Round(report.Seconds, 4),
            report.ItemsRun,
            report.ItemsSkipped,
            report.ItemsRetracted,
            report.ItemsFailed,
            rowsIn,
            report.Counts.GetValueOrDefault("rows_out"),
            rowsIn > 0 && cost.WallSeconds > 0 ? Math.Round(rowsIn / cost.WallSeconds) : null,
            inputBytes is { } bytes && cost.WallSeconds > 0 ? Math.Round(bytes / 1e6 / cost.WallSeconds, 1) : null,
            cost with
            {
                WallSeconds = Math.Round(cost.WallSeconds, 4),
                CpuSeconds = Math.Round(cost.CpuSeconds, 3),
                GcPauseSeconds = Math.Round(cost.GcPauseSeconds, 3),
                JitSeconds = Math.Round(cost.JitSeconds, 3),
                AllocatedMb = Math.Round(cost.AllocatedMb, 1),
                PeakWorkingSetMb = Math.Round(cost.PeakWorkingSetMb, 1),
                PeakManagedHeapMb = Math.Round(cost.PeakManagedHeapMb, 1),
            },
            report.Counts);
    }
}
