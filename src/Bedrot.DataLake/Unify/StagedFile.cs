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
    /// only when they changed since its last build, not by every run's planning.
    /// </summary>
    public string? RawTotals
    {
        get => _rawTotals;
        init
        {
            _rawTotals = value;
            RawTotalsHash = Hashing.Of(value ?? string.Empty);
        }
    }

    /// <summary>The SHA-256 of <see cref="RawTotals"/> (of the empty text when there are none), made once per file and run.</summary>
    public string RawTotalsHash { get; private init; } = Hashing.Of(string.Empty);

    private readonly string? _rawTotals;
}
