using Bedrot.DataLake.Lake;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Schemas;

/// <summary>A staging dataset's schema, loaded from <c>schemas/staging/*.json</c>.</summary>
public sealed record TableSchema
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public required IReadOnlyList<FieldSchema> Fields { get; init; }
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];

    /// <summary>Values that mean "no value" in any field (e.g. <c>undefined</c>, <c>NaN</c>, <c>-</c>).</summary>
    public IReadOnlyList<string> MissingValues { get; init; } = [""];

    /// <summary>
    /// For a unified dataset fed by several sources: the sources from most to least trusted. When
    /// two sources report the same key (the primary key without <c>source</c>), only the first
    /// source's row is kept. Empty when every source's rows are kept.
    /// </summary>
    public IReadOnlyList<string> SourcePrecedence { get; init; } = [];

    /// <summary>Soft rules whose breaches are warnings, not rejects (<c>checks</c>).</summary>
    public IReadOnlyList<RowCheck> Checks { get; init; } = [];

    /// <summary>
    /// For a unified dataset: the fields control totals are grouped by (<c>month</c> is the month of
    /// <c>date</c>). Default: source, platform, month.
    /// </summary>
    public IReadOnlyList<string> ControlTotalsBy { get; init; } = ["source", "platform", "month"];

    /// <summary>How fresh the dataset should be (<c>freshness</c>); by default, by the day each file was taken.</summary>
    public FreshnessRule Freshness { get; init; } = FreshnessRule.BySnapshot;

    /// <summary>Everything else in the file (dataset-specific settings such as unify rules).</summary>
    public JObject Document { get; init; } = [];

    public int IndexOf(string field)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Name == field)
            {
                return i;
            }
        }

        throw new LakeConfigurationException($"schemas/{Path}: no field '{field}'.");
    }

    public static TableSchema Load(SchemaCatalog catalog, string relative)
    {
        var document = catalog.Document(relative);
        var fields = new List<FieldSchema>();
        foreach (var field in document["fields"] as JArray ?? throw Problem(relative, "has no 'fields' array"))
        {
            fields.Add(ReadField(relative, (JObject)field));
        }

        var schema = new TableSchema
        {
            Name = (string?)document["name"] ?? System.IO.Path.GetFileNameWithoutExtension(relative),
            Path = relative,
            Fields = fields,
            PrimaryKey = Strings(document["primaryKey"]),
            MissingValues = document["missingValues"] is JArray missing ? Strings(missing) : [""],
            SourcePrecedence = Strings(document["sourcePrecedence"]?["order"]),
            Checks = (document["checks"] as JArray ?? []).OfType<JObject>().Select(c => new RowCheck(
                (string?)c["name"] ?? throw Problem(relative, "has a check without a 'name'"),
                (string?)c["field"] ?? throw Problem(relative, "has a check without a 'field'"),
                Strings(c["ratioOf"]),
                (decimal?)c["tolerance"] ?? 0m,
                (string?)c["description"])
            {
                Minimum = (decimal?)c["between"]?[0],
                Maximum = (decimal?)c["between"]?[1],
            }).ToList(),
            Freshness = ReadFreshness(relative, document["freshness"] as JObject),
            ControlTotalsBy = document["controlTotals"]?["by"] is JArray by ? Strings(by) : ["source", "platform", "month"],
            Document = document,
        };
        foreach (var key in schema.PrimaryKey)
        {
            schema.IndexOf(key);
        }

        foreach (var check in schema.Checks)
        {
            schema.IndexOf(check.Field);
            var between = check.Minimum is not null || check.Maximum is not null;
            if (check.From.Count != 2 && !between)
            {
                throw Problem(relative, $"check '{check.Name}' needs 'ratioOf' with two fields or 'between' with a minimum and a maximum");
            }

            if (check.From.Count > 0 && between)
            {
                throw Problem(relative, $"check '{check.Name}' has both 'ratioOf' and 'between'; give one");
            }

            check.From.ToList().ForEach(f => schema.IndexOf(f));
        }

        foreach (var derived in fields.Where(f => f.Derived is not null))
        {
            foreach (var source in derived.Derived!.From)
            {
                schema.IndexOf(source);
            }
        }

        if (schema.Freshness.Field is { } periodField
            && schema.Fields[schema.IndexOf(periodField)].Type is not (FieldType.Date or FieldType.YearMonth or FieldType.DateTime))
        {
            throw Problem(relative, $"freshness.field '{periodField}' must be a date, yearmonth or datetime field");
        }

        return schema;
    }

    private static FreshnessRule ReadFreshness(string relative, JObject? freshness)
    {
        if (freshness is null)
        {
            return FreshnessRule.BySnapshot;
        }

        var cadence = (string?)freshness["cadence"] ?? "day";
        if (cadence is not ("day" or "month"))
        {
            throw Problem(relative, $"freshness.cadence must be 'day' or 'month'; found '{cadence}'");
        }

        var lag = (int?)freshness["lagDays"] ?? 2;
        var window = (int?)freshness["window"] ?? (cadence == "day" ? 28 : 3);
        if (lag < 0 || window < 1)
        {
            throw Problem(relative, "freshness.lagDays must be 0 or more and freshness.window 1 or more");
        }

        return new FreshnessRule((string?)freshness["field"], cadence, lag, window);
    }

    private static FieldSchema ReadField(string relative, JObject field)
    {
        var name = (string?)field["name"] ?? throw Problem(relative, "has a field without a 'name'");
        var typeName = (string?)field["type"] ?? "string";
        var type = typeName switch
        {
            "string" => FieldType.String,
            "integer" => FieldType.Integer,
            "number" => FieldType.Number,
            "date" => FieldType.Date,
            "yearmonth" => FieldType.YearMonth,
            "datetime" => FieldType.DateTime,
            _ => throw Problem(relative, $"field '{name}' has unknown type '{typeName}'"),
        };
        var constraints = field["constraints"] as JObject ?? [];
        var derived = field["derived"] as JObject;
        return new FieldSchema
        {
            Name = name,
            Type = type,
            Formats = field["format"] switch
            {
                JArray formats => Strings(formats),
                JValue format => [(string)format!],
                _ => DefaultFormats(type),
            },
            Required = (bool?)constraints["required"] ?? false,
            Minimum = (decimal?)constraints["minimum"],
            Maximum = (decimal?)constraints["maximum"],
            Pattern = (string?)constraints["pattern"],
            MaxLength = (int?)constraints["maxLength"] ?? FieldSchema.DefaultMaxLength,
            Enum = constraints["enum"] is JArray values ? Strings(values) : null,
            Scale = (int?)field["scale"],
            DivideBy = type == FieldType.Number || field["divideBy"] is null
                ? (decimal?)field["divideBy"]
                : throw Problem(relative, $"field '{name}': divideBy applies to number fields only"),
            Aggregate = (string?)field["aggregate"],
            Derived = derived is null
                ? null
                : new DerivedField(
                    (string?)derived["function"] ?? throw Problem(relative, $"field '{name}': derived without 'function'"),
                    Strings(derived["from"]),
                    (string?)derived["table"],
                    (string?)derived["default"]),
        };
    }

    private static List<string> DefaultFormats(FieldType type) => type switch
    {
        FieldType.Date => ["yyyy-MM-dd"],
        FieldType.YearMonth => ["yyyy-MM"],
        FieldType.DateTime => ["yyyy-MM-ddTHH:mm:ssZ"],
        _ => [],
    };

    private static List<string> Strings(JToken? token) =>
        token is JArray array ? array.Select(t => (string)t!).ToList() : [];

    private static LakeConfigurationException Problem(string relative, string what) =>
        new($"schemas/{relative} {what}.");
}
