using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Quality;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Quality;

/// <summary>Quality thresholds per dataset, from the <c>quality</c> section of <c>bedrot.json</c>.</summary>
public sealed class QualityThresholdsTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Should_Read_A_Default_And_Per_Dataset_Thresholds_From_The_Config_File()
    {
        // Given a bedrot.json with a quality section
        var options = Resolve("""{"quality": {"threshold": 0.97, "datasets": {"metaads/ads_manager_daily": 0.9}}}""");

        // Then the named dataset has its own threshold and every other the default
        Assert.Equal(0.9, options.Thresholds.For("metaads/ads_manager_daily"));
        Assert.Equal(0.97, options.Thresholds.For("distrokid/sales"));
    }

    [Fact]
    public void Should_Use_0_95_Without_A_Quality_Section()
    {
        // Given a bedrot.json without a quality section, Then every dataset's threshold is 0.95
        Assert.Equal(0.95, Resolve("""{"lake": "lake"}""").Thresholds.For("distrokid/sales"));
    }

    [Theory]
    [InlineData("""{"quality": {"threshold": 1.5}}""", "quality.threshold")]
    [InlineData("""{"quality": {"datasets": {"toolost/spotify": "high"}}}""", "quality.datasets.toolost/spotify")]
    public void Should_Refuse_A_Threshold_Outside_0_To_1_Naming_It(string config, string where)
    {
        // When the config holds a threshold that is not a number from 0 to 1, Then the run stops naming it
        var refused = Assert.Throws<LakeConfigurationException>(() => Resolve(config));
        Assert.Contains(where, refused.Message, StringComparison.Ordinal);
        Assert.Contains("bedrot.json", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Pass_The_Gate_For_A_Dataset_Whose_Own_Threshold_It_Meets_And_Rerun_The_Report_When_It_Changes()
    {
        // Given the Meta samples, whose Ads Manager dataset has one bad row in 26 (validity 0.96), gated at 0.97
        using var lake = new TempLake("metaads");
        var strict = lake.Options() with { Thresholds = new QualityThresholds(0.97, new Dictionary<string, double>()) };
        Assert.Throws<QualityGateException>(() => Run(lake, strict));

        // When that dataset alone is given 0.95
        var lenient = strict with
        {
            Thresholds = new QualityThresholds(0.97, new Dictionary<string, double> { ["metaads/ads_manager_daily"] = 0.95 }),
        };
        var report = Run(lake, lenient);

        // Then the gate passes, the quality report reran for the new setting, and the summary states both thresholds
        Assert.Equal(1, report.Steps.Single(s => s.Step == BedrotPipeline.QualityReportStep).ItemsRun);
        var summary = JObject.Parse(File.ReadAllText(Directory.GetFiles(lake.InLake("staging/quality_reports"), "validation_summary_*.json").Single()));
        Assert.Equal("pass", (string?)summary["status"]);
        Assert.Equal(0.97, (double)summary["threshold"]!);
        Assert.Equal(0.95, (double)summary["thresholds_by_dataset"]!["metaads/ads_manager_daily"]!);
    }

    [Fact]
    public void Should_Read_Margins_Tolerance_And_Freshness_Overrides_From_The_Config_File()
    {
        // Given a quality section with margins, a consistency tolerance and freshness overrides
        var options = Resolve("""
            {"quality": {"margins": {"score": 0.05, "rows": 0.5}, "consistency": {"tolerance": 0.1},
                         "freshness": {"distrokid": {"lagDays": 14}, "distrokid/sales": {"lagDays": 90, "window": 6}}}}
            """);
        var thresholds = options.Thresholds;
        var schemaRule = new Bedrot.DataLake.Schemas.FreshnessRule("date", "day", 2, 28);

        // Then each is read, the dataset's override beats the platform's, and the schema's rule fills the rest
        Assert.Equal((0.05, 0.5, 0.1), (thresholds.ScoreDropMargin, thresholds.RowChangeMargin, thresholds.ConsistencyTolerance));
        Assert.Equal(schemaRule with { LagDays = 14 }, thresholds.FreshnessFor("distrokid/streams", schemaRule));
        Assert.Equal(schemaRule with { LagDays = 90, Window = 6 }, thresholds.FreshnessFor("distrokid/sales", schemaRule));
        Assert.Equal(schemaRule, thresholds.FreshnessFor("toolost/spotify", schemaRule));
        Assert.NotEqual(QualityThresholds.Standard.Fingerprint, thresholds.Fingerprint);
    }

    [Theory]
    [InlineData("""{"quality": {"margins": {"score": -0.1}}}""", "quality.margins.score")]
    [InlineData("""{"quality": {"consistency": {"tolerance": 2}}}""", "quality.consistency.tolerance")]
    [InlineData("""{"quality": {"freshness": {"toolost": {"lagDays": -1}}}}""", "quality.freshness.toolost.lagDays")]
    [InlineData("""{"quality": {"freshness": {"toolost": {"window": 0}}}}""", "quality.freshness.toolost.window")]
    [InlineData("""{"quality": {"freshness": {"toolost": 3}}}""", "quality.freshness.toolost")]
    public void Should_Refuse_A_Bad_Quality_Setting_Naming_It(string config, string where)
    {
        var refused = Assert.Throws<LakeConfigurationException>(() => Resolve(config));
        Assert.Contains(where, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Read_As_Of_From_The_Config_File_And_Let_The_Command_Line_Override_It()
    {
        // Given a config pinning as-of
        File.WriteAllText(Path.Combine(_folder.Path, "bedrot.json"), """{"as-of": "2025-06-02"}""");
        Directory.CreateDirectory(Path.Combine(_folder.Path, "samples", "landing"));
        Directory.CreateDirectory(Path.Combine(_folder.Path, "schemas"));

        // Then it is read, the command line wins, 'today' means the run's own day, and a non-date stops the run
        Assert.Equal(new DateOnly(2025, 6, 2), LakeOptions.Resolve(new Dictionary<string, string?>(), _ => null, _folder.Path).AsOf);
        Assert.Equal(new DateOnly(2026, 1, 31), LakeOptions.Resolve(new Dictionary<string, string?> { ["as-of"] = "2026-01-31" }, _ => null, _folder.Path).AsOf);
        Assert.Null(LakeOptions.Resolve(new Dictionary<string, string?> { ["as-of"] = "today" }, _ => null, _folder.Path).AsOf);
        var refused = Assert.Throws<LakeConfigurationException>(() =>
            LakeOptions.Resolve(new Dictionary<string, string?> { ["as-of"] = "31/01/2026" }, _ => null, _folder.Path));
        Assert.Contains("--as-of", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Take_The_Samples_Settings_Only_For_A_Run_On_The_Samples()
    {
        // Given no bedrot.json beside build.sh, and the samples' own settings pinning as-of
        Directory.CreateDirectory(Path.Combine(_folder.Path, "samples", "landing"));
        Directory.CreateDirectory(Path.Combine(_folder.Path, "schemas"));
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder.Path, "exports")).FullName;
        File.WriteAllText(Path.Combine(_folder.Path, "samples", "bedrot.json"), """{"as-of": "2025-06-02"}""");

        // When no landing folder is given, Then the samples' settings apply
        var onSamples = LakeOptions.Resolve(new Dictionary<string, string?>(), _ => null, _folder.Path);
        Assert.Equal(new DateOnly(2025, 6, 2), onSamples.AsOf);
        Assert.EndsWith(Path.Combine("samples", "bedrot.json"), onSamples.ConfigFile, StringComparison.Ordinal);

        // When a label's own landing folder is given, on the command line or in the environment, Then they do not: as-of is today
        Assert.Null(LakeOptions.Resolve(new Dictionary<string, string?> { ["landing"] = elsewhere }, _ => null, _folder.Path).AsOf);
        Assert.Null(LakeOptions.Resolve(new Dictionary<string, string?>(), name => name == "BEDROT_LANDING" ? elsewhere : null, _folder.Path).AsOf);

        // And the repository's own samples/bedrot.json pins a date
        Assert.NotNull(LakeOptions.Resolve(new Dictionary<string, string?>(), _ => null, Repository.Root).AsOf);
    }

    private static RunReport Run(TempLake lake, LakeOptions options)
    {
        using var pipeline = BedrotPipeline.Open(options, new FixedTime(lake.Now), new Serilog.LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        pipeline.StagePlatform();
        pipeline.Unify();
        pipeline.QualityReport();
        return pipeline.Complete(succeeded: true);
    }

    private LakeOptions Resolve(string config)
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "samples", "landing"));
        Directory.CreateDirectory(Path.Combine(_folder.Path, "schemas"));
        File.WriteAllText(Path.Combine(_folder.Path, "bedrot.json"), config);
        return LakeOptions.Resolve(new Dictionary<string, string?>(), _ => null, _folder.Path);
    }
}
