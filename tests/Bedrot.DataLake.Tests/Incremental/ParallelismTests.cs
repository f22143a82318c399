using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Incremental;

/// <summary>
/// Landing files are read and validated, and staging files and unified datasets built, up to
/// --parallelism at a time; the lake is the same as a serial run's.
/// </summary>
public sealed class ParallelismTests
{
    [Fact]
    public void Should_Write_The_Same_Lake_And_State_With_Several_Items_At_Once_As_With_One()
    {
        // Given every sample, staged once one item at a time and once four at a time
        using var serial = new TempLake();
        using var parallel = new TempLake();
        Run(serial, parallelism: 1);
        Run(parallel, parallelism: 4);

        // Then raw (with its ledger), quarantine, staging (but the run log) and every step's recorded
        // state are byte for byte the same, and so are the states' summaries but for the key of the plan
        // (which names the time of each lake's ledger)
        foreach (var zone in new[] { "raw", "quarantine", "staging" })
        {
            var expected = serial.Snapshot(zone);
            var actual = parallel.Snapshot(zone);
            Assert.True(expected.Count > 10, $"only {expected.Count} files in {zone}");
            Assert.Equal(expected.Keys, actual.Keys);
            Assert.All(expected, file => Assert.True(file.Value.AsSpan().SequenceEqual(actual[file.Key]), $"{file.Key} differs"));
        }

        foreach (var step in new[] { BedrotPipeline.ValidateRawStep, BedrotPipeline.StagePlatformStep, BedrotPipeline.UnifyStep, BedrotPipeline.QualityReportStep })
        {
            Assert.Equal(File.ReadAllText(serial.InLake($".bedrot/state/{step}.json")), File.ReadAllText(parallel.InLake($".bedrot/state/{step}.json")));
            Assert.Equal(WithoutPlan(serial.InLake($".bedrot/state/{step}.summary.json")), WithoutPlan(parallel.InLake($".bedrot/state/{step}.summary.json")));
        }
    }

    [Fact]
    public void Should_Still_Record_Every_Item_That_Succeeded_When_One_Fails_Among_Parallel_Items()
    {
        // Given a built lake whose stage state lost every item (as if never staged), and a folder where
        // one bank export's staging file must go, so that item cannot write its output
        using var lake = new TempLake("distrokid", "toolost");
        lake.Run();
        File.Delete(lake.InLake(".bedrot/state/stage-platform.json"));
        var blocked = lake.InLake("staging/distrokid/sales/distrokid_sales_staging_20250601_093015.csv");
        File.Delete(blocked);
        Directory.CreateDirectory(blocked);

        // When staged four at a time
        using var pipeline = BedrotPipeline.Open(lake.Options() with { Parallelism = 4 }, new FixedTime(lake.Now),
            new Serilog.LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        var stage = pipeline.StagePlatform();

        // Then that one item fails, named, and every other item ran and was recorded
        Assert.Equal(1, stage.ItemsFailed);
        Assert.Contains("dk_bank_details_20250601_093015.tsv", Assert.Single(stage.Errors), StringComparison.Ordinal);
        var recorded = Bedrot.DataLake.Incremental.StepState.Load(lake.InLake(".bedrot/state/stage-platform.json"));
        Assert.Equal(stage.ItemsRun, recorded.Items.Count);
        Assert.DoesNotContain(recorded.Items.Keys, k => k.Contains("dk_bank_details_20250601_093015", StringComparison.Ordinal));
        Assert.Contains(recorded.Items.Keys, k => k.Contains("dk_bank_details_20250801_101500", StringComparison.Ordinal));
        Assert.True(stage.ItemsRun >= 8, $"only {stage.ItemsRun} items ran");
    }

    private static string WithoutPlan(string summary)
    {
        var json = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(summary));
        json.Remove("Plan");
        return json.ToString();
    }

    private static void Run(TempLake lake, int parallelism)
    {
        using var pipeline = BedrotPipeline.Open(lake.Options() with { Parallelism = parallelism }, new FixedTime(lake.Now),
            new Serilog.LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        pipeline.StagePlatform();
        pipeline.Unify();
        pipeline.QualityReport();
        pipeline.Complete(succeeded: true);
    }
}
