namespace Bedrot.DataLake.Lake;

/// <summary>A setting is wrong; the message says which one and how to fix it.</summary>
public sealed class LakeConfigurationException(string message) : Exception(message);
