using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Schemas;
using CsvHelper;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// Lookup tables under <c>schemas/reference/</c>: two-column CSVs (<c>key,value</c>) matched on the
/// normalised key of a value, so <c>"Apple  Music"</c> and <c>"apple music"</c> find the same row.
/// Safe to share between items staged at the same time: each table is read once.
/// </summary>
public sealed class ReferenceTables(SchemaCatalog catalog)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Dictionary<string, string>>> _tables = new(StringComparer.Ordinal);

    public string? Lookup(string table, string value)
    {
        var rows = _tables.GetOrAdd(table, name => new Lazy<Dictionary<string, string>>(() => Read(name))).Value;
        return rows.TryGetValue(TextNormalizer.Key(value), out var found) ? found : null;
    }

    private Dictionary<string, string> Read(string table)
    {
        var path = catalog.FullPath(table);
        if (!File.Exists(path))
        {
            throw new LakeConfigurationException($"schemas/{table} is referenced but does not exist.");
        }

        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = CsvReader.FromFile(path, new CsvReaderOptions { Separator = ',', HasHeader = true });
        while (reader.Read())
        {
            rows[TextNormalizer.Key(reader.GetString(0))] = reader.GetString(1);
        }

        return rows;
    }
}
