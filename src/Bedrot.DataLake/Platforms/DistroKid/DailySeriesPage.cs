using System.Globalization;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.DistroKid;

/// <summary>
/// A saved stats page whose daily series sits in inline JavaScript as a <c>dataProvider</c> array.
/// Subclasses say where the series is; validation checks the page's structure, reading yields one
/// row per array entry with its JSON path as the locator.
/// </summary>
public abstract class DailySeriesPage : RawFileKind
{
    /// <summary>The name of the daily series (chart id or chartData key).</summary>
    protected abstract string Series { get; }

    /// <summary>The object holding the series' <c>dataProvider</c>, or null with a problem.</summary>
    protected abstract JObject? FindSeries(IReadOnlyList<string> scripts, out string? problem);

    public override IReadOnlyList<RawProblem> Validate(RawContent content)
    {
        if (content.Bytes.IsEmpty)
        {
            return [new RawProblem("file", "the file is empty")];
        }

        var scripts = PageScripts.Of(content.Bytes, out var looksLikeHtml);
        if (!looksLikeHtml)
        {
            return [new RawProblem("file", "not an HTML page (no <html>, <head> or <body> element)")];
        }

        var series = FindSeries(scripts, out var problem);
        if (series is null)
        {
            return [new RawProblem("scripts", problem ?? $"no series '{Series}'")];
        }

        if (series["dataProvider"] is not JArray entries)
        {
            return [new RawProblem($"{Series}.dataProvider", "missing or not an array")];
        }

        return entries.Count == 0
            ? [new RawProblem($"{Series}.dataProvider", "the daily series is empty")]
            : [];
    }

    public override IEnumerable<SourceRow> Read(RawContent content)
    {
        var series = FindSeries(PageScripts.Of(content.Bytes, out _), out var problem);
        if (series?["dataProvider"] is not JArray entries)
        {
            yield return SourceRow.Unreadable(Series, problem ?? "no dataProvider array");
            yield break;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var locator = $"{Series}.dataProvider[{i}]";
            if (entries[i] is not JObject entry)
            {
                yield return SourceRow.Unreadable(locator, $"expected an object, found {entries[i].Type}");
                continue;
            }

            var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { ["series"] = Series };
            foreach (var property in entry.Properties())
            {
                fields[property.Name] = property.Value switch
                {
                    JValue { Value: null } => null,
                    JValue value => Convert.ToString(value.Value, CultureInfo.InvariantCulture),
                    var other => other.ToString(Newtonsoft.Json.Formatting.None),
                };
            }

            yield return new SourceRow(locator, fields);
        }
    }
}
