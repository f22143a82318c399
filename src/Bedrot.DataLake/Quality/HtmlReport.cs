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

    /// <summary>Everything one page shows.</summary>
    public sealed record Page(
        string Date,
        string AsOf,
        QualityThresholds Thresholds,
        IReadOnlyDictionary<string, string> Definitions,
        IReadOnlyList<DatasetQuality> Datasets,
        IReadOnlyDictionary<string, double> Overall,
        IReadOnlyList<(string File, string Reasons)> Quarantined,
        IReadOnlyList<DailySeries> Streams,
        IReadOnlyList<DailySeries> ValidityOverTime,
        IReadOnlyList<(DateOnly AsOf, IReadOnlyDictionary<string, double> Scores)> History,
        IReadOnlyList<RunFlag> Flags,
        IReadOnlyList<Disagreement> Disagreements,
        IReadOnlyList<(string Dataset, string File, IReadOnlyList<IReadOnlyDictionary<string, string>> Lines)> Lineage);

    private const int Listed = 50;

    public static string Render(Page page)
    {
        var thresholds = page.Thresholds;
        var datasets = page.Datasets;
        var failing = datasets.Where(d => !thresholds.Passes(d)).ToList();
        var threshold = thresholds.Default;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>Data quality ").Append(E(page.Date)).Append("</title>\n<style>\n")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}")
            .Append("h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}")
            .Append(".pass{color:#1a7f37}.fail{color:#cf222e}.muted{color:#666;font-size:.9rem}")
            .Append("table{border-collapse:collapse;width:100%;font-size:.88rem}th,td{padding:.3rem .45rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}")
            .Append("td.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font-size:11px;fill:#444}dt{font-weight:600}dd{margin:0 0 .4rem 1rem}")
            .Append(".legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}")
            .Append("\n</style>\n</head>\n<body>\n");

        html.Append("<h1>Data quality, ").Append(E(page.Date)).Append("</h1>\n<p class=\"")
            .Append(failing.Count == 0 ? "pass\">Pass: every dataset is at or above " : "fail\">Fail: ")
            .Append(failing.Count == 0 ? "its threshold" : $"{failing.Count} dataset(s) under their threshold")
            .Append(thresholds.Datasets.Count == 0 ? $" ({Num(threshold)})" : $" ({Num(threshold)}, or as set per dataset)")
            .Append(". Freshness is judged as of ").Append(E(page.AsOf)).Append(".</p>\n");
        if (failing.Count > 0)
        {
            html.Append("<ul class=\"fail\">\n");
            foreach (var d in failing)
            {
                html.Append("<li>").Append(E(d.Dataset)).Append(": ")
                    .Append(E(string.Join("; ", thresholds.FailingScores(d).Select(s =>
                        $"{s.Score} {Num(s.Value)}" + (d.LookAt.GetValueOrDefault(s.Score) is { } where ? $" ({where})" : string.Empty)))))
                    .Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("<p>Overall: ")
            .Append(string.Join(", ", DatasetQuality.ScoreNames.Select(n => $"{n} {Num(page.Overall.GetValueOrDefault(n, 1))}")))
            .Append(".</p>\n<dl class=\"muted\">");
        foreach (var (name, definition) in page.Definitions)
        {
            html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(definition)).Append("</dd>");
        }

        html.Append("</dl>\n");

        html.Append("<h2>Datasets</h2>\n<table>\n<tr><th>dataset</th><th>files</th><th>rows in</th><th>rows out</th><th>rejected</th><th>warned</th>")
            .Append(string.Concat(DatasetQuality.ScoreNames.Select(n => $"<th>{n}</th>"))).Append("</tr>\n");
        foreach (var d in datasets)
        {
            html.Append("<tr><td>").Append(E(d.Dataset)).Append(d.Layer == "unified" ? " <span class=\"muted\">(unified)</span>" : string.Empty).Append("</td>")
                .Append(Cell(d.Files)).Append(Cell(d.RowsIn)).Append(Cell(d.RowsOut)).Append(Cell(d.RowsRejected)).Append(Cell(d.RowsWarned));
            foreach (var name in DatasetQuality.ScoreNames)
            {
                html.Append("<td>").Append(ScoreBar(d.ScoreOf(name), thresholds.For(d.Dataset))).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");

        html.Append("<h2>Scores over time</h2>\n<p class=\"muted\">Overall scores of each report, by its as-of day.</p>\n")
            .Append(LineChart(DatasetQuality.ScoreNames
                .Select(n => new DailySeries(n, page.History.Select(h => (h.AsOf, (decimal)h.Scores.GetValueOrDefault(n, 1))).ToList()))
                .ToList(), "scores", fixedMax: 1m));

        html.Append("<h2>Since the previous report</h2>\n");
        html.Append(page.Flags.Count == 0
            ? $"<p>No score dropped by more than {Num(thresholds.ScoreDropMargin)} and no row count moved by more than {Num(thresholds.RowChangeMargin * 100)}%.</p>\n"
            : "<ul>\n" + string.Concat(page.Flags.Select(f => $"<li>{E(f.Message)}</li>\n")) + "</ul>\n");

        html.Append("<h2>Freshness</h2>\n<table>\n<tr><th>dataset</th><th>judged by</th><th>cadence</th><th>newest</th><th>expected</th><th>score</th><th>gaps</th><th>overlapping files</th></tr>\n");
        foreach (var d in datasets.Where(d => d.Layer == "staging" && d.FreshnessDetail is not null))
        {
            var f = d.FreshnessDetail!;
            html.Append("<tr><td>").Append(E(d.Dataset)).Append("</td><td>").Append(E(f.Basis)).Append("</td><td>")
                .Append(E($"{f.Cadence}, lag {f.LagDays} d, window {f.Window}")).Append("</td><td>").Append(E(f.Newest ?? "none"))
                .Append("</td><td>").Append(E(f.Expected)).Append("</td><td>").Append(ScoreBar(f.Score, thresholds.For(d.Dataset)))
                .Append("</td><td>").Append(f.Gaps.Count == 0 ? "none" : E(string.Join(", ", f.Gaps.Take(8)) + (f.Gaps.Count > 8 ? $" and {f.Gaps.Count - 8} more" : string.Empty)))
                .Append("</td><td class=\"n\">").Append(f.OverlapCount.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        var overlaps = datasets.Where(d => d.Layer == "staging").SelectMany(d => (d.FreshnessDetail?.Overlaps ?? []).Select(o => (d.Dataset, Overlap: o))).ToList();
        if (overlaps.Count > 0)
        {
            html.Append("<h3>Overlapping files</h3>\n<table>\n<tr><th>dataset</th><th>file</th><th>repeats periods first held by</th><th>repeated periods</th><th>resolved by</th></tr>\n");
            foreach (var (dataset, o) in overlaps.Take(Listed))
            {
                html.Append("<tr><td>").Append(E(dataset)).Append("</td><td>").Append(E(o.Second)).Append("</td><td>").Append(E(o.First))
                    .Append(o.OtherFiles > 0 ? E($" and {o.OtherFiles} more") : string.Empty)
                    .Append("</td><td>").Append(E(o.Periods)).Append("</td><td>").Append(E(o.Resolution)).Append("</td></tr>\n");
            }

            html.Append("</table>\n").Append(overlaps.Count > Listed ? $"<p class=\"muted\">{overlaps.Count - Listed} more in the validation summary.</p>\n" : string.Empty);
        }

        html.Append("<h2>Sources that disagree</h2>\n");
        if (page.Disagreements.Count == 0)
        {
            html.Append($"<p>Where two sources report the same key, they agree to within {Num(thresholds.ConsistencyTolerance * 100)}% or one unit.</p>\n");
        }
        else
        {
            html.Append($"<p class=\"muted\">Keys two sources both report whose values differ by more than {Num(thresholds.ConsistencyTolerance * 100)}% and one unit; the more trusted source's value is kept.</p>\n")
                .Append("<table>\n<tr><th>dataset</th><th>key</th><th>measure</th><th>kept</th><th>set aside</th></tr>\n");
            foreach (var x in page.Disagreements.Take(Listed))
            {
                html.Append("<tr><td>").Append(E(x.Dataset)).Append("</td><td>").Append(E(x.Key)).Append("</td><td>").Append(E(x.Measure))
                    .Append("</td><td>").Append(E($"{x.Kept} ({x.KeptSource})")).Append("</td><td>").Append(E($"{x.SetAside} ({x.SetAsideSource})")).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Control totals from raw to unified</h2>\n<p class=\"muted\">Per source, month and measure: raw less rejected must equal staged; staged less what latest-snapshot-wins removed, unify rejected and source precedence set aside must equal unified.</p>\n");
        foreach (var (dataset, file, lines) in page.Lineage)
        {
            var bad = lines.Count(l => l.GetValueOrDefault("status") != "ok");
            html.Append("<h3>").Append(E(dataset)).Append("</h3>\n<p class=\"").Append(bad == 0 ? "pass\">All " : "fail\">")
                .Append(bad == 0 ? $"{lines.Count} lines reconcile" : $"{bad} of {lines.Count} lines do not reconcile").Append(" (").Append(E(file)).Append(").</p>\n")
                .Append("<table>\n<tr><th>source</th><th>month</th><th>measure</th><th>raw</th><th>rejected</th><th>staged</th><th>removed (snapshot)</th><th>set aside (precedence)</th><th>unified</th><th>status</th></tr>\n");
            foreach (var line in lines)
            {
                html.Append("<tr><td>").Append(E(line.GetValueOrDefault("source", ""))).Append("</td><td>").Append(E(line.GetValueOrDefault("month", "")))
                    .Append("</td><td>").Append(E(line.GetValueOrDefault("measure", ""))).Append("</td>");
                foreach (var column in new[] { "raw", "rejected_in_staging", "staged", "removed_latest_snapshot", "set_aside_by_precedence", "unified" })
                {
                    html.Append("<td class=\"n\">").Append(E(line.GetValueOrDefault(column, ""))).Append("</td>");
                }

                html.Append("<td>").Append(E(line.GetValueOrDefault("status", ""))).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Validity over time</h2>\n<p class=\"muted\">Rows kept over rows read, by the day each source file was taken.</p>\n")
            .Append(LineChart(page.ValidityOverTime, "validity"));
        html.Append("<h2>Daily streams per platform and source</h2>\n<p class=\"muted\">streaming_unified, day rows of the account or artist (not per track).</p>\n")
            .Append(LineChart(page.Streams, "streams"));

        var rules = datasets.SelectMany(d => d.RejectsByRule.Select(r => (Name: "rejected: " + r.Key, r.Value)))
            .Concat(datasets.SelectMany(d => d.WarningsByCheck.Select(w => (Name: "warned: " + w.Key, w.Value))))
            .GroupBy(r => r.Name, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: g.Sum(r => r.Value)))
            .OrderByDescending(r => r.Value).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        html.Append("<h2>Rejected and warned rows per rule</h2>\n")
            .Append(rules.Count == 0 ? "<p>No row was rejected or warned.</p>\n" : BarChart(rules));

        html.Append("<h2>Quarantined files</h2>\n");
        if (page.Quarantined.Count == 0)
        {
            html.Append("<p>None.</p>\n");
        }
        else
        {
            html.Append("<table>\n<tr><th>landing file</th><th>reasons</th></tr>\n");
            foreach (var (file, reasons) in page.Quarantined)
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
        var width = (int)Math.Round(Math.Clamp(score, 0, 1) * 60);
        var colour = score >= threshold ? "#2ca02c" : "#d62728";
        return $"<svg width=\"100\" height=\"14\" role=\"img\" aria-label=\"{Num(score)}\"><rect width=\"60\" height=\"10\" y=\"2\" fill=\"#eee\"/>" +
               $"<rect width=\"{width}\" height=\"10\" y=\"2\" fill=\"{colour}\"/><line x1=\"{Num(threshold * 60)}\" x2=\"{Num(threshold * 60)}\" y1=\"0\" y2=\"14\" stroke=\"#222\"/>" +
               $"<text x=\"65\" y=\"11\">{Num(score)}</text></svg>";
    }

    private static string LineChart(IReadOnlyList<DailySeries> series, string what, decimal? fixedMax = null)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
        {
            return $"<p>No {E(what)} to chart.</p>\n";
        }

        const int width = 1000, height = 280, left = 70, right = 20, top = 15, bottom = 35;
        var first = points.Min(p => p.Day).DayNumber;
        var last = Math.Max(points.Max(p => p.Day).DayNumber, first + 1);
        var max = fixedMax ?? Math.Max(points.Max(p => p.Value), 1m);
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
            if (series[i].Points.Count <= 60)
            {
                // Markers, so a series of one point (the first report) still shows.
                foreach (var (day, value) in series[i].Points)
                {
                    svg.Append($"<circle cx=\"{Num(X(day))}\" cy=\"{Num(Y(value))}\" r=\"2.5\" fill=\"{colour}\"/>");
                }
            }
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
