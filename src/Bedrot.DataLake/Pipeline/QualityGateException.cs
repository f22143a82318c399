namespace Bedrot.DataLake.Pipeline;

/// <summary>A dataset scored under its threshold and the gate is set to fail.</summary>
public sealed class QualityGateException(string message) : Exception(message);
