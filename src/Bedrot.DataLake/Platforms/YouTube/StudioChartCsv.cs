namespace Bedrot.DataLake.Platforms.YouTube;

/// <summary>
/// <c>Chart data.csv</c>: the chart's daily series, one row per day and charted item (a video, or
/// the channel). A chart with nothing charted holds only its header, which is valid. Record: <c>chart</c>.
/// </summary>
public sealed class StudioChartCsv : StudioCsv
{
    public override string Datatype => "studio_chart";
    public override string Version => "1";
    protected override string BaseName => "Chart data";
    protected override IReadOnlyList<string> RequiredColumns { get; } = ["Date"];
    protected override bool MayBeHeaderOnly => true;

    protected override bool HeaderMatches(IReadOnlyList<string> header) =>
        header.Count >= 3 && header[0].Equals("Date", StringComparison.OrdinalIgnoreCase)
        && header.Contains("Content", StringComparer.OrdinalIgnoreCase);

    protected override string RecordOf(IReadOnlyDictionary<string, string?> fields, bool first) => "chart";
}
