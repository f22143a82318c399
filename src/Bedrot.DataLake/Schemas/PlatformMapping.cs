using Bedrot.DataLake.Lake;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Schemas;

/// <summary>How one platform's source fields become staging fields, from <c>schemas/mappings/&lt;platform&gt;.json</c>.</summary>
public sealed record PlatformMapping(
    string Platform, string Path, IReadOnlyList<DatasetMapping> Datasets, IReadOnlyList<UnifySource> Unify)
{
    /// <summary>The datasets a raw datatype is staged into (several when a file holds several kinds of record).</summary>
    public IReadOnlyList<DatasetMapping> ForRawDatatype(string datatype) =>
        Datasets.Where(d => d.RawDatatypes.Contains(datatype)).ToList();

    public static PlatformMapping Load(SchemaCatalog catalog, string relative)
    {
        var document = catalog.Document(relative);
        var platform = (string?)document["platform"]
            ?? throw new LakeConfigurationException($"schemas/{relative} has no 'platform'.");
        var datasets = new List<DatasetMapping>();
        foreach (var entry in document["datasets"] as JArray ?? [])
        {
            var dataset = (JObject)entry;
            var name = (string?)dataset["name"]
                ?? throw new LakeConfigurationException($"schemas/{relative}: a dataset has no 'name'.");
            var schemaPath = (string?)dataset["schema"]
                ?? throw new LakeConfigurationException($"schemas/{relative}: dataset '{name}' has no 'schema'.");
            datasets.Add(new DatasetMapping(
                platform,
                name,
                Strings(dataset["rawDatatypes"]),
                TableSchema.Load(catalog, schemaPath),
                Pairs(dataset["fields"]),
                Pairs(dataset["constants"]),
                relative)
            {
                FirstOf = dataset["fields"] is JObject fieldMap
                    ? fieldMap.Properties().Where(p => p.Value is JArray)
                        .ToDictionary(p => p.Name, p => (IReadOnlyList<string>)Strings(p.Value), StringComparer.Ordinal)
                    : new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal),
                Records = Strings(dataset["records"]),
                Folder = (string?)dataset["folder"] ?? $"{platform}/{name}",
                FilePrefix = (string?)dataset["filePrefix"] ?? $"{platform}_{name}",
            });
        }

        var unify = new List<UnifySource>();
        foreach (var entry in document["unify"] as JArray ?? [])
        {
            var source = (JObject)entry;
            var datasetName = (string?)source["dataset"];
            var dataset = datasets.FirstOrDefault(d => d.Name == datasetName)
                ?? throw new LakeConfigurationException($"schemas/{relative}: unify names unknown dataset '{datasetName}'.");
            unify.Add(new UnifySource(
                (string?)source["target"] ?? throw new LakeConfigurationException($"schemas/{relative}: a unify entry has no 'target'."),
                dataset,
                Strings(source["snapshot"]),
                Pairs(source["columns"]))
            {
                Where = Pairs(source["where"]),
                Present = Strings(source["present"]),
            });
        }

        return new PlatformMapping(platform, relative, datasets, unify);
    }

    private static List<string> Strings(JToken? token) =>
        token is JArray array ? array.Select(t => (string)t!).ToList() : [];

    private static Dictionary<string, string> Pairs(JToken? token) =>
        token is JObject obj
            ? obj.Properties().Where(p => p.Value is not JArray).ToDictionary(p => p.Name, p => (string)p.Value!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>One staging dataset of a platform: which raw datatypes feed it and how fields map.</summary>
/// <param name="Fields">Staging field name to source field name.</param>
/// <param name="Constants">Staging field name to a fixed value.</param>
public sealed record DatasetMapping(
    string Platform,
    string Name,
    IReadOnlyList<string> RawDatatypes,
    TableSchema Schema,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyDictionary<string, string> Constants,
    string MappingPath)
{
    /// <summary>
    /// Staging fields read from the first of several source fields that has a value, in order
    /// (a field mapped to a list in the mapping file).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FirstOf { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>The record types of the source rows this dataset takes; empty takes every row.</summary>
    public IReadOnlyList<string> Records { get; init; } = [];

    /// <summary>The dataset's folder under <c>staging/</c> (<c>social_media/spotify</c>); default <c>platform/name</c>.</summary>
    public string Folder { get; init; } = $"{Platform}/{Name}";

    /// <summary>The start of its file names (<c>spotify_audience</c>); default <c>platform_name</c>.</summary>
    public string FilePrefix { get; init; } = $"{Platform}_{Name}";

    /// <summary>Whether a source row belongs to this dataset (unreadable rows without a type go to every dataset).</summary>
    public bool Takes(Staging.SourceRow row) =>
        Records.Count == 0 || row.Record is null || Records.Contains(row.Record);
}

/// <summary>
/// How a staging dataset feeds a unified dataset: the columns (a staging field, or <c>=constant</c>)
/// and the snapshot partition on which the newest snapshot wins. <see cref="Where"/> keeps only the
/// staging rows whose fields have the given values (TooLost's Shazam counts are not streams);
/// <see cref="Present"/> keeps only the rows that have a value in each of the given fields (a day
/// TikTok reported as <c>undefined</c> has no measurement to put in a long table).
/// </summary>
public sealed record UnifySource(
    string Target, DatasetMapping Dataset, IReadOnlyList<string> Snapshot, IReadOnlyDictionary<string, string> Columns)
{
    public IReadOnlyDictionary<string, string> Where { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<string> Present { get; init; } = [];
}
