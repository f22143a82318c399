namespace Bedrot.DataLake.Quality;

/// <summary>The rows and scores of one staging dataset.</summary>
public sealed record DatasetQuality(string Dataset, int Files, long RowsIn, long RowsOut, long RowsRejected,
    IReadOnlyDictionary<string, long> RejectsByRule)
{
    /// <summary>Rows kept but flagged by a soft check (a stated ctr that disagrees with clicks / impressions), by check.</summary>
    public IReadOnlyDictionary<string, long> WarningsByCheck { get; init; } = new Dictionary<string, long>();

    public long RowsWarned => WarningsByCheck.Values.Sum();

    /// <summary>Rows not rejected for a missing required value, over rows read.</summary>
    public double Completeness => RowsIn == 0 ? 1 : 1 - (double)RejectsByRule.GetValueOrDefault("required") / RowsIn;

    /// <summary>Rows not rejected for any other rule (type, range, pattern, key, structure), over rows read.</summary>
    public double Validity => RowsIn == 0 ? 1 : 1 - (double)(RowsRejected - RejectsByRule.GetValueOrDefault("required")) / RowsIn;
}
