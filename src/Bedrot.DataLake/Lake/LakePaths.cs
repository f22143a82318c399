namespace Bedrot.DataLake.Lake;

/// <summary>Where each zone of a lake lives, and how lake-relative paths are written.</summary>
public sealed record LakePaths(string Root)
{
    public string Raw => Path.Combine(Root, "raw");
    public string Ledger => Path.Combine(Raw, "_ledger.jsonl");
    public string Quarantine => Path.Combine(Root, "quarantine");
    public string Staging => Path.Combine(Root, "staging");
    public string Rejects => Path.Combine(Staging, "_rejects");
    public string CrossPlatform => Path.Combine(Staging, "cross_platform");
    public string QualityReports => Path.Combine(Staging, "quality_reports");
    public string Control => Path.Combine(Root, ".bedrot");
    public string State => Path.Combine(Control, "state");
    public string Runs => Path.Combine(Control, "runs");
    public string Logs => Path.Combine(Control, "logs");

    /// <summary>What the steps keep to build from their last build (unify's, under <c>unify/</c>); removed by <c>clean</c>.</summary>
    public string Cache => Path.Combine(Control, "cache");
    public string HashCache => Path.Combine(Control, "hash-cache.json");
    public string LedgerHead => Path.Combine(Control, "ledger-head.json");
    public string Lock => Path.Combine(Control, "lock");

    /// <summary>Present while the lake is as the last run left it when it finished without an error.</summary>
    public string FinishedCleanly => Path.Combine(Control, "finished-cleanly");

    /// <summary>The path relative to the lake root, with forward slashes, as recorded in state.</summary>
    public string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    /// <summary>The full path of a lake-relative path.</summary>
    public string Full(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));
}
