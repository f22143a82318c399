using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Tests.Support;

/// <summary>Paths of the repository the tests run from, and its schema catalog.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);
    private static readonly Lazy<SchemaCatalog> Catalog = new(() => SchemaCatalog.Load(SchemasFolder));

    /// <summary>The folder holding <c>Bedrot.sln</c>.</summary>
    public static string Root => RootFolder.Value;

    public static string SchemasFolder => Path.Combine(Root, "schemas");

    /// <summary>The real saved DistroKid pages in <c>../shared</c>; absent on machines without that folder.</summary>
    public static string RealDistroKidSamples =>
        Path.GetFullPath(Path.Combine(Root, "..", "shared", "real-samples", "distrokid"));

    /// <summary>The bundled samples' settings file, <c>samples/bedrot.json</c>.</summary>
    public static string SamplesSettings => Path.Combine(Root, "samples", "bedrot.json");

    /// <summary>The day the bundled samples are judged as of: <c>as-of</c> in <c>samples/bedrot.json</c>.</summary>
    public static DateOnly SamplesAsOf => Settings.Value.AsOf;

    /// <summary>The samples' quality settings (freshness lags of the platforms sampled in the first quarter).</summary>
    public static Bedrot.DataLake.Quality.QualityThresholds SamplesThresholds => Settings.Value.Thresholds;

    private static readonly Lazy<(DateOnly AsOf, Bedrot.DataLake.Quality.QualityThresholds Thresholds)> Settings = new(() =>
    {
        var settings = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(SamplesSettings));
        return (DateOnly.ParseExact((string)settings["as-of"]!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Bedrot.DataLake.Quality.QualityThresholds.Parse(settings["quality"], SamplesSettings));
    });

    /// <summary>The project's own <c>schemas/</c>, loaded once (a loaded catalog is read-only).</summary>
    public static SchemaCatalog Schemas => Catalog.Value;

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Bedrot.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains Bedrot.sln.");
    }
}
