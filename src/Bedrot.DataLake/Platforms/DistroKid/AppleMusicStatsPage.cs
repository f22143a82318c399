using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.DistroKid;

/// <summary>
/// The saved Apple Music page (<c>applemusic_stats_*.html</c>): one <c>var chartData = {...}</c>
/// with about 14 series; <c>last365days</c> is the daily series (ISO dates).
/// </summary>
public sealed partial class AppleMusicStatsPage : DailySeriesPage
{
    public override string Platform => "distrokid";
    public override string Datatype => "applemusic";
    public override string Version => "1";
    protected override string Series => "last365days";

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head) =>
        Encoding.Latin1.GetString(head).Contains("var chartData = {\"byMonth\"", StringComparison.Ordinal);

    protected override JObject? FindSeries(IReadOnlyList<string> scripts, out string? problem)
    {
        var chartData = PageScripts.Variable(scripts, "chartData", out problem);
        if (chartData is null)
        {
            return null;
        }

        if (chartData[Series] is JObject series)
        {
            return series;
        }

        problem = $"chartData has no '{Series}' series (it has: {string.Join(", ", chartData.Properties().Select(p => p.Name))})";
        return null;
    }

    [GeneratedRegex(@"^applemusic_stats_\d{8}(_\d{6})?\.html?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
