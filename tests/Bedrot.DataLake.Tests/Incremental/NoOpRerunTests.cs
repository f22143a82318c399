using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Incremental;

/// <summary>
/// A rerun whose items all have their recorded fingerprints skips each step on its summary, without
/// reading the step's state; everything that would make an item run is still found.
/// </summary>
public sealed class NoOpRerunTests : IDisposable
{
    private static readonly string[] Steps =
        [BedrotPipeline.ValidateRawStep, BedrotPipeline.StagePlatformStep, BedrotPipeline.UnifyStep, BedrotPipeline.QualityReportStep];

    private readonly TempLake _lake = new("distrokid");

    public void Dispose() => _lake.Dispose();

    private string State(string step) => _lake.InLake($".bedrot/state/{step}.json");

    private string Summary(string step) => _lake.InLake($".bedrot/state/{step}.summary.json");

    [Fact]
    public void Should_Rewrite_No_State_Summary_Or_Hash_Cache_And_Read_No_Input_When_Nothing_Changed()
    {
        // Given a lake built once and rerun once
        _lake.Run();
        _lake.Run();
        var control = Steps.SelectMany(step => new[] { State(step), Summary(step) }).Append(_lake.InLake(".bedrot/hash-cache.json")).ToList();
        var written = control.ToDictionary(file => file, File.GetLastWriteTimeUtc);

        // When the build runs again
        var run = _lake.Run();

        // Then nothing ran, no file was read to hash it, and no state, summary or cache file was written
        Assert.Equal(0, run.ItemsRun);
        Assert.Equal(7, run.Step(BedrotPipeline.ValidateRawStep).ItemsSkipped);
        Assert.Equal(0, run.Report.FilesHashed);
        Assert.All(control, file => Assert.Equal(written[file], File.GetLastWriteTimeUtc(file)));
    }

    [Fact]
    public void Should_Not_Read_A_Steps_State_While_Its_Summary_Shows_It_Up_To_Date()
    {
        // Given a built lake whose validate-raw state is overwritten by bytes that are not JSON, of the
        // same length and with the same time (so to the stat cache it is the same file)
        _lake.Run();
        var state = State(BedrotPipeline.ValidateRawStep);
        var time = File.GetLastWriteTimeUtc(state);
        File.WriteAllBytes(state, Enumerable.Repeat((byte)'#', (int)new FileInfo(state).Length).ToArray());
        File.SetLastWriteTimeUtc(state, time);

        // When the build runs again
        var run = _lake.Run();

        // Then the step was skipped on its summary: had the state been read, every item would have run as new
        Assert.Equal(0, run.ItemsRun);
        Assert.Equal(7, run.Step(BedrotPipeline.ValidateRawStep).ItemsSkipped);
    }

    [Fact]
    public void Should_Rerun_An_Item_Whose_Input_Changed_After_Runs_That_Skipped_Its_Step()
    {
        // Given a lake built once and rerun once
        _lake.Run();
        _lake.Run();

        // When a bank export is rewritten with one digit changed (the same size) and a later time
        var bank = _lake.LandingFile("dk_bank_details_20250801_101500.tsv");
        var text = File.ReadAllText(bank);
        var at = text.IndexOf("\t4", StringComparison.Ordinal);
        File.WriteAllText(bank, string.Concat(text.AsSpan(0, at), "\t5", text.AsSpan(at + 2)));
        File.SetLastWriteTimeUtc(bank, DateTime.UtcNow.AddMinutes(1));
        var run = _lake.Run(explain: true);

        // Then that file is validated again as changed, its new version staged, and nothing else runs
        var validate = run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(1, validate.ItemsRun);
        Assert.StartsWith("input changed", validate.Reasons["distrokid/dk_bank_details_20250801_101500.tsv"], StringComparison.Ordinal);
        Assert.Equal(1, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.Equal(1, run.Report.FilesHashed);
    }

    [Fact]
    public void Should_Rebuild_A_Deleted_Staging_File_Though_Every_Fingerprint_Is_Unchanged()
    {
        // Given a lake built once and rerun once, and one staging file then deleted
        _lake.Run();
        _lake.Run();
        var staged = _lake.LakeFiles("staging/distrokid/sales").First();
        var bytes = File.ReadAllBytes(_lake.InLake(staged));
        File.Delete(_lake.InLake(staged));

        // When the build runs
        var run = _lake.Run(explain: true);

        // Then exactly the item that wrote it runs, for that reason, and writes the same bytes
        var stage = run.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal(1, stage.ItemsRun);
        Assert.Equal($"output missing ({staged})", Assert.Single(stage.Reasons).Value);
        Assert.Equal(bytes, File.ReadAllBytes(_lake.InLake(staged)));
        Assert.Equal(0, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
    }

    [Fact]
    public void Should_Rebuild_A_Step_Whose_State_Is_Damaged_With_The_Same_Outputs()
    {
        // Given a built lake whose stage-platform state is no longer JSON
        _lake.Run();
        var staging = _lake.Snapshot("staging/distrokid");
        File.WriteAllText(State(BedrotPipeline.StagePlatformStep), "{ \"Version\": 1, \"Items\": { \"raw/");

        // When the build runs
        var run = _lake.Run();

        // Then every staging item runs as new, and writes what it wrote before
        var stage = run.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal(6, stage.ItemsRun);
        Assert.All(stage.Reasons.Values, reason => Assert.Equal("new", reason));
        Assert.Equal(staging, _lake.Snapshot("staging/distrokid"));
        Assert.Equal(0, _lake.Run().ItemsRun);
    }

    [Fact]
    public void Should_Take_Over_A_Lake_Whose_State_Is_In_The_Earlier_Layout_Without_Rebuilding()
    {
        // Given a built lake whose state files are rewritten in the earlier, indented layout, without summaries
        _lake.Run();
        foreach (var step in Steps)
        {
            File.WriteAllText(State(step), JObject.Parse(File.ReadAllText(State(step))).ToString(Newtonsoft.Json.Formatting.Indented) + "\n");
            File.Delete(Summary(step));
        }

        // When the build runs twice
        var first = _lake.Run();
        var second = _lake.Run();

        // Then the first run rebuilds none of the steps' items (the report, which reads the state files, is written again),
        // writes each step's summary, and the second run runs nothing
        Assert.All(Steps[..3], step => Assert.Equal(0, first.Step(step).ItemsRun));
        Assert.All(Steps, step => Assert.True(File.Exists(Summary(step)), $"no summary of {step}"));
        Assert.Equal(0, second.ItemsRun);
        Assert.Equal(0, second.Report.FilesHashed);
    }

    [Fact]
    public void Should_Not_Trust_A_Summary_That_Is_Not_Of_The_State_As_It_Is()
    {
        // Given a built lake, its validate-raw summary kept aside, and a run after a new bank export landed
        _lake.Run();
        var summary = File.ReadAllBytes(Summary(BedrotPipeline.ValidateRawStep));
        var bank = File.ReadAllText(_lake.LandingFile("dk_bank_details_20250601_093015.tsv"));
        var added = _lake.LandingFile("dk_bank_details_20250901_080000.tsv");
        File.WriteAllText(added, bank.Replace("2025-05-05", "2025-08-04"));
        Assert.Equal(1, _lake.Run().Step(BedrotPipeline.ValidateRawStep).ItemsRun);

        // When the older summary is put back (its items are the landing files as they will be) and the new export removed
        File.WriteAllBytes(Summary(BedrotPipeline.ValidateRawStep), summary);
        File.Delete(added);
        var run = _lake.Run();

        // Then the summary is seen to be of another state, and the removed export's item is retracted
        Assert.Equal(1, run.Step(BedrotPipeline.ValidateRawStep).ItemsRetracted);
        Assert.Equal(0, _lake.Run().Step(BedrotPipeline.ValidateRawStep).ItemsRetracted);
    }
}
