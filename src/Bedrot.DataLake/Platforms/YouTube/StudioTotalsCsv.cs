namespace Bedrot.DataLake.Platforms.YouTube;

/// <summary><c>Totals.csv</c>: the channel's daily total of the report's metric (<c>Date,Views</c>). Record: <c>totals</c>.</summary>
public sealed class StudioTotalsCsv : StudioCsv
{
    public override string Datatype => "studio_totals";
    public override string Version => "1";
    protected override string BaseName => "Totals";
    protected override IReadOnlyList<string> RequiredColumns { get; } = ["Date"];

    protected override bool HeaderMatches(IReadOnlyList<string> header) =>
        header.Count == 2 && header[0].Equals("Date", StringComparison.OrdinalIgnoreCase);

    protected override string RecordOf(IReadOnlyDictionary<string, string?> fields, bool first) => "totals";
}
