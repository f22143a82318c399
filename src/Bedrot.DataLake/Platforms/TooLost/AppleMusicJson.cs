using System.Text.RegularExpressions;
using Bedrot.DataLake.Staging;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.TooLost;

/// <summary>
/// TooLost's Apple Music analytics reply (<c>toolost_apple_*.json</c>, also saved as
/// <c>toolost_analytics_*.json</c>): daily <c>totalStreams</c> (integers) and <c>totalShazam</c>
/// (strings), per-track totals with ISRC, per-country totals and <c>streamTotal</c>. Records:
/// <c>daily</c> (one per series and day), <c>track</c> and <c>country</c>.
/// </summary>
public sealed partial class AppleMusicJson : JsonExport
{
    public override string Platform => "toolost";
    public override string Datatype => "apple";
    public override string Version => "1";
    public override string Contract => "raw/toolost_apple.schema.json";

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head) => ShapePattern().IsMatch(HeadText(head));

    protected override IEnumerable<SourceRow> Rows(JToken document) =>
        ArrayRows(document, "totalStreams", "daily", new Dictionary<string, string?> { ["measure"] = "streams" })
            .Concat(ArrayRows(document, "totalShazam", "daily", new Dictionary<string, string?> { ["measure"] = "shazams" }))
            .Concat(ArrayRows(document, "tracksTotal", "track"))
            .Concat(ArrayRows(document, "countryTotal", "country"));

    [GeneratedRegex(@"^toolost_(apple|analytics)_\d{8}_\d{6}\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\s*\{\s*""(totalStreams|totalShazam|tracksTotal|countryTotal|streamTotal)""\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex ShapePattern();
}
