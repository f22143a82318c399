using System.Globalization;
using System.Text;

namespace Bedrot.DataLake.Quality;

/// <summary>
/// What the quality gate tells GitHub Actions when it runs there (<c>GITHUB_ACTIONS=true</c>): an
/// <c>::error</c> (gate failing) or <c>::warning</c> (gate in warn mode) annotation per dataset under
/// its threshold, a <c>::warning</c> per quarantined file, and a Markdown table of every dataset's
/// scores appended to the file <c>GITHUB_STEP_SUMMARY</c> names.
/// </summary>
public sealed class GitHubActions(Func<string, string?> environment, TextWriter console)
{
    public bool Active => string.Equals(environment("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);

    /// <param name="flags">Changes since the previous report beyond their margins; each becomes a <c>::warning</c>.</param>
    public void Report(IReadOnlyList<DatasetQuality> datasets, QualityThresholds thresholds, bool gateFails,
        IReadOnlyList<(string File, string Reasons)> quarantined, IReadOnlyList<string>? flags = null)
    {
        if (!Active)
        {
            return;
        }

        var failing = datasets.Where(d => !thresholds.Passes(d)).ToList();
        foreach (var dataset in failing)
        {
            var scores = string.Join(", ", thresholds.FailingScores(dataset).Select(s =>
                $"{s.Score} {Score(s.Value)}" + (dataset.LookAt.GetValueOrDefault(s.Score) is { } where ? $" ({where})" : string.Empty)));
            console.WriteLine(
                $"::{(gateFails ? "error" : "warning")} title={EscapeProperty("Quality gate: " + dataset.Dataset)}::" +
                EscapeData($"{dataset.Dataset}: {scores} (threshold {Score(thresholds.For(dataset.Dataset))})"));
        }

        foreach (var (file, reasons) in quarantined)
        {
            console.WriteLine($"::warning title={EscapeProperty("Quarantined " + file)}::{EscapeData(reasons)}");
        }

        foreach (var flag in flags ?? [])
        {
            console.WriteLine($"::warning title={EscapeProperty("Since the previous report")}::{EscapeData(flag)}");
        }

        if (environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summaryPath)
        {
            File.AppendAllText(summaryPath, Summary(datasets, thresholds, gateFails, failing.Count, quarantined.Count));
        }
    }

    internal static string Summary(IReadOnlyList<DatasetQuality> datasets, QualityThresholds thresholds, bool gateFails, int failing, int quarantined)
    {
        var threshold = thresholds.Default;
        var text = new StringBuilder();
        text.AppendLine("## Data quality");
        text.AppendLine();
        text.AppendLine(failing == 0
            ? $"All {datasets.Count} datasets are at or above the {Score(threshold)} threshold."
            : $"{failing} dataset(s) under the {Score(threshold)} threshold; the gate {(gateFails ? "fails" : "only warns")}.");
        if (quarantined > 0)
        {
            text.AppendLine($"{quarantined} landing file(s) quarantined; their reasons are in `quarantine/`.");
        }

        text.AppendLine();
        text.AppendLine("| dataset | files | rows in | rows out | rejected | warned | completeness | validity | consistency | freshness | accuracy | status |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var d in datasets)
        {
            var under = thresholds.FailingScores(d);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {d.Dataset} | {d.Files} | {d.RowsIn} | {d.RowsOut} | {d.RowsRejected} | {d.RowsWarned} | {Score(d.Completeness)} | {Score(d.Validity)} | {Score(d.Consistency)} | {Score(d.Freshness)} | {Score(d.Accuracy)} | {(under.Count == 0 ? "ok" : "under threshold: " + string.Join(", ", under.Select(u => u.Score)))} |"));
        }

        text.AppendLine();
        return text.ToString();
    }

    private static string Score(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Workflow-command escaping of a message: %, CR and LF.</summary>
    private static string EscapeData(string text) =>
        text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    /// <summary>Workflow-command escaping of a property (title): also ':' and ','.</summary>
    private static string EscapeProperty(string text) =>
        EscapeData(text).Replace(":", "%3A").Replace(",", "%2C");
}
