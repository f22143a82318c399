namespace Bedrot.DataLake.Unify;

/// <summary>A staging file that feeds a unified dataset, with the time of the snapshot it came from.</summary>
public sealed record StagedFile(string Path, string Sha256, string SnapshotAt, string RawPath);
