using Bedrot.DataLake.Incremental;

namespace Bedrot.DataLake.Pipeline;

/// <summary>The machine-readable account of one run, written to <c>.bedrot/runs/</c> and <c>last-run.json</c>.</summary>
public sealed record RunReport(
    string Started,
    string Finished,
    double Seconds,
    string Lake,
    string Landing,
    string Status,
    int ExitCode,
    IReadOnlyList<StepReport> Steps,
    IReadOnlyList<string> IgnoredLandingFiles,
    int FilesHashed);
