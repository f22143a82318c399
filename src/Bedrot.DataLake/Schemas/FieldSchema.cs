namespace Bedrot.DataLake.Schemas;

/// <summary>One field of a table schema: its type, formats, constraints and how it is derived.</summary>
public sealed record FieldSchema
{
    public required string Name { get; init; }
    public FieldType Type { get; init; } = FieldType.String;

    /// <summary>Accepted input formats for dates (.NET custom formats); the first is also the output.</summary>
    public IReadOnlyList<string> Formats { get; init; } = [];

    public bool Required { get; init; }
    public decimal? Minimum { get; init; }
    public decimal? Maximum { get; init; }
    public string? Pattern { get; init; }
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>Decimal places a derived number is rounded to.</summary>
    public int? Scale { get; init; }

    /// <summary>How rows with the same primary key combine this field in a unified dataset (<c>sum</c>), or null.</summary>
    public string? Aggregate { get; init; }

    /// <summary>How the field is computed from other fields, when it is not read from the source.</summary>
    public DerivedField? Derived { get; init; }
}

/// <summary>A field computed from others: <c>year</c>, <c>month</c>, <c>day_of_week</c>,
/// <c>ratio</c>, <c>key</c>, <c>month_start</c> or <c>lookup</c> (in a reference table).</summary>
public sealed record DerivedField(string Function, IReadOnlyList<string> From, string? Table, string? Default);
