using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bedrot.Bench.Running;

/// <summary>One scenario's run: its steps, the open / complete / dispose around them, and the files the hash cache read.</summary>
internal sealed record ScenarioResult(
    string Scenario,
    string? ChangedFile,
    string Status,
    double TotalSeconds,
    int FilesHashed,
    int LandingFiles,
    Measurement Open,
    Measurement Complete,
    Measurement Dispose,
    IReadOnlyList<StepResult> Steps)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>A few lines for the console.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{Scenario}: {Status}, {TotalSeconds:0.000} s (open {Open.WallSeconds:0.000}, complete {Complete.WallSeconds:0.000}, dispose {Dispose.WallSeconds:0.000}), files hashed {FilesHashed}\n");
        foreach (var step in Steps)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  {step.Step,-15} wall {step.WallSeconds,8:0.000} s  cpu {step.Cost.CpuSeconds,8:0.000} s  run {step.ItemsRun,6} skipped {step.ItemsSkipped,6}");
            text.Append(CultureInfo.InvariantCulture,
                $"  rows_in {step.RowsIn,9}  alloc {step.Cost.AllocatedMb,8:0} MB  peak ws {step.Cost.PeakWorkingSetMb,7:0} MB");
            if (step.MbPerSecond is { } megabytes)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {megabytes:0.0} MB/s");
            }

            if (step.RowsPerSecond is { } rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {rows:0} rows/s");
            }

            text.Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }
}
