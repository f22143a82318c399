using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Quality;
using Bedrot.DataLake.Tests.Support;
using Serilog;

namespace Bedrot.DataLake.Tests.Quality;

/// <summary>The quality gate under GitHub Actions: annotations on the console and a Markdown step summary.</summary>
public sealed class GitHubActionsTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly DatasetQuality Good = new("distrokid/sales", 2, 600, 600, 0, new Dictionary<string, long>());

    private static readonly DatasetQuality Poor = new("metaads/ads_manager_daily", 2, 20, 18, 2,
        new Dictionary<string, long> { ["structure"] = 2 })
    {
        LookAt = new Dictionary<string, string> { ["validity"] = "rejected rows in staging/_rejects/metaads_ads_manager_daily_rejects_20250612_083045.csv" },
    };

    [Fact]
    public void Should_Write_An_Error_Per_Dataset_Under_Its_Threshold_When_The_Gate_Fails()
    {
        // Given a run under GitHub Actions with one dataset under the threshold
        var console = new StringWriter();
        var actions = new GitHubActions(Variables(), console);

        // When the gate reports with the gate set to fail
        actions.Report([Good, Poor], QualityThresholds.Standard, gateFails: true, []);

        // Then there is one error annotation, naming the dataset, its scores and where the rows are
        var line = Assert.Single(console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("::error title=Quality gate%3A metaads/ads_manager_daily::", line, StringComparison.Ordinal);
        Assert.Contains("validity 0.9 (rejected rows in staging/_rejects/metaads_ads_manager_daily_rejects_20250612_083045.csv) (threshold 0.95)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Only_Warn_When_The_Gate_Only_Warns_And_Name_Quarantined_Files()
    {
        // Given a run under GitHub Actions in warn mode, with a quarantined file
        var console = new StringWriter();
        var actions = new GitHubActions(Variables(), console);

        // When the gate reports
        actions.Report([Poor], QualityThresholds.Standard, gateFails: false, [("toolost/bad.json", "$.totalStreams (line 2): expected an array")]);

        // Then the dataset is a warning, and so is the quarantined file with its reason
        var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("::warning title=Quality gate", lines[0], StringComparison.Ordinal);
        Assert.Equal("::warning title=Quarantined toolost/bad.json::$.totalStreams (line 2): expected an array", lines[1].TrimEnd('\r'));
    }

    [Fact]
    public void Should_Append_A_Markdown_Summary_Of_Every_Dataset()
    {
        // Given a run under GitHub Actions with a step summary file that already holds an earlier step's text
        var summary = Path.Combine(_folder.Path, "summary.md");
        File.WriteAllText(summary, "earlier step\n");
        var actions = new GitHubActions(Variables(summary), TextWriter.Null);

        // When the gate reports
        actions.Report([Good, Poor], QualityThresholds.Standard, gateFails: true, []);

        // Then the summary keeps the earlier text and adds a table row per dataset with its status
        var text = File.ReadAllText(summary);
        Assert.StartsWith("earlier step\n## Data quality", text, StringComparison.Ordinal);
        Assert.Contains("1 dataset(s) under the 0.95 threshold; the gate fails.", text, StringComparison.Ordinal);
        Assert.Contains("| distrokid/sales | 2 | 600 | 600 | 0 | 0 | 1 | 1 | 1 | 1 | 1 | ok |", text, StringComparison.Ordinal);
        Assert.Contains("| metaads/ads_manager_daily | 2 | 20 | 18 | 2 | 0 | 1 | 0.9 | 1 | 1 | 1 | under threshold: validity |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Warn_Of_Each_Change_Since_The_Previous_Report()
    {
        // Given a run under GitHub Actions whose report flagged a change
        var console = new StringWriter();
        var actions = new GitHubActions(Variables(), console);

        // When the gate reports, Then the change is a warning of its own
        actions.Report([Good], QualityThresholds.Standard, gateFails: true, [], ["distrokid/sales: validity dropped from 1 to 0.9, more than the 0.02 margin"]);
        Assert.Equal("::warning title=Since the previous report::distrokid/sales: validity dropped from 1 to 0.9, more than the 0.02 margin",
            console.ToString().Trim());
    }

    [Fact]
    public void Should_Say_Nothing_Outside_GitHub_Actions()
    {
        // Given a run on a laptop (no GITHUB_ACTIONS), with a summary path set anyway
        var summary = Path.Combine(_folder.Path, "summary.md");
        var console = new StringWriter();
        var actions = new GitHubActions(name => name == "GITHUB_STEP_SUMMARY" ? summary : null, console);

        // When the gate reports a failing dataset, Then nothing is written
        actions.Report([Poor], QualityThresholds.Standard, gateFails: true, []);
        Assert.Equal(string.Empty, console.ToString());
        Assert.False(File.Exists(summary));
    }

    [Fact]
    public void Should_Write_The_Step_Summary_From_A_Pipeline_Run()
    {
        // Given a lake of the streaming samples run as under GitHub Actions
        using var lake = new TempLake("toolost", "spotify");
        var summary = Path.Combine(_folder.Path, "summary.md");
        using (var pipeline = BedrotPipeline.Open(lake.Options(), new FixedTime(lake.Now), new LoggerConfiguration().CreateLogger()))
        {
            pipeline.EnvironmentVariables = Variables(summary);
            pipeline.ValidateRaw();
            pipeline.StagePlatform();
            pipeline.Unify();
            pipeline.QualityReport();
            pipeline.Complete(succeeded: true);
        }

        // Then the summary lists the run's datasets (eight in staging and streaming_unified), the audience one with its rejected row
        var text = File.ReadAllText(summary);
        Assert.Contains("All 9 datasets are at or above the 0.95 threshold.", text, StringComparison.Ordinal);
        Assert.Contains("| spotify/audience | 2 | 110 | 109 | 1 | 0 |", text, StringComparison.Ordinal);
        Assert.Contains("1 landing file(s) quarantined", text, StringComparison.Ordinal);
    }

    private static Func<string, string?> Variables(string? summary = null) => name => name switch
    {
        "GITHUB_ACTIONS" => "true",
        "GITHUB_STEP_SUMMARY" => summary,
        _ => null,
    };
}
