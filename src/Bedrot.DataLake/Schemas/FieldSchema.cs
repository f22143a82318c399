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

    /// <summary>
    /// The longest text a string field takes (<c>constraints.maxLength</c>); 1,000 characters when
    /// the schema says nothing, so a runaway field (a megabyte of junk in a title) is rejected.
    /// </summary>
    public int MaxLength { get; init; } = DefaultMaxLength;

    public const int DefaultMaxLength = 1000;
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>
    /// A number the source states in other units is divided by this once read: 100 turns a
    /// percentage into a fraction, or cents into dollars.
    /// </summary>
    public decimal? DivideBy { get; init; }

    /// <summary>Decimal places a derived number is rounded to.</summary>
    public int? Scale { get; init; }

    /// <summary>How rows with the same primary key combine this field in a unified dataset (<c>sum</c>), or null.</summary>
    public string? Aggregate { get; init; }

    /// <summary>How the field is computed from other fields, when it is not read from the source.</summary>
    public DerivedField? Derived { get; init; }
}

/// <summary>A field computed from others: <c>year</c>, <c>month</c>, <c>day_of_week</c>,
/// <c>ratio</c>, <c>sum</c> (empty when any part is), <c>key</c>, <c>month_start</c>, <c>span</c> (<c>day</c> when two dates are equal,
/// else <c>range</c>) or <c>lookup</c> (in a reference table).</summary>
public sealed record DerivedField(string Function, IReadOnlyList<string> From, string? Table, string? Default);

/// <summary>
/// A soft rule over a staged row, of one of two kinds. A consistency check (<c>ratioOf</c>):
/// <see cref="Field"/> should equal <c>From[0] / From[1]</c> within <see cref="Tolerance"/>. A
/// plausibility check (<c>between</c>): <see cref="Field"/> should lie in
/// [<see cref="Minimum"/>, <see cref="Maximum"/>], a business rule such as a plausible revenue per
/// stream. A row that breaks either is kept and reported as a warning with its locator; the first
/// kind counts against the consistency score, the second against accuracy.
/// </summary>
public sealed record RowCheck(string Name, string Field, IReadOnlyList<string> From, decimal Tolerance, string? Description)
{
    public decimal? Minimum { get; init; }
    public decimal? Maximum { get; init; }

    /// <summary>The score a breach lowers: <c>consistency</c> (ratioOf) or <c>accuracy</c> (between).</summary>
    public string Score => From.Count > 0 ? "consistency" : "accuracy";
}

/// <summary>
/// How fresh a dataset should be (<c>freshness</c> in its schema; <c>bedrot.json</c> may override
/// the lag and window per platform or dataset). <see cref="Field"/> holds each row's period (a
/// date, a year-month or a datetime); null means the day each file was taken. <see cref="Cadence"/>
/// is <c>day</c> or <c>month</c>: one period is expected per day or per month. The newest period
/// should be no older than the one holding <c>as-of</c> minus <see cref="LagDays"/>, and the last
/// <see cref="Window"/> periods up to it should all be present.
/// </summary>
public sealed record FreshnessRule(string? Field, string Cadence, int LagDays, int Window)
{
    /// <summary>For a dataset whose schema says nothing: the newest file must be at most a week old.</summary>
    public static FreshnessRule BySnapshot { get; } = new(null, "day", 7, 1);
}
