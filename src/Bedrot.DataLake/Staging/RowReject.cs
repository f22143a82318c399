namespace Bedrot.DataLake.Staging;

/// <summary>A row that broke a hard rule: where it is, which rule, which field, what value.</summary>
public sealed record RowReject(string Locator, string Rule, string Field, string? Value, string Message);
