// The task graph only: arguments become options, and each task is one call into the library.
// All logic lives in src/Bedrot.DataLake, where the tests reach it.
// The library's dependencies are referenced one by one: the script host resolves only what it is given.
#r "../src/Bedrot.DataLake/bin/pipeline/Newtonsoft.Json.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/Namotion.Reflection.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/NJsonSchema.Annotations.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/NJsonSchema.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/CsvHelper.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/HtmlAgilityPack.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/Serilog.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/Serilog.Sinks.Console.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/Serilog.Sinks.File.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/Serilog.Formatting.Compact.dll"
#r "../src/Bedrot.DataLake/bin/pipeline/Bedrot.DataLake.dll"

using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Pipeline;

var target = Argument("target", "quality-report");
var repository = MakeAbsolute(Directory("..")).FullPath;
var arguments = LakeOptions.Names.ToDictionary(
    name => name,
    name => HasArgument(name) ? Argument<string>(name, "") : null);
LakeOptions options;
try
{
    LakeOptions.CheckNames(Context.Arguments.GetArguments().Keys);
    options = LakeOptions.Resolve(arguments, Environment.GetEnvironmentVariable, repository,
        Environment.GetEnvironmentVariable("BEDROT_CALLER_DIR"));
}
catch (LakeConfigurationException error)
{
    Error(error.Message);
    System.Environment.Exit(2);
    throw;
}

BedrotPipeline pipeline = null;

Setup(context =>
{
    try
    {
        BedrotPipeline.StartCompileProfile(options);
        pipeline = BedrotPipeline.Open(options);
    }
    catch (LakeConfigurationException error)
    {
        Error(error.Message);
        System.Environment.Exit(2);
    }
});

Teardown(context =>
{
    if (pipeline is null)
    {
        return;
    }

    var report = pipeline.Complete(context.Successful);
    pipeline.Dispose();
    if (report.ExitCode != 0 && context.Successful)
    {
        throw new Exception("The run finished with errors; see the summary above.");
    }
});

Task("validate-raw")
    .Description("Validate landing files into the raw zone or quarantine.")
    .Does(() => pipeline.ValidateRaw());

Task("stage-platform")
    .Description("Clean raw files into schema-compliant staging datasets.")
    .IsDependentOn("validate-raw")
    .Does(() => pipeline.StagePlatform());

Task("unify")
    .Description("Build the cross-platform datasets.")
    .IsDependentOn("stage-platform")
    .Does(() => pipeline.Unify());

Task("quality-report")
    .Description("Write the quality outputs and apply the quality gate.")
    .IsDependentOn("unify")
    .Does(() => pipeline.QualityReport());

Task("verify-raw")
    .Description("Re-hash the raw zone against its ledger.")
    .Does(() =>
    {
        var problems = pipeline.VerifyRaw();
        if (problems.Count > 0)
        {
            throw new Exception($"verify-raw found {problems.Count} problem(s).");
        }
    });

Task("clean")
    .Description("Remove the derived zones (never raw).")
    .Does(() => pipeline.Clean());

Task("default").IsDependentOn("quality-report");

RunTarget(target);
