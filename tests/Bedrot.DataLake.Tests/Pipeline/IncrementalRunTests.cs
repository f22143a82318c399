using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;
using Serilog;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>The incremental guarantees, checked on a temporary lake built from the bundled samples.</summary>
public sealed class IncrementalRunTests : IDisposable
{
    private readonly TempLake _lake = new("distrokid");

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Run_Nothing_And_Read_No_Input_When_Nothing_Changed()
    {
        // Given a lake built once
        _lake.Run();

        // When the build runs again
        var second = _lake.Run();

        // Then every step skips every item, and no file was re-read to hash it
        Assert.All(second.Report.Steps, step => Assert.Equal(0, step.ItemsRun));
        Assert.Equal(7, second.Step(BedrotPipeline.ValidateRawStep).ItemsSkipped);
        Assert.Equal(6, second.Step(BedrotPipeline.StagePlatformStep).ItemsSkipped);
        Assert.Equal(0, second.Report.FilesHashed);
    }

    [Fact]
    public void Should_Clean_Every_Derived_File_And_Rebuild_The_Same_Lake()
    {
        // Given a built lake
        _lake.Run();
        var raw = _lake.Snapshot("raw");
        var staging = _lake.Snapshot("staging");
        Assert.NotEmpty(_lake.LakeFiles(".bedrot/cache"));

        // When it is cleaned
        using (var pipeline = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), new LoggerConfiguration().CreateLogger()))
        {
            pipeline.Clean();
        }

        // Then staging, the step state and unify's cache are gone, raw is untouched
        Assert.Empty(_lake.LakeFiles("staging"));
        Assert.Empty(_lake.LakeFiles(".bedrot/cache"));
        Assert.Empty(_lake.LakeFiles(".bedrot/state"));
        Assert.Equal(raw.Keys, _lake.Snapshot("raw").Keys);
        Assert.All(raw, f => Assert.True(f.Value.AsSpan().SequenceEqual(_lake.Snapshot("raw")[f.Key]), $"{f.Key} changed"));

        // And the next run rebuilds staging as it was
        _lake.Run();
        var rebuilt = _lake.Snapshot("staging").Where(f => !f.Key.Contains("transformation_log", StringComparison.Ordinal)).ToList();
        Assert.Equal(staging.Keys.Where(k => !k.Contains("transformation_log", StringComparison.Ordinal)), rebuilt.Select(f => f.Key));
        Assert.All(rebuilt, f => Assert.True(f.Value.AsSpan().SequenceEqual(staging[f.Key]), $"{f.Key} differs"));
    }

    [Fact]
    public void Should_Rerun_Only_What_Depends_On_A_New_Landing_File()
    {
        // Given a built lake
        _lake.Run();

        // When a new bank export lands
        var bank = File.ReadAllText(_lake.LandingFile("dk_bank_details_20250601_093015.tsv"));
        File.WriteAllText(_lake.LandingFile("dk_bank_details_20250901_080000.tsv"), bank.Replace("2025-05-05", "2025-08-04"));
        var run = _lake.Run(explain: true);

        // Then only that file is validated and staged, and the unified dataset and report are rebuilt
        Assert.Equal(1, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
        Assert.Equal("new", run.Step(BedrotPipeline.ValidateRawStep).Reasons["distrokid/dk_bank_details_20250901_080000.tsv"]);
        Assert.Equal(1, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.Equal(1, run.Step(BedrotPipeline.UnifyStep).ItemsRun);
        Assert.Equal(6, run.Step(BedrotPipeline.StagePlatformStep).ItemsSkipped);
    }

    [Fact]
    public void Should_Plan_Validation_And_Staging_From_What_Is_New_Only_And_Record_What_A_Full_Plan_Records()
    {
        // Given a built lake, and a second lake with the same landing files plus a new bank export
        using var atOnce = new TempLake("distrokid");
        _lake.Run();
        LandNewBankExport(_lake, atOnce);

        // When the first lake is built again with the new export, and the second built from all its files at once
        var log = new CollectedLog();
        var grown = _lake.Run(log: log.Logger());
        atOnce.Run();

        // Then validation made and planned only the new file's item, keeping the seven recorded, and
        // staging only the new ledger entry's, keeping the six recorded
        var validated = grown.Step(BedrotPipeline.ValidateRawStep);
        var staged = grown.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal((1, 7), (validated.ItemsRun, validated.ItemsSkipped));
        Assert.Equal((1, 6), (staged.ItemsRun, staged.ItemsSkipped));
        Assert.Contains(log.Messages, m => m.StartsWith("\"validate-raw\": planned only the 1 item(s) whose inputs are new or changed since its last plan; its 7 recorded", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.StartsWith("\"stage-platform\": planned only the 1 item(s) whose inputs are new or changed since its last plan; its 6 recorded", StringComparison.Ordinal));

        // And validation recorded the items and fingerprints a full plan records
        var validation = ".bedrot/state/validate-raw.json";
        var expected = Bedrot.DataLake.Incremental.StepState.Load(atOnce.InLake(validation)).Items.ToDictionary(i => i.Key, i => i.Value.Fingerprint);
        Assert.Equal(expected, Bedrot.DataLake.Incremental.StepState.Load(_lake.InLake(validation)).Items.ToDictionary(i => i.Key, i => i.Value.Fingerprint));

        // And staging's state and outputs are byte for byte those of the lake planned in full (the logs
        // and quality reports, which tell each lake's own runs, aside)
        var staging = ".bedrot/state/stage-platform.json";
        Assert.Equal(File.ReadAllBytes(atOnce.InLake(staging)), File.ReadAllBytes(_lake.InLake(staging)));
        static bool Data(string file) => !file.Contains("transformation_log", StringComparison.Ordinal) && !file.StartsWith("staging/quality_reports/", StringComparison.Ordinal);
        var files = _lake.LakeFiles("staging").Where(Data).ToList();
        Assert.Equal(atOnce.LakeFiles("staging").Where(Data), files);
        Assert.All(files, file => Assert.Equal(File.ReadAllBytes(atOnce.InLake(file)), File.ReadAllBytes(_lake.InLake(file))));

        // And each step's summary, made from the one before, lists what one made from every recorded item lists
        AssertSummaryOfState(_lake, BedrotPipeline.ValidateRawStep);
        AssertSummaryOfState(_lake, BedrotPipeline.StagePlatformStep);
    }

    [Fact]
    public void Should_Plan_Unify_From_The_Staging_Items_That_Changed_And_Record_What_A_Full_Plan_Records()
    {
        // Given a lake of two unified datasets (streams from DistroKid, marketing from Meta Ads) built
        // once, and a second lake with the same landing files plus a new bank export
        using var grown = new TempLake("distrokid", "metaads");
        using var atOnce = new TempLake("distrokid", "metaads");
        grown.Run();
        LandNewBankExport(grown, atOnce);

        // When the first lake is built again with the new export, and the second built from all its files at once
        var log = new CollectedLog();
        var run = grown.Run(log: log.Logger());
        atOnce.Run();

        // Then unify planned only the dataset the new staging file feeds, keeping the other as recorded,
        // and built it from its last build's files with the new one: it read one staging file
        var unify = run.Step(BedrotPipeline.UnifyStep);
        Assert.Equal((1, 1), (unify.ItemsRun, unify.ItemsSkipped));
        Assert.Contains(log.Messages, m => m.StartsWith("\"unify\": planned only the 1 item(s) whose inputs are new or changed since its last plan; its 2 recorded", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.Contains("1 of ", StringComparison.Ordinal) && m.Contains("staging file(s) read", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Messages, m => m.Contains("its staging files are taken from the staging state", StringComparison.Ordinal));

        // And unify's state and outputs are byte for byte those of the lake planned in full
        var unified = ".bedrot/state/unify.json";
        Assert.Equal(File.ReadAllBytes(atOnce.InLake(unified)), File.ReadAllBytes(grown.InLake(unified)));
        var files = grown.LakeFiles("staging/cross_platform").ToList();
        Assert.NotEmpty(files);
        Assert.Equal(atOnce.LakeFiles("staging/cross_platform"), files);
        Assert.All(files, file => Assert.Equal(File.ReadAllBytes(atOnce.InLake(file)), File.ReadAllBytes(grown.InLake(file))));
        AssertSummaryOfState(grown, BedrotPipeline.UnifyStep);

        // And a run with nothing new plans nothing
        Assert.All(grown.Run().Report.Steps, step => Assert.Equal(0, step.ItemsRun));
    }

    [Fact]
    public void Should_Plan_Unify_In_Full_When_Staging_Did_Not_Run_In_The_Same_Process()
    {
        // Given a built lake, and a new bank export validated and staged by one run that stops before unify
        _lake.Run();
        File.WriteAllText(_lake.LandingFile("dk_bank_details_20250901_080000.tsv"),
            File.ReadAllText(_lake.LandingFile("dk_bank_details_20250601_093015.tsv")).Replace("2025-05-05", "2025-08-04"));
        using (var pipeline = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), new LoggerConfiguration().CreateLogger()))
        {
            pipeline.ValidateRaw();
            pipeline.StagePlatform();
        }

        // When unify runs in a later process
        var log = new CollectedLog();
        using (var pipeline = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), log.Logger()))
        {
            Assert.Equal(1, pipeline.Unify().ItemsRun);
        }

        // Then it planned from every staging item, as it cannot know which changed
        Assert.DoesNotContain(log.Messages, m => m.StartsWith("\"unify\": planned only", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Plan_Unify_In_Full_When_Its_Last_Plan_Was_Not_Made_From_The_State_Staging_Started_From()
    {
        // Given a lake built once, then a bank export validated and staged by a run that stops before
        // unify, then another that lands before a full run; and a lake built from all of them at once
        using var atOnce = new TempLake("distrokid");
        _lake.Run();
        var bank = File.ReadAllText(_lake.LandingFile("dk_bank_details_20250601_093015.tsv"));
        var (first, second) = (bank.Replace("2025-05-05", "2025-08-04"), bank.Replace("2025-05-05", "2025-08-11"));
        File.WriteAllText(_lake.LandingFile("dk_bank_details_20250901_080000.tsv"), first);
        using (var pipeline = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), new LoggerConfiguration().CreateLogger()))
        {
            pipeline.ValidateRaw();
            pipeline.StagePlatform();
        }

        File.WriteAllText(_lake.LandingFile("dk_bank_details_20250908_080000.tsv"), second);
        File.WriteAllText(atOnce.LandingFile("dk_bank_details_20250901_080000.tsv"), first);
        File.WriteAllText(atOnce.LandingFile("dk_bank_details_20250908_080000.tsv"), second);

        // When the first lake runs every step, and the second is built
        var log = new CollectedLog();
        _lake.Run(log: log.Logger());
        atOnce.Run();

        // Then unify planned from every staging item (this run's staging changed one, its last plan
        // missed another), and recorded what the lake built at once records
        Assert.DoesNotContain(log.Messages, m => m.StartsWith("\"unify\": planned only", StringComparison.Ordinal));
        var unified = ".bedrot/state/unify.json";
        Assert.Equal(File.ReadAllBytes(atOnce.InLake(unified)), File.ReadAllBytes(_lake.InLake(unified)));
    }

    [Fact]
    public void Should_Write_The_Same_Quality_Report_With_Staging_Scored_While_Unify_Runs_As_In_A_Process_Of_Its_Own()
    {
        // Given two lakes built once from the same landing files, and the same new bank export in each
        using var ahead = new TempLake("distrokid", "metaads");
        using var apart = new TempLake("distrokid", "metaads");
        ahead.Run();
        apart.Run();
        LandNewBankExport(ahead, apart);

        // When the first runs every step in one process (the report's staging scores are made while
        // unify runs), and the second runs the report in a process of its own
        ahead.Run();
        using (var pipeline = BedrotPipeline.Open(apart.Options(), new FixedTime(apart.Now), new LoggerConfiguration().CreateLogger()))
        {
            pipeline.ValidateRaw();
            pipeline.StagePlatform();
            pipeline.Unify();
        }

        using (var pipeline = BedrotPipeline.Open(apart.Options(), new FixedTime(apart.Now), new LoggerConfiguration().CreateLogger()))
        {
            Assert.Equal(1, pipeline.QualityReport().ItemsRun);
        }

        // Then both wrote the same quality reports, byte for byte (the transformation logs, which tell each lake's own runs, aside)
        static bool Report(string file) => !file.Contains("transformation_log", StringComparison.Ordinal);
        var reports = ahead.LakeFiles("staging/quality_reports").Where(Report).ToList();
        Assert.NotEmpty(reports);
        Assert.Equal(apart.LakeFiles("staging/quality_reports").Where(Report), reports);
        Assert.All(reports, file => Assert.Equal(File.ReadAllBytes(apart.InLake(file)), File.ReadAllBytes(ahead.InLake(file))));
    }

    /// <summary>Lands the same new bank export (a sample's rows moved to August) in each lake.</summary>
    private static void LandNewBankExport(params TempLake[] lakes)
    {
        var bank = File.ReadAllText(lakes[0].LandingFile("dk_bank_details_20250601_093015.tsv")).Replace("2025-05-05", "2025-08-04");
        foreach (var lake in lakes)
        {
            File.WriteAllText(lake.LandingFile("dk_bank_details_20250901_080000.tsv"), bank);
        }
    }

    /// <summary>Asserts that a step's summary has the keys, the inputs' digests and the files with their hashes that a summary made from every item of its state has.</summary>
    private static void AssertSummaryOfState(TempLake lake, string step)
    {
        var statePath = lake.InLake($".bedrot/state/{step}.json");
        var summary = Bedrot.DataLake.Incremental.StepSummary.Load(Bedrot.DataLake.Incremental.StepSummary.PathOf(statePath))!;
        var state = Bedrot.DataLake.Incremental.StepState.Load(statePath);
        var inFull = Bedrot.DataLake.Incremental.StepSummary.Of(state, summary.StateHash, summary.Digest, summary.Plan, summary.Prefix,
            summary.Inputs is null ? null : new Bedrot.DataLake.Incremental.InputsFrom(null, new HashSet<string>()));
        static List<(string, string)> Files(Bedrot.DataLake.Incremental.StepSummary of) =>
            [.. of.Files.Select((file, i) => (file, of.TryGetHash(i, out var sha) ? Convert.ToHexStringLower(sha) : "none"))];
        Assert.NotEmpty(summary.Files);
        Assert.Equal(inFull.Keys, summary.Keys);
        Assert.Equal(inFull.Inputs, summary.Inputs);
        Assert.Equal(Files(inFull), Files(summary));
    }

    [Fact]
    public void Should_Keep_The_Old_Raw_Version_When_A_Landing_File_Changes()
    {
        // Given a built lake
        _lake.Run();
        var page = _lake.LandingFile("streams_stats_20250522_085156.html");
        var raw = _lake.InLake("raw/distrokid/streams/2025/05/streams_stats_20250522_085156.html");
        var original = File.ReadAllBytes(raw);

        // When the same name lands with new content (2025-03-01 read as 993 streams instead of 992)
        var text = File.ReadAllText(page);
        var edited = text.Replace("\"category\": \"2025-03-01\",\"column-1\": 992", "\"category\": \"2025-03-01\",\"column-1\": 993");
        Assert.NotEqual(text, edited);
        File.WriteAllText(page, edited);
        var run = _lake.Run(explain: true);

        // Then a second version sits beside the first, which is unchanged
        Assert.StartsWith("input changed", run.Step(BedrotPipeline.ValidateRawStep).Reasons["distrokid/streams_stats_20250522_085156.html"]);
        Assert.Equal(original, File.ReadAllBytes(raw));
        Assert.True(File.Exists(_lake.InLake("raw/distrokid/streams/2025/05/streams_stats_20250522_085156.v2.html")));
        Assert.Equal(1, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);

        // And validation's summary no longer lists the first version, which no item records now, as one made from every item does not
        AssertSummaryOfState(_lake, BedrotPipeline.ValidateRawStep);
        Assert.DoesNotContain("raw/distrokid/streams/2025/05/streams_stats_20250522_085156.html",
            Bedrot.DataLake.Incremental.StepSummary.Load(_lake.InLake(".bedrot/state/validate-raw.summary.json"))!.Files);
    }

    [Fact]
    public void Should_Rerun_Nothing_When_Only_A_Schema_Description_Changes()
    {
        // Given a built lake
        _lake.Run();

        // When only prose in a schema changes
        EditSchema("staging/distrokid_streams.json", schema =>
        {
            schema["description"] = "Reworded.";
            schema["fields"]![0]!["description"] = "Also reworded.";
        });
        var run = _lake.Run();

        // Then nothing runs
        Assert.Equal(0, run.ItemsRun);
    }

    [Fact]
    public void Should_Rerun_The_Datasets_Of_A_Schema_Whose_Constraint_Tightened()
    {
        // Given a built lake
        _lake.Run();

        // When the streams schema gets a tighter constraint
        EditSchema("staging/distrokid_streams.json", schema => schema["fields"]![3]!["constraints"]!["maximum"] = 1_000_000);
        var run = _lake.Run(explain: true);

        // Then the four page files that use it are restaged, the bank files are not
        var staging = run.Step(BedrotPipeline.StagePlatformStep);
        Assert.Equal(4, staging.ItemsRun);
        Assert.Equal(2, staging.ItemsSkipped);
        Assert.All(staging.Reasons.Values, reason => Assert.Equal("schema staging/distrokid_streams.json changed", reason));
        Assert.DoesNotContain(staging.Reasons.Keys, key => key.Contains("/sales/", StringComparison.Ordinal));
        Assert.Equal(0, run.Step(BedrotPipeline.ValidateRawStep).ItemsRun);
    }

    [Fact]
    public void Should_Rerun_Everything_When_Forced()
    {
        // Given a built lake
        _lake.Run();

        // When forced
        var run = _lake.Run(force: true);

        // Then every item runs, and the raw zone gains no new version
        Assert.All(run.Report.Steps, step => Assert.Equal(0, step.ItemsSkipped));
        Assert.Equal(6, run.Step(BedrotPipeline.ValidateRawStep).Counts["already_in_raw"]);
        Assert.Equal(6, _lake.LakeFiles("raw").Count(f => !f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith(".jsonl", StringComparison.Ordinal)));
    }

    [Fact]
    public void Should_Rebuild_An_Output_That_Went_Missing()
    {
        // Given a built lake whose unified dataset was deleted
        var first = _lake.Run();
        var unified = _lake.LakeFiles("staging/cross_platform").Single(f => f.Contains("streaming_unified_staging", StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(_lake.InLake(unified));
        File.Delete(_lake.InLake(unified));

        // When the build runs
        var run = _lake.Run(explain: true);

        // Then unify reruns for that reason and writes the same bytes
        Assert.Equal($"output missing ({unified})", run.Step(BedrotPipeline.UnifyStep).Reasons["streaming_unified"]);
        Assert.Equal(bytes, File.ReadAllBytes(_lake.InLake(unified)));
        Assert.Equal(0, run.Step(BedrotPipeline.StagePlatformStep).ItemsRun);
        Assert.NotNull(first);
    }

    [Fact]
    public void Should_Retract_Quarantine_Outputs_But_Keep_Raw_When_Landing_Files_Are_Deleted()
    {
        // Given a built lake
        _lake.Run();

        // When the broken file and a promoted file are removed from landing
        File.Delete(_lake.LandingFile("streams_stats_20250610_120000.html"));
        File.Delete(_lake.LandingFile("streams_stats_20250522_085156.html"));
        var run = _lake.Run();

        // Then the quarantine copy is gone, the raw copy stays
        Assert.Equal(2, run.Step(BedrotPipeline.ValidateRawStep).ItemsRetracted);
        Assert.Empty(_lake.LakeFiles("quarantine"));
        Assert.True(File.Exists(_lake.InLake("raw/distrokid/streams/2025/05/streams_stats_20250522_085156.html")));
    }

    [Fact]
    public void Should_Give_Byte_Identical_Outputs_For_The_Same_Inputs()
    {
        // Given two lakes built from the same inputs at the same time
        using var other = new TempLake("distrokid");
        _lake.Run();
        other.Run();

        // Then every staging output is byte for byte the same
        var files = _lake.LakeFiles("staging").ToList();
        Assert.Equal(files, other.LakeFiles("staging").ToList());
        Assert.All(files, file => Assert.Equal(File.ReadAllBytes(_lake.InLake(file)), File.ReadAllBytes(other.InLake(file))));
    }

    private void EditSchema(string relative, Action<JObject> edit)
    {
        var path = Path.Combine(_lake.Schemas, relative);
        var schema = JObject.Parse(File.ReadAllText(path));
        edit(schema);
        File.WriteAllText(path, schema.ToString());
    }
}
