using Serilog;

namespace Bedrot.DataLake.Pipeline;

/// <summary>The per-step table printed at the end of a run.</summary>
internal static class RunSummary
{
    private static readonly string[] Shown =
        ["promoted", "already_in_raw", "duplicate", "quarantined", "rows_in", "rows_out", "rows_rejected", "removed.latest_snapshot_wins"];

    public static void Print(ILogger log, RunReport report)
    {
        log.Information("{Step,-15} {Run,5} {Skipped,8} {Retracted,10} {Seconds,8}  {Details}",
            "Step", "Run", "Skipped", "Retracted", "Seconds", "Details");
        foreach (var step in report.Steps)
        {
            var details = string.Join(", ", Shown.Where(step.Counts.ContainsKey).Select(c => $"{c} {step.Counts[c]}"));
            log.Information("{Step,-15} {Run,5} {Skipped,8} {Retracted,10} {Seconds,8:0.000}  {Details}",
                step.Step, step.ItemsRun, step.ItemsSkipped, step.ItemsRetracted, step.Seconds,
                step.ItemsFailed > 0 ? $"{details}; FAILED {step.ItemsFailed}" : details);
        }

        var ran = report.Steps.Sum(s => s.ItemsRun);
        log.Information("{Status}: {Ran} item(s) ran, {Skipped} skipped; report {Report}",
            report.Status, ran, report.Steps.Sum(s => s.ItemsSkipped), ".bedrot/last-run.json");
        foreach (var error in report.Steps.SelectMany(s => s.Errors))
        {
            log.Error("{Error}", error);
        }
    }
}
