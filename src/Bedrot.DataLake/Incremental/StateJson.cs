using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// What the lake's control files (step state, summaries, the hash cache) share: JSON read token by
/// token with <see cref="Utf8JsonReader"/> into ordinal dictionaries, and written compactly, one
/// entry per line, so a person can still read and grep them.
/// </summary>
/// <remarks>
/// The methods here and in the readers of those files are left to the ahead-of-time image, which
/// may inline the framework's JSON reader into them: a run reads tens of thousands of entries within
/// its first second, and compiling them again, optimised, as they are first called cost more than it
/// saved.
/// </remarks>
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

    /// <summary>Receives a line of a file read by <see cref="ReadLines"/>.</summary>
    public delegate void LineReader(ReadOnlySpan<byte> line);

    /// <summary>
    /// Reads a file in the layout this code writes, through a small buffer: a first line
    /// <paramref name="opening"/>, one entry per line (passed to <paramref name="read"/> without its
    /// separating comma), and a last line <paramref name="closing"/>. False when the file is not laid
    /// out so (the lines passed until then are then to be dropped).
    /// </summary>
    public static bool ReadLines(string path, ReadOnlySpan<byte> opening, ReadOnlySpan<byte> closing, LineReader read)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var (start, filled, opened, closed, ended) = (0, 0, false, false, false);
            while (true)
            {
                var end = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                if (end < 0)
                {
                    if (ended)
                    {
                        return closed && start == filled;
                    }

                    // Keep the unfinished line, in a larger buffer when it fills this one, and read on.
                    buffer.AsSpan(start, filled - start).CopyTo(buffer);
                    (filled, start) = (filled - start, 0);
                    if (filled == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, filled).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var count = file.Read(buffer, filled, buffer.Length - filled);
                    filled += count;
                    ended = count == 0;
                    continue;
                }

                var line = buffer.AsSpan(start, end);
                start += end + 1;
                if (closed || (!opened && !line.SequenceEqual(opening)))
                {
                    return false;
                }

                if (!opened)
                {
                    opened = true;
                }
                else if (line.SequenceEqual(closing))
                {
                    closed = true;
                }
                else
                {
                    read(line.EndsWith((byte)',') ? line[..^1] : line);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The key of an entry line <c>"key":value</c>, and the value's bytes.</summary>
    public static string SplitEntry(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(line);
        Expect(ref reader, JsonTokenType.String);
        var key = reader.GetString()!;
        var colon = (int)reader.BytesConsumed;
        value = colon < line.Length && line[colon] == (byte)':'
            ? line[(colon + 1)..]
            : throw new JsonException($"expected ':' after the key {key}");
        return key;
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

    /// <summary>The entries of an object of strings kept as text, in the file's order, without building a dictionary.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Texts(Section text)
    {
        var entries = new List<KeyValuePair<string, string>>();
        if (text.Buffer is null)
        {
            return entries;
        }

        var reader = new Utf8JsonReader(text.Span);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            Next(ref reader);
            entries.Add(KeyValuePair.Create(name, reader.GetString()!));
        }

        return entries;
    }

    /// <summary>
    /// Some entries of an object of strings kept as text, in one pass and without building a
    /// dictionary: the value of each of <paramref name="names"/> into <paramref name="values"/> (null
    /// when absent), and the SHA-256 of the UTF-8 value of <paramref name="hashed"/>, made without a
    /// text of it (null when absent or not asked for).
    /// </summary>
    public static string? Pick(Section text, ReadOnlySpan<string> names, Span<string?> values, string? hashed)
    {
        values.Clear();
        if (text.Buffer is null)
        {
            return null;
        }

        string? hash = null;
        var reader = new Utf8JsonReader(text.Span);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var index = -1;
            for (var i = 0; i < names.Length && index < 0; i++)
            {
                index = reader.ValueTextEquals(names[i]) ? i : -1;
            }

            var isHashed = index < 0 && hashed is not null && reader.ValueTextEquals(hashed);
            switch (Next(ref reader))
            {
                case JsonTokenType.String when index >= 0:
                    values[index] = reader.GetString();
                    break;
                case JsonTokenType.String when isHashed:
                    hash = HashOfValue(ref reader);
                    break;
                case JsonTokenType.String or JsonTokenType.Null:
                    break;
                default:
                    throw new JsonException($"expected a string at byte {reader.TokenStartIndex}");
            }
        }

        return hash;
    }

    /// <summary>The SHA-256 of the current string token's UTF-8 value, unescaped into a pooled buffer rather than a text.</summary>
    private static string HashOfValue(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Hashing.Of(reader.ValueSpan);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            return Hashing.Of(buffer.AsSpan(0, reader.CopyString(buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Adds the counters of an object kept as text to <paramref name="totals"/>, without a map or a
    /// text per counter: a name already in <paramref name="totals"/> is found by its characters. Names
    /// new to it are added in the order of the text. False, with nothing added, when the names are not
    /// in ordinal order (as this code writes them), so the caller can read the counters in that order.
    /// </summary>
    public static bool AddCounts(Section text, Dictionary<string, long> totals)
    {
        if (text.Buffer is null)
        {
            return true;
        }

        var read = new List<(string Name, long Value)>();
        var named = totals.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[128];
        string? previous = null;
        var reader = new Utf8JsonReader(text.Span);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var length = reader.ValueIsEscaped || reader.ValueSpan.Length > buffer.Length ? -1 : reader.CopyString(buffer);
            var name = length < 0 ? reader.GetString()!.AsSpan() : buffer[..length];
            var known = named.TryGetValue(name, out var actual, out _) ? actual : name.ToString();
            if (previous is not null && string.CompareOrdinal(previous, known) >= 0)
            {
                return false;
            }

            previous = known;
            Expect(ref reader, JsonTokenType.Number);
            read.Add((known, reader.GetInt64()));
        }

        foreach (var (name, value) in read)
        {
            totals[name] = totals.GetValueOrDefault(name) + value;
        }

        return true;
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
