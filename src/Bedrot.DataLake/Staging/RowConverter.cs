using System.Text.RegularExpressions;
using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// Turns a parser's <see cref="SourceRow"/> into a staging row as the dataset's table schema and
/// mapping say: clean text, type, check constraints, derive fields. A row that breaks a hard rule
/// becomes a <see cref="RowReject"/>; the converter never throws for bad data.
/// </summary>
public sealed class RowConverter
{
    private readonly DatasetMapping _mapping;
    private readonly TableSchema _schema;
    private readonly ReferenceTables _references;
    private readonly IReadOnlyDictionary<string, string> _context;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    /// <param name="context">Values of the run for fields no source provides (<c>source_file</c>, <c>processed_timestamp</c>).</param>
    public RowConverter(DatasetMapping mapping, ReferenceTables references, IReadOnlyDictionary<string, string> context)
    {
        _mapping = mapping;
        _schema = mapping.Schema;
        _references = references;
        _context = context;
        foreach (var field in _schema.Fields.Where(f => f.Pattern is not null))
        {
            _patterns[field.Name] = Pattern(field.Pattern!);
        }
    }

    public TableSchema Schema => _schema;

    /// <summary>
    /// A schema pattern, anchored. The non-backtracking engine runs in time linear in the text, so no
    /// value can stall it and no timeout is needed per match; a pattern it cannot run (a lookaround,
    /// a back-reference) falls back to the backtracking engine with a one-second timeout.
    /// </summary>
    private static Regex Pattern(string pattern)
    {
        var anchored = "^(?:" + pattern + ")$";
        try
        {
            return new Regex(anchored, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(anchored, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
    }

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
        var stated = new Dictionary<int, int>();
        if (source.Problem is not null)
        {
            return (null, new RowReject(source.Locator, "structure", string.Empty, null, source.Problem));
        }

        var values = new object?[_schema.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var field = _schema.Fields[i];
            if (field.Derived is not null)
            {
                values[i] = Derive(field, values);
            }
            else
            {
                var text = RawText(field, source);
                if (text is not null)
                {
                    values[i] = FieldValues.TryParse(field, text, out var expected);
                    if (values[i] is null)
                    {
                        return Reject(source, "type", field, text, $"expected {expected}");
                    }

                    stated[i] = DecimalPlaces(text);
                    if (field.DivideBy is { } divisor && values[i] is decimal number)
                    {
                        values[i] = number / divisor;
                    }
                }
            }

            var broken = Check(field, values[i]);
            if (broken is not null)
            {
                return Reject(source, broken.Value.Rule, field, FieldValues.Format(field, values[i]), broken.Value.Message);
            }
        }

        warnings = Warnings(source, values, stated);
        return (values, null);
    }

    private List<RowReject> Warnings(SourceRow source, object?[] row, Dictionary<int, int> statedPlaces)
    {
        var warnings = new List<RowReject>();
        foreach (var check in _schema.Checks)
        {
            var index = _schema.IndexOf(check.Field);
            var field = _schema.Fields[index];
            if (check.From.Count == 0)
            {
                if (AsDecimal(row[index]) is { } value && (value < check.Minimum || value > check.Maximum))
                {
                    warnings.Add(new RowReject(source.Locator, check.Name, field.Name, FieldValues.Format(field, row[index]),
                        $"is outside the plausible range {FieldValues.FormatNumber(check.Minimum ?? value)} to {FieldValues.FormatNumber(check.Maximum ?? value)}"));
                }

                continue;
            }

            if (AsDecimal(row[index]) is not { } stated
                || AsDecimal(row[_schema.IndexOf(check.From[0])]) is not { } top
                || AsDecimal(row[_schema.IndexOf(check.From[1])]) is not { } bottom
                || bottom == 0m)
            {
                continue;
            }

            // Beyond rounding: the stated value may be off by one unit of the last digit the source
            // wrote (in its own units, before divideBy), or by the check's tolerance if larger.
            var unit = 1m;
            for (var place = 0; place < statedPlaces.GetValueOrDefault(index); place++)
            {
                unit /= 10m;
            }

            var allowed = Math.Max(check.Tolerance, unit / (field.DivideBy ?? 1m));
            var expected = top / bottom;
            if (Math.Abs(stated - expected) > allowed)
            {
                warnings.Add(new RowReject(source.Locator, check.Name, field.Name, FieldValues.Format(field, stated),
                    $"{check.From[0]} / {check.From[1]} is {FieldValues.FormatNumber(Math.Round(expected, 8))}; " +
                    $"the difference is beyond rounding ({FieldValues.FormatNumber(allowed)})"));
            }
        }

        return warnings;
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
        var field = _schema.Fields[_schema.IndexOf(fieldName)];
        // A row with a structural problem is still read: what it carried counts, though it is rejected.
        if (field.Derived is not null || RawText(field, source) is not { } text)
        {
            return null;
        }

        var value = FieldValues.TryParse(field, text, out _);
        return field.DivideBy is { } divisor && value is decimal number ? number / divisor : value;
    }

    private string? RawText(FieldSchema field, SourceRow source)
    {
        string? raw = null;
        if (_mapping.Fields.TryGetValue(field.Name, out var sourceField))
        {
            source.Fields.TryGetValue(sourceField, out raw);
        }
        else if (_mapping.FirstOf.TryGetValue(field.Name, out var candidates))
        {
            // The first candidate source field the row has a value for.
            foreach (var candidate in candidates)
            {
                if (source.Fields.TryGetValue(candidate, out var value) && !string.IsNullOrWhiteSpace(value))
                {
                    raw = value;
                    break;
                }
            }
        }
        else if (_mapping.Constants.TryGetValue(field.Name, out var constant))
        {
            raw = constant;
        }
        else
        {
            _context.TryGetValue(field.Name, out raw);
        }

        if (raw is null)
        {
            return null;
        }

        var text = TextNormalizer.Clean(raw);
        return _schema.MissingValues.Contains(text, StringComparer.Ordinal) ? null : text;
    }

    private (string Rule, string Message)? Check(FieldSchema field, object? value)
    {
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

        if (_patterns.TryGetValue(field.Name, out var pattern) && value is string text)
        {
            try
            {
                if (!pattern.IsMatch(text))
                {
                    return ("pattern", $"must match {field.Pattern}");
                }
            }
            catch (RegexMatchTimeoutException)
            {
                return ("pattern", $"could not be checked against {field.Pattern} within a second");
            }
        }

        if (field.Enum is { } allowed && !allowed.Contains(FieldValues.Format(field, value), StringComparer.Ordinal))
        {
            return ("enum", "must be one of " + string.Join(", ", allowed));
        }

        return null;
    }

    private object? Derive(FieldSchema field, object?[] values)
    {
        var derived = field.Derived!;
        object? Arg(int n) => values[_schema.IndexOf(derived.From[n])];
        return derived.Function switch
        {
            "year" => AsDate(Arg(0))?.Year,
            "month" => AsDate(Arg(0))?.Month,
            "day_of_week" => AsDate(Arg(0)) is { } day ? (long)day.DayOfWeek : null,
            "month_start" => AsDate(Arg(0)) is { } day ? new DateOnly(day.Year, day.Month, 1) : null,
            "span" => AsDate(Arg(0)) is { } start && AsDate(Arg(1)) is { } stop ? (start == stop ? "day" : "range") : null,
            "ratio" => AsDecimal(Arg(0)) is { } top && AsDecimal(Arg(1)) is { } bottom && bottom != 0m ? top / bottom : null,
            "sum" => Sum(field, derived.From.Select(f => AsDecimal(values[_schema.IndexOf(f)])).ToList()),
            "key" => Arg(0) is string text ? TextNormalizer.Key(text) : null,
            "lookup" => Arg(0) is string text
                ? _references.Lookup(derived.Table!, text) ?? derived.Default
                : derived.Default,
            _ => throw new InvalidOperationException(
                $"schemas/{_schema.Path}: field '{field.Name}' uses unknown function '{derived.Function}'."),
        };
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
}
