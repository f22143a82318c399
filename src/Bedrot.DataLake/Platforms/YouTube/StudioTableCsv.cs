namespace Bedrot.DataLake.Platforms.YouTube;

/// <summary>
/// <c>Table data.csv</c>: one row per value of the report's dimension, after a first <c>Total</c>
/// row. A table by <c>Date</c> has record <c>day</c>; its total row has record <c>total</c> and is
/// set apart (kept in raw, never added to the days). A table by another dimension (content,
/// geography) has record <c>dimension</c> and stays in raw.
/// </summary>
public sealed class StudioTableCsv : StudioCsv
{
    public override string Datatype => "studio_table";
    public override string Version => "1";
    protected override string BaseName => "Table data";
    protected override IReadOnlyList<string> RequiredColumns { get; } = ["Views"];

    protected override bool HeaderMatches(IReadOnlyList<string> header) =>
        header.Contains("Views", StringComparer.OrdinalIgnoreCase)
        && (header.Contains("Watch time (hours)", StringComparer.OrdinalIgnoreCase) || header.Contains("Subscribers", StringComparer.OrdinalIgnoreCase));

    protected override string RecordOf(IReadOnlyDictionary<string, string?> fields, bool first)
    {
        var dimension = fields.Keys.FirstOrDefault(k => k != "channel");
        var value = dimension is null ? null : fields[dimension]?.Trim();
        if (string.Equals(value, "Total", StringComparison.OrdinalIgnoreCase))
        {
            return "total";
        }

        return fields.ContainsKey("Date") ? "day" : "dimension";
    }
}
