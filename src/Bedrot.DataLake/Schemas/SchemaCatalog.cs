using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Schemas;

/// <summary>
/// The files under <c>schemas/</c> (table schemas, raw contracts, mappings, reference tables), each
/// with a fingerprint. A JSON file's fingerprint is over its canonical form without its prose
/// (<c>title</c> and <c>description</c> strings), so editing prose rebuilds nothing; other files are
/// hashed as bytes. A property named <c>title</c> whose value is not a string (a raw contract
/// describing a <c>title</c> column) is kept.
/// </summary>
public sealed class SchemaCatalog
{
    private readonly string _root;
    private readonly Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JObject> _documents = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, NJsonSchema.JsonSchema> _compiled = new(StringComparer.Ordinal);
    private string? _fingerprint;

    private SchemaCatalog(string root) => _root = root;

    public string Root => _root;

    /// <summary>Loads every file under <paramref name="root"/>; a file that is not valid JSON stops the run.</summary>
    public static SchemaCatalog Load(string root)
    {
        var catalog = new SchemaCatalog(root);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                     .OrderBy(f => f, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (relative.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                JObject document;
                try
                {
                    document = JObject.Parse(File.ReadAllText(file));
                }
                catch (JsonReaderException error)
                {
                    throw new LakeConfigurationException(
                        $"schemas/{relative}: line {error.LineNumber}, position {error.LinePosition}: {error.Message}");
                }

                catalog._documents[relative] = document;
                catalog._fingerprints[relative] = Hashing.Of(Canonical(document));
            }
            else
            {
                catalog._fingerprints[relative] = Hashing.OfFile(file);
            }
        }

        return catalog;
    }

    /// <summary>The fingerprint of one schema file, by its path under <c>schemas/</c>.</summary>
    public string FingerprintOf(string relative) =>
        _fingerprints.TryGetValue(relative, out var fingerprint)
            ? fingerprint
            : throw new LakeConfigurationException($"schemas/{relative} is referenced but does not exist.");

    /// <summary>The hash over every file's fingerprint: it changes when any schema, mapping or reference file does.</summary>
    public string Fingerprint => _fingerprint ??= Incremental.Fingerprint.Of(_fingerprints);

    /// <summary>The fingerprints of every file under a folder of <c>schemas/</c>.</summary>
    public IEnumerable<KeyValuePair<string, string>> FingerprintsUnder(string folder) =>
        _fingerprints.Where(f => f.Key.StartsWith(folder + "/", StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal);

    public JObject Document(string relative) =>
        _documents.TryGetValue(relative, out var document)
            ? document
            : throw new LakeConfigurationException($"schemas/{relative} is referenced but does not exist.");

    public IEnumerable<string> DocumentsUnder(string folder) =>
        _documents.Keys.Where(k => k.StartsWith(folder + "/", StringComparison.Ordinal))
            .OrderBy(k => k, StringComparer.Ordinal);

    public string FullPath(string relative) => Path.Combine(_root, relative);

    /// <summary>JSON with sorted keys, no insignificant whitespace, and no prose properties.</summary>
    internal static string Canonical(JToken token)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
        {
            WriteCanonical(writer, token);
        }

        return text.ToString();
    }

    private static bool IsProse(JProperty property) =>
        property.Name is "title" or "description" && property.Value.Type == JTokenType.String;

    /// <summary>A JSON Schema under <c>schemas/</c>, compiled once per run.</summary>
    public NJsonSchema.JsonSchema JsonSchema(string relative) =>
        _compiled.GetOrAdd(relative, path =>
        {
            try
            {
                return NJsonSchema.JsonSchema.FromJsonAsync(Document(path).ToString(Formatting.None))
                    .GetAwaiter().GetResult();
            }
            catch (Exception error) when (error is JsonException or InvalidOperationException or NotSupportedException)
            {
                throw new LakeConfigurationException($"schemas/{path} is not a usable JSON Schema: {error.Message}");
            }
        });

    private static void WriteCanonical(JsonWriter writer, JToken token)
    {
        switch (token)
        {
            case JObject obj:
                writer.WriteStartObject();
                foreach (var property in obj.Properties()
                             .Where(p => !IsProse(p))
                             .OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JArray array:
                writer.WriteStartArray();
                foreach (var element in array)
                {
                    WriteCanonical(writer, element);
                }

                writer.WriteEndArray();
                break;
            default:
                token.WriteTo(writer);
                break;
        }
    }
}
