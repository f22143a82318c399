using System.Text.RegularExpressions;
using Bedrot.DataLake.Staging;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.TooLost;

/// <summary>
/// TooLost's Spotify analytics reply (<c>toolost_spotify_*.json</c>, also saved as
/// <c>toolost_analytics_*.json</c>): <c>{"streams": [{date, streams}], "discovery": [{date, streams, fees}]}</c>,
/// counts and fees as strings, dates unsorted. One <c>daily</c> record per series and day.
/// </summary>
public sealed partial class SpotifySeriesJson : JsonExport
{
    public override string Platform => "toolost";
    public override string Datatype => "spotify";
    public override string Version => "1";
    public override string Contract => "raw/toolost_spotify.schema.json";

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head)
    {
        var text = HeadText(head);
        return ShapePattern().IsMatch(text) && !text.Contains("\"totalStreams\"", StringComparison.Ordinal);
    }

    protected override IEnumerable<SourceRow> Rows(JToken document) =>
        ArrayRows(document, "streams", "daily", new Dictionary<string, string?> { ["series"] = "streams" })
            .Concat(ArrayRows(document, "discovery", "daily", new Dictionary<string, string?> { ["series"] = "discovery" }));

    [GeneratedRegex(@"^toolost_(spotify|analytics)_\d{8}_\d{6}\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\s*\{\s*""(streams|discovery)""\s*:\s*\[", RegexOptions.CultureInvariant)]
    private static partial Regex ShapePattern();
}
