using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// What the lake's control files (step state, summaries, the hash cache) share: JSON read token by
/// token with <see cref="Utf8JsonReader"/> into ordinal dictionaries, and written compactly, one
/// entry per line, so a person can still read and grep them.
/// </summary>
internal static class StateJson
{
    /// <summary>Compact output that leaves non-ASCII text (artist and file names) readable.</summary>
    public static readonly JsonWriterOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>The bytes of a JSON value inside a file's bytes, read when first needed; default means absent (empty).</summary>
    public readonly record struct Section(byte[]? Buffer, int Start, int Length)
    {
        public ReadOnlySpan<byte> Span => Buffer is null ? default : Buffer.AsSpan(Start, Length);

        /// <summary>Whether the text lies on one line, as this code writes it (a file written indented is rewritten, not copied).</summary>
        public bool IsOneLine => Span.IndexOfAny((byte)'\n', (byte)'\r') < 0;
    }

    /// <summary>The bytes of a file, without a UTF-8 byte order mark a text editor may have added.</summary>
    public static ReadOnlySpan<byte> WithoutBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes;

    /// <summary>
    /// Passes over the object the reader is before, checking that every value is of
    /// <paramref name="values"/> (a string may also be null; a number must be a whole 64-bit one), and
    /// returns where it lies in <paramref name="buffer"/> (which the reader reads from <paramref name="offset"/>):
    /// a damaged file is found on reading, not when the object is first asked for.
    /// </summary>
    public static Section Keep(ref Utf8JsonReader reader, byte[] buffer, int offset, JsonTokenType values)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var start = (int)reader.TokenStartIndex;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var value = Next(ref reader);
            var fits = values == JsonTokenType.Number
                ? value == JsonTokenType.Number && reader.TryGetInt64(out _)
                : value is JsonTokenType.String or JsonTokenType.Null;
            if (!fits)
            {
                throw new JsonException($"expected a {values} at byte {reader.TokenStartIndex}");
            }
        }

        return new Section(buffer, offset + start, (int)reader.BytesConsumed - start);
    }

    /// <summary>Passes over the array of strings the reader is before, checking it, and returns where it lies in <paramref name="buffer"/> (which the reader reads from its start).</summary>
    public static Section KeepStrings(ref Utf8JsonReader reader, byte[] buffer)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var start = (int)reader.TokenStartIndex;
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"expected a string at byte {reader.TokenStartIndex}");
            }
        }

        return new Section(buffer, start, (int)reader.BytesConsumed - start);
    }

    /// <summary>The strings of an array kept by <see cref="KeepStrings"/>.</summary>
    public static IReadOnlyList<string> ReadStrings(Section text)
    {
        var strings = new List<string>();
        var reader = new Utf8JsonReader(text.Span);
        Expect(ref reader, JsonTokenType.StartArray);
        while (Next(ref reader) == JsonTokenType.String)
        {
            strings.Add(reader.GetString()!);
        }

        return strings;
    }

    /// <summary>Parses <paramref name="text"/> into <paramref name="field"/> once, even when several threads ask at the same time.</summary>
    public static T Materialise<T>(ref T? field, Section text, Func<Section, T> parse)
        where T : class
    {
        var parsed = parse(text);
        return Interlocked.CompareExchange(ref field, parsed, null) ?? parsed;
    }

    public static SortedDictionary<string, string> ReadTexts(Section text)
    {
        var into = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (text.Buffer is null)
        {
            return into;
        }

        var reader = new Utf8JsonReader(text.Span);
        return ReadTexts(ref reader, into);
    }

    public static SortedDictionary<string, long> ReadCounts(Section text)
    {
        var into = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (text.Buffer is null)
        {
            return into;
        }

        var reader = new Utf8JsonReader(text.Span);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            Expect(ref reader, JsonTokenType.Number);
            into[name] = reader.GetInt64();
        }

        return into;
    }

    /// <summary>Reads an object of strings; a null (which the earlier serialiser wrote for a missing value) reads back as null.</summary>
    public static SortedDictionary<string, string> ReadTexts(ref Utf8JsonReader reader, SortedDictionary<string, string> into)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            into[name] = Next(ref reader) switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Null => null!,
                _ => throw new JsonException($"expected a string at byte {reader.TokenStartIndex}"),
            };
        }

        return into;
    }

    /// <summary>Writes an object of strings as one line.</summary>
    public static void WriteTexts(Utf8JsonWriter writer, string property, SortedDictionary<string, string> values)
    {
        writer.WriteStartObject(property);
        foreach (var (name, value) in values)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a section as it was read, when nobody asked for it and it lies on one line; otherwise its parsed value.</summary>
    public static void WriteKept<T>(Utf8JsonWriter writer, string property, Section kept, Func<T> value, Action<Utf8JsonWriter, string, T> write)
    {
        if (kept.Buffer is not null && kept.IsOneLine)
        {
            writer.WritePropertyName(property);
            writer.WriteRawValue(kept.Span, skipInputValidation: true);
        }
        else
        {
            write(writer, property, value());
        }
    }

    public static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the file ends early");

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (Next(ref reader) != expected)
        {
            throw new JsonException($"expected {expected}, found {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }
}
