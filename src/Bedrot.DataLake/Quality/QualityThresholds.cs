using System.Globalization;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Schemas;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Quality;

/// <summary>
/// The quality settings of <c>bedrot.json</c>'s <c>quality</c> section: the score each dataset must
/// reach (a default of 0.95 and per-dataset values), how far a score may drop and a row count move
/// from one report to the next before it is flagged, how closely two sources must agree, and each
/// platform's or dataset's freshness lag and window:
/// <code>
/// {"quality": {"threshold": 0.95, "datasets": {"metaads/ads_manager_daily": 0.9},
///              "margins": {"score": 0.02, "rows": 0.25}, "consistency": {"tolerance": 0.02},
///              "freshness": {"distrokid": {"lagDays": 14}, "toolost/analytics": {"window": 7}}}}
/// </code>
/// </summary>
public sealed record QualityThresholds(double Default, IReadOnlyDictionary<string, double> Datasets)
{
    public static QualityThresholds Standard { get; } = new(0.95, new Dictionary<string, double>(StringComparer.Ordinal));

    /// <summary>A score that dropped by more than this since the previous report is flagged.</summary>
    public double ScoreDropMargin { get; init; } = 0.02;

    /// <summary>A dataset whose rows out moved by more than this share since the previous report is flagged.</summary>
    public double RowChangeMargin { get; init; } = 0.25;

    /// <summary>Two sources agree on a measure when they differ by at most this share (or one unit).</summary>
    public double ConsistencyTolerance { get; init; } = 0.02;

    /// <summary>Freshness lag (days) and window (periods) by platform or platform/dataset; null keeps the schema's.</summary>
    public IReadOnlyDictionary<string, (int? LagDays, int? Window)> Freshness { get; init; } =
        new Dictionary<string, (int?, int?)>(StringComparer.Ordinal);

    public double For(string dataset) => Datasets.TryGetValue(dataset, out var threshold) ? threshold : Default;

    /// <summary>Whether every score of a dataset is at or above its threshold.</summary>
    public bool Passes(DatasetQuality dataset) => FailingScores(dataset).Count == 0;

    /// <summary>The scores of a dataset under its threshold, by name.</summary>
    public IReadOnlyList<(string Score, double Value)> FailingScores(DatasetQuality dataset) =>
        DatasetQuality.ScoreNames.Select(name => (name, dataset.ScoreOf(name))).Where(s => s.Item2 < For(dataset.Dataset)).ToList();

    /// <summary>The freshness rule of a dataset (platform/dataset): the schema's, with the dataset's or else the platform's overrides.</summary>
    public FreshnessRule FreshnessFor(string dataset, FreshnessRule schemaRule)
    {
        var platform = dataset.Split('/')[0];
        var byDataset = Freshness.GetValueOrDefault(dataset);
        var byPlatform = Freshness.GetValueOrDefault(platform);
        return schemaRule with
        {
            LagDays = byDataset.LagDays ?? byPlatform.LagDays ?? schemaRule.LagDays,
            Window = byDataset.Window ?? byPlatform.Window ?? schemaRule.Window,
        };
    }

    /// <summary>A stable text of every setting, for fingerprints.</summary>
    public string Fingerprint =>
        string.Join(';', new[]
            {
                "*=" + Text(Default),
                "margin.score=" + Text(ScoreDropMargin),
                "margin.rows=" + Text(RowChangeMargin),
                "consistency.tolerance=" + Text(ConsistencyTolerance),
            }
            .Concat(Datasets.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={Text(d.Value)}"))
            .Concat(Freshness.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"freshness.{f.Key}={f.Value.LagDays}/{f.Value.Window}")));

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads the <c>quality</c> section (null: the standard settings); a value out of range stops the run.</summary>
    public static QualityThresholds Parse(JToken? section, string source)
    {
        if (section is not JObject quality)
        {
            return Standard;
        }

        double Share(JToken token, string where) =>
            token.Type is JTokenType.Float or JTokenType.Integer && (double)token is >= 0 and <= 1
                ? (double)token
                : throw new LakeConfigurationException($"{source}: {where} must be a number from 0 to 1; found {token.ToString(Newtonsoft.Json.Formatting.None)}.");

        int? Whole(JToken? token, string where, int least) =>
            token is null
                ? null
                : token.Type == JTokenType.Integer && (long)token >= least && (long)token <= 100_000
                    ? (int)(long)token
                    : throw new LakeConfigurationException($"{source}: {where} must be a whole number of at least {least}; found {token.ToString(Newtonsoft.Json.Formatting.None)}.");

        var fallback = quality["threshold"] is { } given ? Share(given, "quality.threshold") : Standard.Default;
        var datasets = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in (quality["datasets"] as JObject ?? []).Properties())
        {
            datasets[property.Name] = Share(property.Value, $"quality.datasets.{property.Name}");
        }

        var freshness = new Dictionary<string, (int?, int?)>(StringComparer.Ordinal);
        foreach (var property in (quality["freshness"] as JObject ?? []).Properties())
        {
            var rule = property.Value as JObject
                ?? throw new LakeConfigurationException($"{source}: quality.freshness.{property.Name} must be an object such as {{\"lagDays\": 3, \"window\": 28}}.");
            freshness[property.Name] = (Whole(rule["lagDays"], $"quality.freshness.{property.Name}.lagDays", 0),
                Whole(rule["window"], $"quality.freshness.{property.Name}.window", 1));
        }

        return new QualityThresholds(fallback, datasets)
        {
            ScoreDropMargin = quality["margins"]?["score"] is { } score ? Share(score, "quality.margins.score") : Standard.ScoreDropMargin,
            RowChangeMargin = quality["margins"]?["rows"] is { } rows ? Share(rows, "quality.margins.rows") : Standard.RowChangeMargin,
            ConsistencyTolerance = quality["consistency"]?["tolerance"] is { } tolerance ? Share(tolerance, "quality.consistency.tolerance") : Standard.ConsistencyTolerance,
            Freshness = freshness,
        };
    }
}
