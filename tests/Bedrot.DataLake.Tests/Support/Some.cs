using System.Text;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Tests.Support;

/// <summary>Small builders for the objects most tests need.</summary>
internal static class Some
{
    public const string ProcessedAt = "2025-06-01T09:30:15Z";

    /// <summary>A raw file's content checked against the project's own schemas.</summary>
    public static RawContent Content(string fileName, byte[] bytes) => new(fileName, bytes, Repository.Schemas);

    public static RawContent Content(string fileName, string text) => Content(fileName, Encoding.UTF8.GetBytes(text));

    /// <summary>The DistroKid mapping from the project's own <c>schemas/mappings/distrokid.json</c>.</summary>
    public static PlatformMapping DistroKidMapping() => PlatformMapping.Load(Repository.Schemas, "mappings/distrokid.json");

    /// <summary>A converter for the DistroKid dataset fed by <paramref name="rawDatatype"/>.</summary>
    public static RowConverter DistroKidConverter(string rawDatatype, string sourceFile = "source.file") =>
        Converter("distrokid", rawDatatype, sourceFile: sourceFile);

    /// <summary>
    /// A converter for the dataset of <paramref name="platform"/> fed by <paramref name="rawDatatype"/>
    /// (the named <paramref name="dataset"/> when the datatype feeds several), from the project's own mapping.
    /// </summary>
    public static RowConverter Converter(string platform, string rawDatatype, string? dataset = null, string sourceFile = "source.file")
    {
        var mapping = PlatformMapping.Load(Repository.Schemas, $"mappings/{platform}.json");
        var target = mapping.ForRawDatatype(rawDatatype).SingleOrDefault(d => dataset is null || d.Name == dataset)
            ?? throw new InvalidOperationException($"{platform}.json maps no single dataset for '{rawDatatype}' ({dataset}).");
        return new RowConverter(target, new ReferenceTables(Repository.Schemas), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["source_file"] = sourceFile,
            ["processed_timestamp"] = ProcessedAt,
            ["snapshot_at"] = ProcessedAt,
        });
    }

    /// <summary>A bank-export source row (default values with <paramref name="overrides"/>) at <paramref name="locator"/>.</summary>
    public static SourceRow SalesRow(string locator, params (string Column, string? Value)[] overrides)
    {
        var fields = BankExport.DefaultRow();
        foreach (var (column, value) in overrides)
        {
            fields[column] = value;
        }

        return new SourceRow(locator, fields);
    }

    /// <summary>The value of <paramref name="field"/> in a converted row.</summary>
    public static object? Value(this RowConverter converter, object?[] row, string field) => row[converter.Schema.IndexOf(field)];
}
