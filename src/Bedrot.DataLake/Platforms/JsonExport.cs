using System.Globalization;
using System.Text;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema.Validation;

namespace Bedrot.DataLake.Platforms;

/// <summary>
/// A JSON export validated by a JSON Schema under <c>schemas/raw/</c>: the file must be UTF-8 JSON,
/// and every place its shape differs from the contract is named by its JSON path. Numbers are read
/// as decimals and date-like strings stay strings, so values reach staging exactly as written.
/// </summary>
public abstract class JsonExport : RawFileKind
{
    public abstract override string Contract { get; }

    public override IReadOnlyList<RawProblem> Validate(RawContent content)
    {
        if (!TryParse(content, out var document, out var problem))
        {
            return [problem!];
        }

        var early = Precheck(document!);
        if (early.Count > 0)
        {
            return early;
        }

        var schema = content.Schemas.JsonSchema(Contract);
        var problems = new List<RawProblem>();
        foreach (var error in schema.Validate(document!))
        {
            Flatten(error, problems);
        }

        return problems.Count > 0 ? problems : Check(document!);
    }

    public override IEnumerable<SourceRow> Read(RawContent content)
    {
        if (!TryParse(content, out var document, out var problem))
        {
            return [SourceRow.Unreadable(problem!.Where, problem.Problem)];
        }

        return Rows(document!);
    }

    /// <summary>Problems worth naming before the contract is applied (an API's error reply); none by default.</summary>
    protected virtual IReadOnlyList<RawProblem> Precheck(JToken document) => [];

    /// <summary>Checks the contract cannot express (none by default); runs only on a file that meets it.</summary>
    protected virtual IReadOnlyList<RawProblem> Check(JToken document) => [];

    /// <summary>The records of a document that meets the contract.</summary>
    protected abstract IEnumerable<SourceRow> Rows(JToken document);

    /// <summary>One source row per element of an array of flat objects, each tagged with its record type.</summary>
    protected static IEnumerable<SourceRow> ArrayRows(JToken document, string property, string record,
        IReadOnlyDictionary<string, string?>? extra = null)
    {
        if (document is not JObject container || container[property] is not JArray array)
        {
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var locator = $"$.{property}[{i}]";
            if (array[i] is not JObject element)
            {
                yield return SourceRow.Unreadable(locator, $"expected an object, found {Describe(array[i])}") with { Record = record };
                continue;
            }

            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var field in element.Properties())
            {
                fields[field.Name] = Text(field.Value);
            }

            // The array an element sits in says what it is; a property of the same name does not override that.
            foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
            {
                fields[name] = value;
            }

            yield return new SourceRow(locator, fields) { Record = record };
        }
    }

    /// <summary>A scalar as the text it was written as; null for JSON null; the JSON text of anything else.</summary>
    protected static string? Text(JToken? token) => token switch
    {
        null => null,
        JValue { Type: JTokenType.Null or JTokenType.Undefined } => null,
        JValue { Value: decimal number } => number.ToString(CultureInfo.InvariantCulture),
        JValue { Value: IFormattable formattable } => formattable.ToString(null, CultureInfo.InvariantCulture),
        JValue value => value.Value?.ToString(),
        _ => token.ToString(Formatting.None),
    };

    /// <summary>The head of the file, as text, for content fingerprints (a JSON file is UTF-8).</summary>
    protected static string HeadText(ReadOnlySpan<byte> head) =>
        Encoding.UTF8.GetString(head.StartsWith("\uFEFF"u8) ? head[3..] : head);

    private static bool TryParse(RawContent content, out JToken? document, out RawProblem? problem)
    {
        document = null;
        problem = null;
        var bytes = content.Bytes.Span;
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (bytes.Trim(" \t\r\n"u8).IsEmpty)
        {
            problem = new RawProblem("file", "the file is empty; expected a JSON document");
            return false;
        }

        if (bytes.IndexOf((byte)0) is var nul and >= 0)
        {
            problem = new RawProblem($"byte {nul}", "binary data (a NUL byte) in a JSON export");
            return false;
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            problem = new RawProblem("file", "not UTF-8 text; a JSON export is UTF-8");
            return false;
        }

        try
        {
            using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(bytes)))
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Decimal,
            };
            // A key given twice in one object has no right value: the file is refused, not guessed at.
            document = JToken.ReadFrom(reader, new JsonLoadSettings
            {
                LineInfoHandling = LineInfoHandling.Load,
                DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
            });
            if (reader.Read())
            {
                problem = new RawProblem($"line {reader.LineNumber}, position {reader.LinePosition}",
                    "more content after the end of the JSON document");
                return false;
            }

            // Newtonsoft keeps an integer beyond 64 bits as a BigInteger, which no count can be.
            if ((document is JContainer container ? container.DescendantsAndSelf() : [document]).OfType<JValue>().FirstOrDefault(v => v.Value is System.Numerics.BigInteger) is { } huge)
            {
                var line = ((IJsonLineInfo)huge).HasLineInfo() ? $" (line {((IJsonLineInfo)huge).LineNumber})" : string.Empty;
                problem = new RawProblem(PathOf(huge) + line, $"the number {huge.Value} is too large for any count or amount");
                return false;
            }

            return true;
        }
        catch (JsonReaderException error)
        {
            problem = new RawProblem($"line {error.LineNumber}, position {error.LinePosition}",
                error.Message.Contains("already exists in the current JSON object", StringComparison.Ordinal)
                    ? "a duplicate key: " + FirstSentence(error.Message) + "; which value is right cannot be known"
                    : "not valid JSON: " + FirstSentence(error.Message));
            return false;
        }
        catch (OverflowException error)
        {
            problem = new RawProblem("file", "a number is out of range: " + error.Message);
            return false;
        }
    }

    private static string PathOf(JToken token) =>
        token.Path.Length == 0 ? "$" : ("$." + token.Path).Replace(".[", "[");

    private static void Flatten(ValidationError error, List<RawProblem> into)
    {
        // A value of an allowed type that fails a rule of that type (a count "12a" against its
        // pattern) is explained by that rule, not by "none of the allowed types".
        if (error is MultiTypeValidationError multi)
        {
            var sameType = multi.Errors.Values.Where(list => !list.Any(e => e.Kind.ToString().EndsWith("Expected", StringComparison.Ordinal))).ToList();
            if (sameType.Count > 0)
            {
                foreach (var inner in sameType.SelectMany(list => list))
                {
                    Flatten(inner, into);
                }

                return;
            }
        }

        // A value that matches none of several shapes: when only one shape has the value's type,
        // its failures are the reasons.
        if (error is ChildSchemaValidationError { Kind: ValidationErrorKind.NotOneOf or ValidationErrorKind.NotAnyOf } branches)
        {
            var viable = branches.Errors.Values
                .Where(list => !list.Any(e => e.Path == error.Path && e.Kind.ToString().EndsWith("Expected", StringComparison.Ordinal)))
                .ToList();
            if (viable.Count == 1)
            {
                foreach (var inner in viable[0])
                {
                    Flatten(inner, into);
                }

                return;
            }
        }

        // An array item or property that failed holds the real reasons: report those. A value that
        // matched none of several types or branches is reported once, as itself.
        if (error is ChildSchemaValidationError child && child.Errors.Count > 0
            && error.Kind is ValidationErrorKind.ArrayItemNotValid or ValidationErrorKind.AdditionalItemNotValid
                or ValidationErrorKind.AdditionalPropertiesNotValid or ValidationErrorKind.NotAllOf)
        {
            foreach (var inner in child.Errors.Values.SelectMany(e => e))
            {
                Flatten(inner, into);
            }

            return;
        }

        var problem = new RawProblem(JsonPath(error), Explain(error));
        if (!into.Contains(problem))
        {
            into.Add(problem);
        }
    }

    /// <summary>The error's place as a JSON path (<c>$.tracksTotal[1].isrc</c>), with its line when known.</summary>
    private static string JsonPath(ValidationError error)
    {
        var path = error.Path is null or "#" or "#/" ? "$" : "$" + error.Path.TrimStart('#').Replace("/", ".").Replace(".[", "[");
        return error.HasLineInfo ? $"{path} (line {error.LineNumber})" : path;
    }

    private static string Explain(ValidationError error) => error.Kind switch
    {
        ValidationErrorKind.PropertyRequired => $"required property '{error.Property}' is missing",
        ValidationErrorKind.ArrayExpected => "expected an array",
        ValidationErrorKind.ObjectExpected => "expected an object",
        ValidationErrorKind.StringExpected => "expected a string",
        ValidationErrorKind.IntegerExpected => "expected an integer",
        ValidationErrorKind.NumberExpected => "expected a number",
        ValidationErrorKind.PatternMismatch => "the value does not have the expected form" + Pattern(error),
        ValidationErrorKind.NoTypeValidates => "the value has none of the allowed types" + Types(error),
        ValidationErrorKind.TooFewItems => "the array has too few items" + Minimum(error),
        ValidationErrorKind.NoAdditionalPropertiesAllowed => $"unexpected property '{error.Property}'",
        ValidationErrorKind.NotInEnumeration => "the value is not one of the allowed values",
        ValidationErrorKind.NotOneOf or ValidationErrorKind.NotAnyOf => "the value has none of the allowed shapes" +
            (error.Schema?.Description is { Length: > 0 } shapes ? $" ({shapes})" : string.Empty),
        _ => Words(error.Kind.ToString()),
    };

    private static string Pattern(ValidationError error) =>
        error.Schema?.Pattern is { } pattern ? $" (pattern {pattern})" : string.Empty;

    private static string Minimum(ValidationError error) =>
        error.Schema?.MinItems is > 0 and var minimum ? $" (at least {minimum})" : string.Empty;

    private static string Types(ValidationError error) =>
        error.Schema is { } schema ? $" ({schema.Type.ToString().ToLowerInvariant().Replace(", ", " or ")})" : string.Empty;

    private static string Words(string kind) =>
        string.Concat(kind.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    private static string Describe(JToken token) => token.Type.ToString().ToLowerInvariant();
}
