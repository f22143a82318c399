namespace Bedrot.DataLake.Unify;

/// <summary>
/// Streams and revenue of one source, platform and month: in the winning staging rows, removed
/// because a more trusted source reported the same key, and in the unified output. The staging
/// amount less what precedence removed must equal the unified amount.
/// </summary>
public sealed record ControlTotal(string Source, string Platform, string Month)
{
    public long StagingStreams { get; set; }
    public long SupersededStreams { get; set; }
    public long UnifiedStreams { get; set; }
    public decimal StagingRevenue { get; set; }
    public decimal SupersededRevenue { get; set; }
    public decimal UnifiedRevenue { get; set; }

    public bool Reconciles =>
        StagingStreams - SupersededStreams == UnifiedStreams && StagingRevenue - SupersededRevenue == UnifiedRevenue;
}
