using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// One kind of export a platform produces: how it is recognised (name and content), validated
/// before promotion, and read into source rows for staging. Each platform folder supplies its own.
/// </summary>
public abstract class RawFileKind
{
    /// <summary>The platform's folder name in every zone (<c>distrokid</c>).</summary>
    public abstract string Platform { get; }

    /// <summary>The raw datatype (<c>sales</c>, <c>streams</c>).</summary>
    public abstract string Datatype { get; }

    /// <summary>Bumped whenever validation or reading changes what comes out; part of every fingerprint.</summary>
    public abstract string Version { get; }

    /// <summary>The raw contract under <c>schemas/</c> this kind validates against, if any.</summary>
    public virtual string? Contract => null;

    /// <summary>
    /// For files that arrive together in one folder (an SDK dump): the folder name's pattern. The
    /// folder is validated and promoted as one unit: every member is checked, and one bad member
    /// quarantines them all. Null for files that stand alone.
    /// </summary>
    public virtual System.Text.RegularExpressions.Regex? UnitFolder => null;

    /// <summary>This kind's file name inside its unit folder (<c>campaigns.json</c>).</summary>
    public virtual string? UnitMember => null;

    /// <summary>The validator's name, as recorded in the lineage sidecar.</summary>
    public string Validator => GetType().Name;

    /// <summary>Whether the file name is this kind's name pattern.</summary>
    public abstract bool MatchesName(string fileName);

    /// <summary>Whether the first bytes carry this kind's content fingerprint (header, JSON shape, chart ids).</summary>
    public abstract bool MatchesContent(ReadOnlySpan<byte> head);

    /// <summary>Every problem that keeps the file out of the raw zone; empty when it is valid.</summary>
    public abstract IReadOnlyList<RawProblem> Validate(RawContent content);

    /// <summary>
    /// Whether <see cref="Validate"/> can judge a file from its first lines and <see cref="RawContent.Whole"/>:
    /// a file of such a kind too large to hold in memory is read in pieces, hashed and copied as it is
    /// read, and only its first lines are kept.
    /// </summary>
    public virtual bool ValidatesFromStart => false;

    /// <summary>The file's records, or unreadable-row markers; never throws for bad data.</summary>
    public abstract IEnumerable<SourceRow> Read(RawContent content);
}
