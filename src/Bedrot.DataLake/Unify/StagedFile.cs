using Bedrot.DataLake.Incremental;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// A staging file that feeds a unified dataset, with the time of the snapshot it came from and the
/// raw side of its control totals (what the raw file held, and what staging rejected of it).
/// </summary>
public sealed record StagedFile(string Path, string Sha256, string SnapshotAt, string RawPath)
{
    /// <summary>
    /// The raw totals as staging recorded them (<see cref="RawTotal.Serialize"/>): parsed by unify
    /// only when they changed since its last build, not by every run's planning. Set either the text
    /// (its hash is made from it) or <see cref="RawTotalsHash"/> with <see cref="ReadRawTotals"/>.
    /// </summary>
    public string? RawTotals
    {
        get => _rawTotals ??= _readRawTotals?.Invoke();
        init
        {
            _rawTotals = value;
            RawTotalsHash = Hashing.Of(value ?? string.Empty);
        }
    }

    /// <summary>The SHA-256 of <see cref="RawTotals"/> in UTF-8 (of the empty text when there are none).</summary>
    public string RawTotalsHash { get; init; } = NoTotals;

    /// <summary>Reads the raw totals when they are first asked for, for a caller that gives their hash.</summary>
    public Func<string?>? ReadRawTotals
    {
        init => _readRawTotals = value;
    }

    /// <summary>The hash of no raw totals, made once.</summary>
    private static readonly string NoTotals = Hashing.Of(string.Empty);

    private readonly Func<string?>? _readRawTotals;
    private string? _rawTotals;
}

/// <summary>
/// How a dataset's staging files changed since a build: those gone or changed (by lake path), and those
/// new or changed (as they are now), by the staging dataset (platform, name) they belong to.
/// </summary>
public sealed record StagedChanges(IReadOnlySet<string> Gone, ILookup<(string Platform, string Dataset), StagedFile> Added);
