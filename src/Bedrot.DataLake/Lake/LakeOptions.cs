using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Lake;

/// <summary>
/// Every setting of a run, resolved once from the command line, the environment
/// (<c>BEDROT_LAKE</c>, ...) and an optional <c>bedrot.json</c>; the command line wins.
/// </summary>
public sealed record LakeOptions
{
    /// <summary>The option names the product understands, as written on the command line.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["lake", "landing", "schemas", "platform", "force", "explain", "quality-gate", "parallelism", "max-file-mb", "as-of"];

    /// <summary>Options the build tool itself understands (targets, verbosity, dry runs), passed through untouched.</summary>
    public static readonly IReadOnlyList<string> ToolNames =
        ["target", "t", "verbosity", "v", "dryrun", "noop", "whatif", "exclusive", "e", "tree", "showtree",
         "description", "descriptions", "showdescription", "help", "h", "version", "ver", "info", "debug", "d", "config"];

    /// <summary>Refuses an option neither the product nor the build tool knows, naming the known ones.</summary>
    public static void CheckNames(IEnumerable<string> given)
    {
        var unknown = given
            .Where(name => !Names.Contains(name, StringComparer.OrdinalIgnoreCase) && !ToolNames.Contains(name, StringComparer.OrdinalIgnoreCase)
                           && !name.StartsWith("settings_", StringComparison.OrdinalIgnoreCase))
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToList();
        if (unknown.Count > 0)
        {
            throw new LakeConfigurationException(
                $"unknown option(s) {string.Join(", ", unknown.Select(u => "--" + u))}; the options are " +
                $"{string.Join(", ", Names.Select(n => "--" + n))} and --target, --verbosity, --dryrun, --exclusive, --tree.");
        }
    }

    /// <summary>The bundled samples' settings, used when no bedrot.json exists and no landing folder is given.</summary>
    public const string SamplesConfig = "samples/bedrot.json";

    /// <summary>The settings file this run read, or null.</summary>
    public string? ConfigFile { get; init; }

    public required string Lake { get; init; }
    public required string Landing { get; init; }
    public required string Schemas { get; init; }
    public IReadOnlySet<string> Platforms { get; init; } = new HashSet<string>();
    public bool Force { get; init; }
    public bool Explain { get; init; }
    public QualityGateMode QualityGate { get; init; } = QualityGateMode.Fail;
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The quality gate's thresholds: 0.95, or as the <c>quality</c> section of <c>bedrot.json</c> sets per dataset.</summary>
    public Quality.QualityThresholds Thresholds { get; init; } = Quality.QualityThresholds.Standard;

    /// <summary>
    /// The largest landing file read (MB). A larger file is quarantined unread, so one hostile or
    /// mistaken file (a 1 GB single line) cannot exhaust memory.
    /// </summary>
    public int MaxFileMegabytes { get; init; } = 512;

    /// <summary>
    /// The day freshness is judged against (<c>--as-of yyyy-MM-dd</c>); null means the day the run
    /// starts (UTC). The bundled samples' config pins it, so they stay fresh on any later day.
    /// </summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Whether a platform is part of this run (all are when none was named).</summary>
    public bool Includes(string platform) => Platforms.Count == 0 || Platforms.Contains(platform);

    /// <summary>
    /// Resolves the options. <paramref name="arguments"/> holds the command-line values by option
    /// name; <paramref name="environment"/> reads an environment variable; relative paths are taken
    /// from <paramref name="callerDirectory"/> (where the user ran the command) and defaults from
    /// <paramref name="baseDirectory"/> (the repository root).
    /// </summary>
    public static LakeOptions Resolve(
        IReadOnlyDictionary<string, string?> arguments,
        Func<string, string?> environment,
        string baseDirectory,
        string? callerDirectory = null)
    {
        var file = ReadConfigFile(arguments, environment, baseDirectory, out var quality, out var configFile);
        string? Get(string name)
        {
            if (arguments.TryGetValue(name, out var value) && value is not null)
            {
                return value;
            }

            var fromEnvironment = environment("BEDROT_" + name.Replace('-', '_').ToUpperInvariant());
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            return file.TryGetValue(name, out var fromFile) ? fromFile : null;
        }

        string PathOf(string name, string fallback) => Get(name) is { } given
            ? Path.GetFullPath(Path.Combine(callerDirectory ?? baseDirectory, given))
            : Path.GetFullPath(Path.Combine(baseDirectory, fallback));

        var options = new LakeOptions
        {
            Lake = PathOf("lake", "data_lake"),
            Landing = PathOf("landing", Path.Combine("samples", "landing")),
            Schemas = PathOf("schemas", "schemas"),
            Platforms = ParsePlatforms(Get("platform")),
            Force = ParseFlag("force", Get("force")),
            Explain = ParseFlag("explain", Get("explain")),
            QualityGate = ParseGate(Get("quality-gate")),
            Parallelism = ParseParallelism(Get("parallelism")),
            MaxFileMegabytes = ParseMegabytes(Get("max-file-mb")),
            AsOf = ParseDate("as-of", Get("as-of")),
            ConfigFile = configFile,
            Thresholds = quality,
        };
        options.Validate();
        return options;
    }

    /// <summary>Checks the settings before any work starts.</summary>
    public void Validate()
    {
        if (!Directory.Exists(Landing))
        {
            throw new LakeConfigurationException(
                $"--landing: the folder '{Landing}' does not exist; pass the folder your exports are downloaded to.");
        }

        if (!Directory.Exists(Schemas))
        {
            throw new LakeConfigurationException(
                $"--schemas: the folder '{Schemas}' does not exist; it must hold raw/, staging/ and mappings/.");
        }

        if (IsInside(Lake, Landing) || IsInside(Landing, Lake))
        {
            throw new LakeConfigurationException(
                $"--lake '{Lake}' and --landing '{Landing}' must not contain each other.");
        }
    }

    private static bool IsInside(string path, string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar;
        var root = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> ReadConfigFile(
        IReadOnlyDictionary<string, string?> arguments, Func<string, string?> environment, string baseDirectory,
        out Quality.QualityThresholds quality, out string? configFile)
    {
        quality = Quality.QualityThresholds.Standard;
        configFile = null;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var given = arguments.TryGetValue("config", out var argument) && argument is not null ? argument : environment("BEDROT_CONFIG");
        string path;
        if (!string.IsNullOrEmpty(given))
        {
            path = Path.GetFullPath(Path.Combine(baseDirectory, given));
            if (!File.Exists(path))
            {
                throw new LakeConfigurationException($"BEDROT_CONFIG: the file '{path}' does not exist.");
            }
        }
        else
        {
            // bedrot.json beside build.sh; without one, a run on the bundled samples (no landing
            // folder given) takes the samples' own settings, which pin --as-of.
            path = Path.GetFullPath(Path.Combine(baseDirectory, "bedrot.json"));
            var landingGiven = arguments.GetValueOrDefault("landing") is not null || !string.IsNullOrEmpty(environment("BEDROT_LANDING"));
            if (!File.Exists(path) && !landingGiven)
            {
                path = Path.GetFullPath(Path.Combine(baseDirectory, SamplesConfig));
            }

            if (!File.Exists(path))
            {
                return values;
            }
        }

        configFile = path;
        JObject root;
        try
        {
            root = JObject.Parse(File.ReadAllText(path));
        }
        catch (Newtonsoft.Json.JsonException error)
        {
            throw new LakeConfigurationException($"{path}: not valid JSON ({error.Message}).");
        }

        quality = Quality.QualityThresholds.Parse(root["quality"], path);
        foreach (var property in root.Properties())
        {
            if (!Names.Contains(property.Name))
            {
                continue; // Other sections (quality thresholds, ...) belong to other readers.
            }

            values[property.Name] = property.Value.Type == JTokenType.Array
                ? string.Join(',', property.Value.Values<string>())
                : property.Value.ToString();
        }

        return values;
    }

    private static HashSet<string> ParsePlatforms(string? value) =>
        (value ?? string.Empty)
            .Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

    private static bool ParseFlag(string name, string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null => false,
        "" or "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new LakeConfigurationException($"--{name}: '{value}' is not true or false."),
    };

    private static QualityGateMode ParseGate(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "fail" => QualityGateMode.Fail,
        "warn" => QualityGateMode.Warn,
        _ => throw new LakeConfigurationException($"--quality-gate: '{value}' is not 'fail' or 'warn'."),
    };

    private static DateOnly? ParseDate(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Equals("today", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var date)
            ? date
            : throw new LakeConfigurationException($"--{name}: '{value}' is not a date as yyyy-MM-dd (or 'today').");
    }

    private static int ParseMegabytes(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return 512;
        }

        return int.TryParse(value, out var n) && n is >= 1 and <= 2000
            ? n
            : throw new LakeConfigurationException($"--max-file-mb: '{value}' is not a whole number of megabytes from 1 to 2000.");
    }

    private static int ParseParallelism(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Environment.ProcessorCount;
        }

        return int.TryParse(value, out var n) && n is >= 1 and <= 256
            ? n
            : throw new LakeConfigurationException($"--parallelism: '{value}' is not a whole number from 1 to 256.");
    }
}
