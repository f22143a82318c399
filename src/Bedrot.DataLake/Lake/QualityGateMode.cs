namespace Bedrot.DataLake.Lake;

/// <summary>What a score under its threshold does to the run.</summary>
public enum QualityGateMode
{
    /// <summary>The quality-report target fails.</summary>
    Fail,

    /// <summary>The run only warns.</summary>
    Warn,
}
