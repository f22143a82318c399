namespace Bedrot.DataLake.Tests.Support;

/// <summary>
/// Small saved DistroKid stats pages built in memory, shaped like the real ones: the data sits in
/// inline scripts among unrelated ones, after an external script.
/// </summary>
internal static class StatsPages
{
    /// <summary>A streams page whose <c>trend365day</c> chart object is <paramref name="chart"/>.</summary>
    public static string Streams(string chart, string lineEnd = "\r\n") => Lines(lineEnd,
        "<!DOCTYPE html>",
        "<html>",
        "<head>",
        "<title>DistroKid stats</title>",
        "<script src=\"/js/amcharts/amcharts.js\"></script>",
        "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>",
        "</head>",
        "<body>",
        "<div id=\"trendWeekly\"></div>",
        "<script>",
        "var trendWeekly = AmCharts.makeChart(\"trendWeekly\",",
        "{\"type\": \"serial\", \"dataProvider\": [{\"category\": \"31/25\",\"column-1\": 900},]});",
        "</script>",
        "<script>",
        "AmCharts.ready(function() {",
        "var trend365day = AmCharts.makeChart(\"trend365day\",",
        chart,
        ");",
        "trend365day.addListener(\"clickGraphItem\", graphClick);",
        "});",
        "</script>",
        "</body>",
        "</html>");

    /// <summary>An Apple Music page whose <c>chartData</c> object is <paramref name="chartData"/>.</summary>
    public static string AppleMusic(string chartData, string lineEnd = "\n") => Lines(lineEnd,
        "<!DOCTYPE html>",
        "<html>",
        "<head><script src=\"/js/amcharts/amcharts.js\"></script></head>",
        "<body>",
        "<script>var unrelated = {\"a\": [1, 2]};</script>",
        "<script>",
        "var chartData = " + chartData + ";",
        "AmCharts.makeChart(\"chartdiv\", chartData.byMonth);",
        "</script>",
        "</body>",
        "</html>");

    private static string Lines(string lineEnd, params string[] lines) => string.Join(lineEnd, lines) + lineEnd;
}
