namespace Bedrot.DataLake.Lake;

/// <summary>Where each zone of a lake lives, and how lake-relative paths are written.</summary>
public sealed record LakePaths(string Root)
{
    /// <summary>The lake's folder.</summary>
    public string Root
    {
        get;
        init
        {
            field = value;
            _prefix = PrefixOf(value);
        }
    } = Root;

    /// <summary>The root's full path with a separator after it (a function of <see cref="Root"/>, so equal lakes stay equal).</summary>
    private string _prefix = PrefixOf(Root);

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
    /// <remarks>A full path under the root whose rest is plain (see <see cref="IsPlain"/>) is cut, not resolved: the same text, without a string per step of the way.</remarks>
    public string Relative(string fullPath) =>
        fullPath.Length > _prefix.Length && fullPath.StartsWith(_prefix, StringComparison.Ordinal) && IsPlain(fullPath.AsSpan(_prefix.Length))
            ? fullPath[_prefix.Length..]
            : Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    /// <summary>The full path of a lake-relative path.</summary>
    /// <remarks>A plain path (as recorded paths are) is joined to the root's full path, not resolved: the same text, without three strings on the way.</remarks>
    public string Full(string relativePath) =>
        IsPlain(relativePath) ? string.Concat(_prefix, relativePath) : Path.GetFullPath(Path.Combine(Root, relativePath));

    /// <summary>
    /// Whether a relative path is one that resolving leaves as it is, on a system whose separator is
    /// '/': not empty, not rooted, no segment that starts with a dot (so no '.' or '..'), no empty
    /// segment, no backslash, no separator at the end.
    /// </summary>
    private static bool IsPlain(ReadOnlySpan<char> relative) =>
        Path.DirectorySeparatorChar == '/' && relative.Length > 0 && relative[0] != '/' && relative[0] != '.'
        && !relative.Contains("/.", StringComparison.Ordinal) && !relative.Contains("//", StringComparison.Ordinal)
        && !relative.Contains('\\') && relative[^1] != '/';

    private static string PrefixOf(string root)
    {
        var full = Path.GetFullPath(root);
        return Path.EndsInDirectorySeparator(full) ? full : full + Path.DirectorySeparatorChar;
    }
}
