namespace Bedrot.DataLake.Incremental;

/// <summary>What one step did in this run: items run, skipped and retracted, counters, reasons.</summary>
public sealed class StepReport(string step)
{
    public string Step { get; } = step;
    public int ItemsRun { get; set; }
    public int ItemsSkipped { get; set; }
    public int ItemsRetracted { get; set; }
    public int ItemsFailed { get; set; }
    public double Seconds { get; set; }
    public string Status { get; set; } = "succeeded";

    /// <summary>Counters summed over the items that ran (rows_in, rows_out, promoted, ...).</summary>
    public SortedDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Why each item that ran, ran (item key to reason).</summary>
    public SortedDictionary<string, string> Reasons { get; } = new(StringComparer.Ordinal);

    /// <summary>Why each item that was skipped, was skipped (item key to reason).</summary>
    public SortedDictionary<string, string> Skipped { get; } = new(StringComparer.Ordinal);

    /// <summary>Problems a person must look at (failed items, gate failures).</summary>
    public List<string> Errors { get; } = [];

    public void Add(IReadOnlyDictionary<string, long> counts)
    {
        foreach (var (name, value) in counts)
        {
            Counts[name] = Counts.GetValueOrDefault(name) + value;
        }
    }
}
