namespace Bedrot.DataLake.Raw;

/// <summary>One reason a landing file cannot be promoted: where in the file, and what is wrong.</summary>
public sealed record RawProblem(string Where, string Problem);
