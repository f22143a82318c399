namespace Bedrot.DataLake.Unify;

/// <summary>Streams and revenue of one source, platform and month, before and after unifying.</summary>
public sealed record ControlTotal(string Source, string Platform, string Month)
{
    public long StagingStreams { get; set; }
    public long UnifiedStreams { get; set; }
    public decimal StagingRevenue { get; set; }
    public decimal UnifiedRevenue { get; set; }

    public bool Reconciles => StagingStreams == UnifiedStreams && StagingRevenue == UnifiedRevenue;
}
