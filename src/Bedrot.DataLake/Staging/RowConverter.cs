using System.Text.RegularExpressions;
using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// Turns a parser's <see cref="SourceRow"/> into a staging row as the dataset's table schema and
/// mapping say: clean text, type, check constraints, derive fields. A row that breaks a hard rule
/// becomes a <see cref="RowReject"/>; the converter never throws for bad data.
/// </summary>
/// <remarks>
/// Everything a row does not change is worked out once, in the constructor: where each field comes
/// from, the indexes a derivation or check reads, the value of a constant. Exports repeat their
/// values (a date, a store, an artist on row after row), so each field also remembers the last text
/// it parsed and the keys and lookups it computed. What it remembers is kept per thread: one
/// converter may serve several threads at once.
/// </remarks>
public sealed class RowConverter
{
    // Built once per pattern for the whole process (a pattern is safe to share between threads): a
    // converter is made per staged file, and building the matcher costs more than most small files.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SchemaPattern> Patterns = new(StringComparer.Ordinal);

    private readonly DatasetMapping _mapping;
    private readonly TableSchema _schema;
    private readonly ReferenceTables _references;
    private readonly IReadOnlyDictionary<string, string> _context;
    private readonly HashSet<string> _missing;
    private readonly CheckPlan[] _checks;

    // What a converter remembers is kept per thread, so one converter may serve several threads.
    private readonly ThreadLocal<Scratch> _scratch;

    /// <param name="context">Values of the run for fields no source provides (<c>source_file</c>, <c>processed_timestamp</c>).</param>
    public RowConverter(DatasetMapping mapping, ReferenceTables references, IReadOnlyDictionary<string, string> context)
    {
        _mapping = mapping;
        _schema = mapping.Schema;
        _references = references;
        _context = context;
        _missing = new HashSet<string>(_schema.MissingValues, StringComparer.Ordinal);
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(_schema.Fields.Select(Plan).ToArray()));
        // This thread's plans are made now, so a schema pattern that does not compile fails as the converter is made.
        _ = _scratch.Value;
        _checks = _schema.Checks.Select(c => new CheckPlan(c, _schema.IndexOf(c.Field),
            c.From.Count == 0 ? -1 : _schema.IndexOf(c.From[0]), c.From.Count == 0 ? -1 : _schema.IndexOf(c.From[1]))).ToArray();
    }

    public TableSchema Schema => _schema;

    /// <summary>A schema pattern, anchored, matched in time linear in the text (see <see cref="SchemaPattern"/>).</summary>
    private static SchemaPattern Pattern(string pattern) => Patterns.GetOrAdd(pattern, p => new SchemaPattern(p));

    /// <summary>Converts one source row into typed values (in schema field order) or a reject.</summary>
    public (object?[]? Row, RowReject? Reject) Convert(SourceRow source) => Convert(source, out _);

    /// <summary>
    /// Converts one source row, and checks the converted row against the schema's soft rules: each
    /// breach is a warning naming the row's locator, the field, its value and what it should have
    /// been. A warned row is kept.
    /// </summary>
    public (object?[]? Row, RowReject? Reject) Convert(SourceRow source, out IReadOnlyList<RowReject> warnings)
    {
        warnings = [];
        if (source.Problem is not null)
        {
            return (null, new RowReject(source.Locator, "structure", string.Empty, null, source.Problem));
        }

        var scratch = _scratch.Value!;
        var stated = scratch.StatedPlaces;
        var values = new object?[scratch.Plans.Length];
        Array.Clear(stated);
        for (var i = 0; i < values.Length; i++)
        {
            var plan = scratch.Plans[i];
            var field = plan.Field;
            if (field.Derived is not null)
            {
                values[i] = DeriveOnce(plan, values);
            }
            else
            {
                var text = RawText(plan, source, scratch);
                if (text is not null)
                {
                    if (field.Type == FieldType.String)
                    {
                        values[i] = text;
                    }
                    else
                    {
                        // The same text gives the same (boxed) value: derivations from it are then recalled too.
                        if (!plan.Parsed.TryGet(text, out var parsed))
                        {
                            var value = Parse(field, text, out var expected);
                            parsed = plan.Parsed.Remember(text, (value, expected, DecimalPlaces(text)));
                        }

                        values[i] = parsed.Value;
                        if (parsed.Value is null)
                        {
                            return Reject(source, "type", field, text, $"expected {parsed.Expected}");
                        }

                        stated[i] = parsed.Places;
                    }
                }
            }

            var broken = Check(plan, values[i]);
            if (broken is not null)
            {
                return Reject(source, broken.Value.Rule, field, FieldValues.Format(field, values[i]), broken.Value.Message);
            }
        }

        if (_checks.Length > 0)
        {
            warnings = Warnings(source, values, stated);
        }

        return (values, null);
    }

    /// <summary>A source text as the field's value: typed, and divided when the source states other units.</summary>
    private static object? Parse(FieldSchema field, string text, out string? expected)
    {
        var value = FieldValues.TryParse(field, text, out expected);
        return field.DivideBy is { } divisor && value is decimal number ? number / divisor : value;
    }

    private IReadOnlyList<RowReject> Warnings(SourceRow source, object?[] row, int[] statedPlaces)
    {
        List<RowReject>? warnings = null;
        foreach (var (check, index, topIndex, bottomIndex) in _checks)
        {
            var field = _schema.Fields[index];
            if (topIndex < 0)
            {
                if (AsDecimal(row[index]) is { } value && (value < check.Minimum || value > check.Maximum))
                {
                    (warnings ??= []).Add(new RowReject(source.Locator, check.Name, field.Name, FieldValues.Format(field, row[index]),
                        $"is outside the plausible range {FieldValues.FormatNumber(check.Minimum ?? value)} to {FieldValues.FormatNumber(check.Maximum ?? value)}"));
                }

                continue;
            }

            if (AsDecimal(row[index]) is not { } stated
                || AsDecimal(row[topIndex]) is not { } top
                || AsDecimal(row[bottomIndex]) is not { } bottom
                || bottom == 0m)
            {
                continue;
            }

            // Beyond rounding: the stated value may be off by one unit of the last digit the source
            // wrote (in its own units, before divideBy), or by the check's tolerance if larger.
            var unit = 1m;
            for (var place = 0; place < statedPlaces[index]; place++)
            {
                unit /= 10m;
            }

            var allowed = Math.Max(check.Tolerance, unit / (field.DivideBy ?? 1m));
            var expected = top / bottom;
            if (Math.Abs(stated - expected) > allowed)
            {
                (warnings ??= []).Add(new RowReject(source.Locator, check.Name, field.Name, FieldValues.Format(field, stated),
                    $"{check.From[0]} / {check.From[1]} is {FieldValues.FormatNumber(Math.Round(expected, 8))}; " +
                    $"the difference is beyond rounding ({FieldValues.FormatNumber(allowed)})"));
            }
        }

        return warnings is null ? [] : warnings;
    }

    /// <summary>How many digits the source wrote after the decimal point (<c>2.500000</c>: 6).</summary>
    private static int DecimalPlaces(string text)
    {
        var point = text.IndexOf('.');
        if (point < 0)
        {
            return 0;
        }

        var places = 0;
        for (var i = point + 1; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            places++;
        }

        return places;
    }

    /// <summary>
    /// One field of a source row, read and typed on its own (no other rule applied), or null when the
    /// row has no readable value for it: how much a row carried, whether or not it was kept.
    /// </summary>
    public object? Peek(SourceRow source, string fieldName)
    {
        var scratch = _scratch.Value!;
        var plan = scratch.Plans[_schema.IndexOf(fieldName)];
        // A row with a structural problem is still read: what it carried counts, though it is rejected.
        if (plan.Field.Derived is not null || RawText(plan, source, scratch) is not { } text)
        {
            return null;
        }

        return Parse(plan.Field, text, out _);
    }

    /// <summary>Where a field's text comes from, worked out once.</summary>
    private FieldPlan Plan(FieldSchema field, int index)
    {
        var plan = new FieldPlan(field, index)
        {
            Enum = field.Enum is { } allowed ? new HashSet<string>(allowed, StringComparer.Ordinal) : null,
            Pattern = field.Pattern is { } pattern ? Pattern(pattern) : null,
            From = field.Derived?.From.Select(_schema.IndexOf).ToArray() ?? [],
        };
        if (field.Derived is not null)
        {
            plan.Kind = SourceKind.Derived;
        }
        else if (_mapping.Fields.TryGetValue(field.Name, out var sourceField))
        {
            (plan.Kind, plan.SourceField) = (SourceKind.Mapped, sourceField);
        }
        else if (_mapping.FirstOf.TryGetValue(field.Name, out var candidates))
        {
            (plan.Kind, plan.Candidates) = (SourceKind.FirstOf, candidates);
        }
        else if (_mapping.Constants.TryGetValue(field.Name, out var constant) || _context.TryGetValue(field.Name, out constant))
        {
            (plan.Kind, plan.Fixed) = (SourceKind.Fixed, Cleaned(constant));
        }

        return plan;
    }

    private string? RawText(FieldPlan plan, SourceRow source, Scratch scratch)
    {
        string? raw = null;
        switch (plan.Kind)
        {
            case SourceKind.Mapped when source.Fields is IndexedFields indexed:
                var position = PositionOf(plan, indexed.Names, scratch);
                raw = position >= 0 && position < indexed.Count ? indexed.At(position) : null;
                break;
            case SourceKind.Mapped:
                source.Fields.TryGetValue(plan.SourceField!, out raw);
                break;
            case SourceKind.FirstOf:
                // The first candidate source field the row has a value for.
                foreach (var candidate in plan.Candidates!)
                {
                    if (source.Fields.TryGetValue(candidate, out var value) && !string.IsNullOrWhiteSpace(value))
                    {
                        raw = value;
                        break;
                    }
                }

                break;
            case SourceKind.Fixed:
                return plan.Fixed;
            default:
                return null;
        }

        if (raw is null)
        {
            return null;
        }

        if (!ReferenceEquals(raw, plan.LastRaw))
        {
            plan.LastClean = Cleaned(raw);
            plan.LastRaw = raw;
        }

        return plan.LastClean;
    }

    /// <summary>Cleaned text, or null when the schema counts it as missing.</summary>
    private string? Cleaned(string raw)
    {
        var text = TextNormalizer.Clean(raw);
        return _missing.Contains(text) ? null : text;
    }

    /// <summary>The column a mapped field reads in rows named by <paramref name="names"/>, resolved once per file.</summary>
    private static int PositionOf(FieldPlan plan, FieldNames names, Scratch scratch)
    {
        if (!ReferenceEquals(names, scratch.PositionsOf))
        {
            Resolve(names, scratch);
        }

        return scratch.Positions[plan.Index];
    }

    // Apart from PositionOf, which runs for every field of every row: a lambda capturing its
    // parameters there would allocate its closure on each call, not only when names change.
    private static void Resolve(FieldNames names, Scratch scratch)
    {
        scratch.Positions = scratch.Plans.Select(p => p.Kind == SourceKind.Mapped ? names.IndexOf(p.SourceField!) : -1).ToArray();
        scratch.PositionsOf = names;
    }

    private static (string Rule, string Message)? Check(FieldPlan plan, object? value)
    {
        var field = plan.Field;
        if (value is null)
        {
            return field.Required ? ("required", "a value is required") : null;
        }

        if (value is string longText && longText.Length > field.MaxLength)
        {
            return ("maxLength", $"is {longText.Length} characters long; at most {field.MaxLength} are taken");
        }

        if (field.Minimum is { } minimum && AsDecimal(value) is { } low && low < minimum)
        {
            return ("minimum", $"must be at least {FieldValues.FormatNumber(minimum)}");
        }

        if (field.Maximum is { } maximum && AsDecimal(value) is { } high && high > maximum)
        {
            return ("maximum", $"must be at most {FieldValues.FormatNumber(maximum)}");
        }

        if (plan.Pattern is { } pattern && value is string text)
        {
            // Countries and codes repeat: each distinct text is matched once.
            if (!plan.Matches.TryGet(text, out var verdict))
            {
                try
                {
                    verdict = plan.Matches.Remember(text, pattern.IsMatch(text) ? null : $"must match {field.Pattern}");
                }
                catch (RegexMatchTimeoutException)
                {
                    verdict = $"could not be checked against {field.Pattern} within a second";
                }
            }

            if (verdict is not null)
            {
                return ("pattern", verdict);
            }
        }

        if (plan.Enum is { } allowed && !allowed.Contains(FieldValues.Format(field, value)))
        {
            return ("enum", "must be one of " + string.Join(", ", allowed));
        }

        return null;
    }

    /// <summary>
    /// A derived value, reused while its inputs are the very objects of the last row: a repeated text
    /// or date is one object (the parse is remembered), so a year, a key or a lookup is computed once
    /// per run of equal inputs. Ratios and sums of values that change each row are computed each time.
    /// </summary>
    private object? DeriveOnce(FieldPlan plan, object?[] values)
    {
        if (plan.Field.Derived!.Function is "ratio" or "sum")
        {
            return Derive(plan, values);
        }

        var first = plan.From.Length > 0 ? values[plan.From[0]] : null;
        var second = plan.From.Length > 1 ? values[plan.From[1]] : null;
        if (plan.HasDerived && ReferenceEquals(first, plan.LastFirst) && ReferenceEquals(second, plan.LastSecond))
        {
            return plan.LastDerived;
        }

        plan.LastDerived = Derive(plan, values);
        (plan.LastFirst, plan.LastSecond, plan.HasDerived) = (first, second, true);
        return plan.LastDerived;
    }

    private object? Derive(FieldPlan plan, object?[] values)
    {
        var field = plan.Field;
        var derived = field.Derived!;
        object? Arg(int n) => values[plan.From[n]];
        return derived.Function switch
        {
            "year" => AsDate(Arg(0))?.Year,
            "month" => AsDate(Arg(0))?.Month,
            "day_of_week" => AsDate(Arg(0)) is { } day ? (long)day.DayOfWeek : null,
            "month_start" => AsDate(Arg(0)) is { } day ? new DateOnly(day.Year, day.Month, 1) : null,
            "span" => AsDate(Arg(0)) is { } start && AsDate(Arg(1)) is { } stop ? (start == stop ? "day" : "range") : null,
            "ratio" => AsDecimal(Arg(0)) is { } top && AsDecimal(Arg(1)) is { } bottom && bottom != 0m ? top / bottom : null,
            "sum" => Sum(field, Parts(plan, values)),
            "key" => Arg(0) is string text
                ? plan.Derived.TryGet(text, out var key) ? key : plan.Derived.Remember(text, TextNormalizer.Key(text))
                : null,
            "lookup" => Arg(0) is string text
                ? plan.Derived.TryGet(text, out var found) ? found : plan.Derived.Remember(text, _references.Lookup(derived.Table!, text) ?? derived.Default)
                : derived.Default,
            _ => throw new InvalidOperationException(
                $"schemas/{_schema.Path}: field '{field.Name}' uses unknown function '{derived.Function}'."),
        };
    }

    /// <summary>The values a sum adds (a method of its own: a lambda over <c>values</c> in <see cref="Derive"/> would allocate its closure on every call).</summary>
    private static List<decimal?> Parts(FieldPlan plan, object?[] values)
    {
        var parts = new List<decimal?>(plan.From.Length);
        foreach (var index in plan.From)
        {
            parts.Add(AsDecimal(values[index]));
        }

        return parts;
    }

    /// <summary>The sum of every part, or null when any part has no value (a partial sum would look complete).</summary>
    private static object? Sum(FieldSchema field, List<decimal?> parts)
    {
        if (parts.Count == 0 || parts.Any(p => p is null))
        {
            return null;
        }

        decimal total;
        try
        {
            total = parts.Sum(p => p!.Value);
        }
        catch (OverflowException)
        {
            return null;
        }

        return field.Type == FieldType.Integer && total is >= long.MinValue and <= long.MaxValue ? (long)total : total;
    }

    private static DateOnly? AsDate(object? value) => value switch
    {
        DateOnly date => date,
        DateTimeOffset moment => DateOnly.FromDateTime(moment.UtcDateTime),
        _ => null,
    };

    private static decimal? AsDecimal(object? value) => value switch
    {
        long whole => whole,
        int whole => whole,
        decimal number => number,
        _ => null,
    };

    private static (object?[]?, RowReject?) Reject(SourceRow source, string rule, FieldSchema field, string? value, string message) =>
        (null, new RowReject(source.Locator, rule, field.Name,
            value is { Length: > 200 } ? value[..200] + $"... ({value.Length} characters)" : value, message));

    private enum SourceKind
    {
        None,
        Mapped,
        FirstOf,
        Fixed,
        Derived,
    }

    /// <summary>One field's source and rules, and what it last read.</summary>
    private sealed class FieldPlan(FieldSchema field, int index)
    {
        public FieldSchema Field { get; } = field;
        public int Index { get; } = index;
        public SourceKind Kind { get; set; }
        public string? SourceField { get; set; }
        public IReadOnlyList<string>? Candidates { get; set; }
        public string? Fixed { get; set; }
        public HashSet<string>? Enum { get; init; }
        public SchemaPattern? Pattern { get; init; }
        public int[] From { get; init; } = [];

        public string? LastRaw { get; set; }
        public string? LastClean { get; set; }
        public Recall<string, (object? Value, string? Expected, int Places)> Parsed { get; } = new(StringComparer.Ordinal);
        public Recall<string, string?> Derived { get; } = new(StringComparer.Ordinal);
        public Recall<string, string?> Matches { get; } = new(StringComparer.Ordinal);
        public bool HasDerived;
        public object? LastFirst;
        public object? LastSecond;
        public object? LastDerived;
    }

    /// <summary>One thread's plans (with what they remember) and working arrays.</summary>
    private sealed class Scratch(FieldPlan[] plans)
    {
        public FieldPlan[] Plans { get; } = plans;
        public int[] StatedPlaces { get; } = new int[plans.Length];
        public FieldNames? PositionsOf { get; set; }
        public int[] Positions { get; set; } = [];
    }

    private readonly record struct CheckPlan(RowCheck Check, int Index, int TopIndex, int BottomIndex);
}
