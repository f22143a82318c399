namespace Bedrot.DataLake.Staging;

/// <summary>
/// One record as a parser read it: source field names to text, and where it came from
/// (<c>line 12</c>, <c>trend365day.dataProvider[3]</c>). A row the parser could not read at all
/// carries a <see cref="Problem"/> instead of fields.
/// </summary>
public sealed record SourceRow(string Locator, IReadOnlyDictionary<string, string?> Fields, string? Problem = null)
{
    public static SourceRow Unreadable(string locator, string problem) =>
        new(locator, new Dictionary<string, string?>(), problem);
}
