using System.Globalization;
using System.Text;

namespace Bedrot.DataLake.Quality;

/// <summary>One line of a chart: a name and a value per day.</summary>
public sealed record DailySeries(string Name, IReadOnlyList<(DateOnly Day, decimal Value)> Points);

/// <summary>
/// The quality report as one self-contained HTML page: inline CSS and inline SVG charts, no
/// scripts, fonts or images from the network, so it opens the same from a CI artifact, an e-mail
/// or a laptop without a connection. The same inputs give the same bytes.
/// </summary>
public static class HtmlReport
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

    public static string Render(
        string date,
        QualityThresholds thresholds,
        string definitions,
        IReadOnlyList<DatasetQuality> datasets,
        IReadOnlyList<(string File, string Reasons)> quarantined,
        IReadOnlyList<DailySeries> streams,
        IReadOnlyList<DailySeries> validityOverTime)
    {
        var failing = datasets.Count(d => !thresholds.Passes(d));
        var threshold = thresholds.Default;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>Data quality ").Append(E(date)).Append("</title>\n<style>\n")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}")
            .Append("h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}")
            .Append(".pass{color:#1a7f37}.fail{color:#cf222e}.muted{color:#666;font-size:.9rem}")
            .Append("table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{padding:.35rem .5rem;border-bottom:1px solid #eee;text-align:left}")
            .Append("td.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font-size:11px;fill:#444}")
            .Append(".legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}")
            .Append("\n</style>\n</head>\n<body>\n");

        html.Append("<h1>Data quality, ").Append(E(date)).Append("</h1>\n<p class=\"")
            .Append(failing == 0 ? "pass\">Pass: every dataset is at or above " : "fail\">Fail: ")
            .Append(failing == 0 ? "its threshold" : $"{failing} dataset(s) under their threshold")
            .Append(thresholds.Datasets.Count == 0 ? $" ({Num(threshold)})" : $" ({Num(threshold)}, or as set per dataset)")
            .Append(".</p>\n<p class=\"muted\">").Append(E(definitions)).Append("</p>\n");

        html.Append("<h2>Datasets</h2>\n<table>\n<tr><th>dataset</th><th>files</th><th>rows in</th><th>rows out</th><th>rejected</th><th>warned</th><th>completeness</th><th>validity</th></tr>\n");
        foreach (var d in datasets)
        {
            html.Append("<tr><td>").Append(E(d.Dataset)).Append("</td>")
                .Append(Cell(d.Files)).Append(Cell(d.RowsIn)).Append(Cell(d.RowsOut)).Append(Cell(d.RowsRejected)).Append(Cell(d.RowsWarned))
                .Append("<td>").Append(ScoreBar(d.Completeness, thresholds.For(d.Dataset))).Append("</td><td>").Append(ScoreBar(d.Validity, thresholds.For(d.Dataset))).Append("</td></tr>\n");
        }

        html.Append("</table>\n");

        html.Append("<h2>Validity over time</h2>\n<p class=\"muted\">Rows kept over rows read, by the day each source file was taken.</p>\n")
            .Append(LineChart(validityOverTime, "validity"));
        html.Append("<h2>Daily streams per platform and source</h2>\n<p class=\"muted\">streaming_unified, day rows of the account or artist (not per track).</p>\n")
            .Append(LineChart(streams, "streams"));

        var rules = datasets.SelectMany(d => d.RejectsByRule.Select(r => (Name: "rejected: " + r.Key, r.Value)))
            .Concat(datasets.SelectMany(d => d.WarningsByCheck.Select(w => (Name: "warned: " + w.Key, w.Value))))
            .GroupBy(r => r.Name, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: g.Sum(r => r.Value)))
            .OrderByDescending(r => r.Value).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        html.Append("<h2>Rejected and warned rows per rule</h2>\n")
            .Append(rules.Count == 0 ? "<p>No row was rejected or warned.</p>\n" : BarChart(rules));

        html.Append("<h2>Quarantined files</h2>\n");
        if (quarantined.Count == 0)
        {
            html.Append("<p>None.</p>\n");
        }
        else
        {
            html.Append("<table>\n<tr><th>landing file</th><th>reasons</th></tr>\n");
            foreach (var (file, reasons) in quarantined)
            {
                html.Append("<tr><td>").Append(E(file)).Append("</td><td>").Append(E(reasons)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string Cell(long value) => $"<td class=\"n\">{value.ToString(CultureInfo.InvariantCulture)}</td>";

    private static string ScoreBar(double score, double threshold)
    {
        var width = (int)Math.Round(Math.Clamp(score, 0, 1) * 100);
        var colour = score >= threshold ? "#2ca02c" : "#d62728";
        return $"<svg width=\"150\" height=\"14\" role=\"img\" aria-label=\"{Num(score)}\"><rect width=\"100\" height=\"10\" y=\"2\" fill=\"#eee\"/>" +
               $"<rect width=\"{width}\" height=\"10\" y=\"2\" fill=\"{colour}\"/><line x1=\"{Num(threshold * 100)}\" x2=\"{Num(threshold * 100)}\" y1=\"0\" y2=\"14\" stroke=\"#222\"/>" +
               $"<text x=\"106\" y=\"11\">{Num(score)}</text></svg>";
    }

    private static string LineChart(IReadOnlyList<DailySeries> series, string what)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
        {
            return $"<p>No {E(what)} to chart.</p>\n";
        }

        const int width = 1000, height = 280, left = 70, right = 20, top = 15, bottom = 35;
        var first = points.Min(p => p.Day).DayNumber;
        var last = Math.Max(points.Max(p => p.Day).DayNumber, first + 1);
        var max = Math.Max(points.Max(p => p.Value), 1m);
        double X(DateOnly day) => left + (double)(day.DayNumber - first) / (last - first) * (width - left - right);
        double Y(decimal value) => top + (1 - (double)(value / max)) * (height - top - bottom);

        var svg = new StringBuilder();
        svg.Append($"<svg viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-label=\"{E(what)} per day\">")
            .Append($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#999\"/>")
            .Append($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#999\"/>")
            .Append($"<text x=\"{left - 6}\" y=\"{top + 4}\" text-anchor=\"end\">{Num(max)}</text>")
            .Append($"<text x=\"{left - 6}\" y=\"{height - bottom}\" text-anchor=\"end\">0</text>")
            .Append($"<text x=\"{left}\" y=\"{height - 12}\">{DateOnly.FromDayNumber(first):yyyy-MM-dd}</text>")
            .Append($"<text x=\"{width - right}\" y=\"{height - 12}\" text-anchor=\"end\">{DateOnly.FromDayNumber(last):yyyy-MM-dd}</text>");
        var legend = new StringBuilder("<p class=\"legend\">");
        for (var i = 0; i < series.Count; i++)
        {
            var colour = Palette[i % Palette.Length];
            var path = string.Join(' ', series[i].Points.OrderBy(p => p.Day).Select(p => $"{Num(X(p.Day))},{Num(Y(p.Value))}"));
            svg.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.6\" points=\"{path}\"><title>{E(series[i].Name)}</title></polyline>");
            legend.Append($"<span><i style=\"background:{colour}\"></i>{E(series[i].Name)}</span>");
        }

        return svg.Append("</svg>\n").ToString() + legend.Append("</p>\n");
    }

    private static string BarChart(IReadOnlyList<(string Name, long Value)> bars)
    {
        const int width = 1000, row = 22, label = 320;
        var max = Math.Max(bars.Max(b => b.Value), 1);
        var svg = new StringBuilder($"<svg viewBox=\"0 0 {width} {bars.Count * row + 6}\" width=\"100%\" role=\"img\" aria-label=\"rows per rule\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var length = (double)bars[i].Value / max * (width - label - 80);
            var colour = bars[i].Name.StartsWith("warned", StringComparison.Ordinal) ? "#ff7f0e" : "#d62728";
            svg.Append($"<text x=\"{label - 8}\" y=\"{i * row + 16}\" text-anchor=\"end\">{E(bars[i].Name)}</text>")
                .Append($"<rect x=\"{label}\" y=\"{i * row + 5}\" width=\"{Num(Math.Max(length, 1))}\" height=\"14\" fill=\"{colour}\"/>")
                .Append($"<text x=\"{Num(label + Math.Max(length, 1) + 6)}\" y=\"{i * row + 16}\">{bars[i].Value.ToString(CultureInfo.InvariantCulture)}</text>");
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static string Num(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Num(decimal value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>HTML-escapes markup characters only: the page is UTF-8, so names keep their letters (Sólveig).</summary>
    private static string E(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
}
