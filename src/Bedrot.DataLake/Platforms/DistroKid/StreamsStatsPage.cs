using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.DistroKid;

/// <summary>
/// The saved Spotify streams page (<c>streams_stats_*.html</c>): four AmCharts <c>makeChart</c>
/// calls; <c>trend365day</c> holds the account's daily Spotify streams for about a year.
/// </summary>
public sealed partial class StreamsStatsPage : DailySeriesPage
{
    public override string Platform => "distrokid";
    public override string Datatype => "streams";
    public override string Version => "1";
    protected override string Series => "trend365day";

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head) =>
        Encoding.Latin1.GetString(head).Contains("makeChart(\"trendWeekly\"", StringComparison.Ordinal);

    protected override JObject? FindSeries(IReadOnlyList<string> scripts, out string? problem) =>
        PageScripts.Chart(scripts, Series, out problem);

    [GeneratedRegex(@"^streams_stats_\d{8}(_\d{6})?\.html?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
