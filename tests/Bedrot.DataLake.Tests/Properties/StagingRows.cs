using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>The staging datasets of each raw file kind, their converters, and what a conversion promises.</summary>
internal static class StagingRows
{
    private static readonly Lazy<IReadOnlyList<(RawFileKind Kind, DatasetMapping Dataset)>> AllDatasets = new(() =>
        PlatformCatalog.Kinds
            .SelectMany(kind => Mapping(kind.Platform).ForRawDatatype(kind.Datatype).Select(dataset => (kind, dataset)))
            .ToList());

    /// <summary>Every (kind, dataset) pair: each staging dataset with a kind that feeds it.</summary>
    public static IReadOnlyList<(RawFileKind Kind, DatasetMapping Dataset)> All => AllDatasets.Value;

    public static PlatformMapping Mapping(string platform) => PlatformMapping.Load(Repository.Schemas, $"mappings/{platform}.json");

    /// <summary>The datasets a kind's rows are staged into (none for kinds kept in raw only).</summary>
    public static IReadOnlyList<DatasetMapping> Datasets(RawFileKind kind) =>
        All.Where(p => p.Kind == kind).Select(p => p.Dataset).ToList();

    /// <summary>A converter for the dataset with the run's context values, as the stager builds it.</summary>
    public static RowConverter Converter(DatasetMapping dataset) =>
        Some.Converter(dataset.Platform, dataset.RawDatatypes[0], dataset.Name);

    /// <summary>
    /// The source fields a dataset reads, each with the staging field it feeds: the mapped ones and
    /// every candidate of a first-of list.
    /// </summary>
    public static IReadOnlyList<(string Source, FieldSchema Target)> SourceFields(DatasetMapping dataset) =>
        dataset.Fields.Select(f => (Source: f.Value, Staging: f.Key))
            .Concat(dataset.FirstOf.SelectMany(f => f.Value.Select(candidate => (Source: candidate, Staging: f.Key))))
            .Select(f => (f.Source, dataset.Schema.Fields.FirstOrDefault(s => s.Name == f.Staging) ?? new FieldSchema { Name = f.Staging }))
            .ToList();

    /// <summary>Converts the row; fails unless it gives exactly one of a full row and a reject with a rule and a message.</summary>
    public static void ConvertsOrRejects(RowConverter converter, SourceRow source)
    {
        var (row, reject) = converter.Convert(source, out var warnings);
        Assert.True(row is null != reject is null, $"expected exactly one of a row and a reject for {source.Locator}; got row {row is not null}, reject {reject}");
        Assert.NotNull(warnings);
        if (row is not null)
        {
            Assert.Equal(converter.Schema.Fields.Count, row.Length);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(reject!.Rule), $"a reject without a rule: {reject}");
            Assert.False(string.IsNullOrWhiteSpace(reject.Message), $"a reject without a message: {reject}");
            Assert.Equal(source.Locator, reject.Locator);
        }

        foreach (var warning in warnings)
        {
            Assert.False(string.IsNullOrWhiteSpace(warning.Rule), $"a warning without a rule: {warning}");
            Assert.False(string.IsNullOrWhiteSpace(warning.Message), $"a warning without a message: {warning}");
        }
    }
}
