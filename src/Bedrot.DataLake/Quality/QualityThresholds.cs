using System.Globalization;
using Bedrot.DataLake.Lake;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Quality;

/// <summary>
/// The score each dataset must reach: a default (0.95) and per-dataset values, from the
/// <c>quality</c> section of <c>bedrot.json</c>:
/// <c>{"quality": {"threshold": 0.95, "datasets": {"metaads/ads_manager_daily": 0.9}}}</c>.
/// </summary>
public sealed record QualityThresholds(double Default, IReadOnlyDictionary<string, double> Datasets)
{
    public static QualityThresholds Standard { get; } = new(0.95, new Dictionary<string, double>(StringComparer.Ordinal));

    public double For(string dataset) => Datasets.TryGetValue(dataset, out var threshold) ? threshold : Default;

    /// <summary>Whether every score of a dataset is at or above its threshold.</summary>
    public bool Passes(DatasetQuality dataset) =>
        dataset.Completeness >= For(dataset.Dataset) && dataset.Validity >= For(dataset.Dataset);

    /// <summary>A stable text of every threshold, for fingerprints.</summary>
    public string Fingerprint =>
        string.Join(';', new[] { "*=" + Default.ToString(CultureInfo.InvariantCulture) }
            .Concat(Datasets.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value.ToString(CultureInfo.InvariantCulture)}")));

    /// <summary>Reads the <c>quality</c> section (null: the standard thresholds); a value outside [0,1] stops the run.</summary>
    public static QualityThresholds Parse(JToken? section, string source)
    {
        if (section is not JObject quality)
        {
            return Standard;
        }

        double Score(JToken token, string where) =>
            token.Type is JTokenType.Float or JTokenType.Integer && (double)token is >= 0 and <= 1
                ? (double)token
                : throw new LakeConfigurationException($"{source}: {where} must be a number from 0 to 1; found {token.ToString(Newtonsoft.Json.Formatting.None)}.");

        var fallback = quality["threshold"] is { } given ? Score(given, "quality.threshold") : Standard.Default;
        var datasets = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in (quality["datasets"] as JObject ?? []).Properties())
        {
            datasets[property.Name] = Score(property.Value, $"quality.datasets.{property.Name}");
        }

        return new QualityThresholds(fallback, datasets);
    }
}
