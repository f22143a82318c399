namespace Bedrot.DataLake.Staging;

/// <summary>
/// One record as a parser read it: source field names to text, and where it came from
/// (<c>line 12</c>, <c>trend365day.dataProvider[3]</c>). A row the parser could not read at all
/// carries a <see cref="Problem"/> instead of fields. A file that holds several kinds of record
/// (daily series and per-track totals) tags each with its <see cref="Record"/> type, and each
/// staging dataset takes the record types its mapping names.
/// </summary>
public sealed record SourceRow(string Locator, IReadOnlyDictionary<string, string?> Fields, string? Problem = null)
{
    public string? Record { get; init; }

    public static SourceRow Unreadable(string locator, string problem) =>
        new(locator, new Dictionary<string, string?>(), problem);
}
