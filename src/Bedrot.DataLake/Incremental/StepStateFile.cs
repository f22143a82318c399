using System.Globalization;
using System.Text.Json;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// The layout of a step's state file: <c>{"Version":1,"Items":{</c>, then one item per line
/// (<c>"key":{"Fingerprint":...,"Parts":{...},"Outputs":{...},"Retained":{...},"Counts":{...},"Facts":{...}}</c>),
/// then <c>}}</c>. Any JSON of that shape is read (the earlier serialiser wrote it indented), and a
/// file in this layout is read a range of lines per processor, each item keeping its sections as text.
/// </summary>
internal static class StepStateFile
{
    /// <summary>The fewest lines of a state worth a worker of their own when reading.</summary>
    private const int LinesPerWorker = 2048;

    /// <summary>How a state file starts, up to its first item.</summary>
    private static ReadOnlySpan<byte> Header => "{\"Version\":1,\"Items\":{"u8;

    /// <summary>How a state file ends, after its last item.</summary>
    private static ReadOnlySpan<byte> Footer => "\n}}\n"u8;

    /// <summary>
    /// Writes <paramref name="items"/> in the layout of this code: a header line, one item per line, a
    /// closing line. Items as read from a file in this layout, one after the other there as here, are
    /// copied as one run of lines: a state of thousands of items of which a run changed a few is mostly copied.
    /// </summary>
    public static void Write(Stream stream, SortedDictionary<string, ItemState> items)
    {
        using var writer = new StateWriter(stream);
        writer.Raw(Header);
        var first = true;
        StateJson.Section run = default;
        void Separate()
        {
            writer.Raw(first ? "\n"u8 : ",\n"u8);
            first = false;
        }

        void CopyRun()
        {
            if (run.Buffer is not null)
            {
                Separate();
                writer.Copy(run.Span);
                run = default;
            }
        }

        foreach (var (key, item) in items)
        {
            if (LineOf(key, item) is { Buffer: { } buffer } line)
            {
                // The next line of the same file (after its comma and line break) extends the run.
                if (ReferenceEquals(run.Buffer, buffer) && line.Start == run.Start + run.Length + 2)
                {
                    run = run with { Length = line.Start + line.Length - run.Start };
                    continue;
                }

                CopyRun();
                run = line;
                continue;
            }

            CopyRun();
            Separate();
            writer.String(key);
            writer.Raw(":"u8);
            WriteItem(writer.Json, item);
        }

        CopyRun();
        writer.Raw(Footer);
        writer.Complete();
    }

    /// <summary>
    /// The item's line as read, when writing it would give those very bytes: the key (of characters
    /// written as they are) in quotes, a colon, and the item as read; default otherwise.
    /// </summary>
    private static StateJson.Section LineOf(string key, ItemState item)
    {
        if (item.UnreadLine is not { Buffer: not null } line || item.Unread is not { Buffer: not null } text
            || key.AsSpan().ContainsAnyExcept(StateWriter.Plain)
            || text.Start != line.Start + key.Length + 3 || text.Length != line.Length - key.Length - 3)
        {
            return default;
        }

        var span = line.Span;
        return span[0] == (byte)'"' && span[key.Length + 1] == (byte)'"' && span[key.Length + 2] == (byte)':'
               && System.Text.Ascii.Equals(span.Slice(1, key.Length), key)
            ? line
            : default;
    }

    private static void WriteItem(Utf8JsonWriter writer, ItemState item)
    {
        // An item nobody asked anything of since it was read is written as it was read.
        if (item.Unread is { Buffer: not null, IsOneLine: true } text)
        {
            writer.WriteRawValue(text.Span, skipInputValidation: true);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("Fingerprint", item.Fingerprint);
        StateJson.WriteKept(writer, "Parts", item.UnreadParts, () => item.Parts, StateJson.WriteTexts);
        StateJson.WriteKept(writer, "Outputs", item.UnreadOutputs, () => item.Outputs, StateJson.WriteTexts);
        StateJson.WriteKept(writer, "Retained", item.UnreadRetained, () => item.Retained, StateJson.WriteTexts);
        StateJson.WriteKept(writer, "Counts", item.UnreadCounts, () => item.Counts, WriteCounts);
        StateJson.WriteKept(writer, "Facts", item.UnreadFacts, () => item.Facts, StateJson.WriteTexts);
        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, string property, SortedDictionary<string, long> counts)
    {
        writer.WriteStartObject(property);
        foreach (var (name, value) in counts)
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>The items of a state file; throws <see cref="JsonException"/> (or the reader's exceptions) when it is damaged or of another version.</summary>
    public static SortedDictionary<string, ItemState> Read(byte[] bytes) => ReadLines(bytes) ?? ReadAny(bytes);

    /// <summary>
    /// Reads a file in the layout <see cref="Write"/> gives (a header, one item per line, a closing
    /// line), the lines split between the processors; null when the file is not in that layout or a
    /// line does not read, so the general reader decides.
    /// </summary>
    private static SortedDictionary<string, ItemState>? ReadLines(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (!span.StartsWith(Header) || !span.EndsWith(Footer))
        {
            return null;
        }

        var lines = new List<(int Start, int Length)>();
        var end = span.Length - Footer.Length;
        for (var at = Header.Length; at < end;)
        {
            var start = at + 1;
            var length = span[start..].IndexOf((byte)'\n');
            var comma = start + length < end;
            if (length < 0 || (comma && span[start + length - 1] != (byte)','))
            {
                return null;
            }

            lines.Add((start, comma ? length - 1 : length));
            at = start + length;
        }

        var read = new ItemRead[lines.Count];
        var chunk = Math.Max(LinesPerWorker, (lines.Count + Environment.ProcessorCount - 1) / Environment.ProcessorCount);
        var whole = true;
        Parallel.For(0, (lines.Count + chunk - 1) / chunk, part =>
        {
            try
            {
                for (var i = part * chunk; i < Math.Min(lines.Count, (part + 1) * chunk); i++)
                {
                    read[i] = ReadLine(bytes, lines[i].Start, lines[i].Length);
                }
            }
            catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
            {
                whole = false;
            }
        });
        if (!whole)
        {
            return null;
        }

        var items = new SortedDictionary<string, ItemState>(StringComparer.Ordinal);
        foreach (var (key, item) in read)
        {
            items[key] = item;
        }

        return items;
    }

    /// <summary>One line of the layout <see cref="Write"/> gives: <c>"key":{item}</c>, without the comma.</summary>
    private static ItemRead ReadLine(byte[] bytes, int start, int length)
    {
        var line = bytes.AsSpan(start, length);
        var key = StateJson.SplitEntry(line, out var value);
        var offset = start + length - value.Length;
        var reader = new Utf8JsonReader(value);
        var item = ReadItem(ref reader, bytes, offset, new StateJson.Section(bytes, start, length));
        return reader.BytesConsumed == value.Length
            ? new ItemRead(key, item)
            : throw new JsonException($"unexpected text after the item at byte {offset + reader.BytesConsumed}");
    }

    /// <summary>Reads a state file in any layout the earlier serialiser or a person may have left.</summary>
    private static SortedDictionary<string, ItemState> ReadAny(byte[] bytes)
    {
        var text = StateJson.WithoutBom(bytes);
        var offset = bytes.Length - text.Length;
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        StateJson.Expect(ref reader, JsonTokenType.StartObject);
        int? version = null;
        var items = new SortedDictionary<string, ItemState>(StringComparer.Ordinal);
        while (StateJson.Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Version"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.Number);
                version = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("Items"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.StartObject);
                while (StateJson.Next(ref reader) == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    items[key] = ReadItem(ref reader, bytes, offset);
                }
            }
            else
            {
                StateJson.Next(ref reader);
                reader.Skip();
            }
        }

        if (version != StepState.CurrentVersion)
        {
            throw new JsonException($"state version {version?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, expected {StepState.CurrentVersion}");
        }

        return items;
    }

    private static ItemState ReadItem(ref Utf8JsonReader reader, byte[] bytes, int offset, StateJson.Section line = default)
    {
        StateJson.Expect(ref reader, JsonTokenType.StartObject);
        var start = (int)reader.TokenStartIndex;
        string? fingerprint = null;
        StateJson.Section? parts = null;
        var (outputs, retained, counts, facts) = (default(StateJson.Section), default(StateJson.Section), default(StateJson.Section), default(StateJson.Section));
        while (StateJson.Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Fingerprint"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.String);
                fingerprint = reader.GetString();
            }
            else if (reader.ValueTextEquals("Parts"u8))
            {
                parts = StateJson.Keep(ref reader, bytes, offset, JsonTokenType.String);
            }
            else if (reader.ValueTextEquals("Outputs"u8))
            {
                outputs = StateJson.Keep(ref reader, bytes, offset, JsonTokenType.String);
            }
            else if (reader.ValueTextEquals("Retained"u8))
            {
                retained = StateJson.Keep(ref reader, bytes, offset, JsonTokenType.String);
            }
            else if (reader.ValueTextEquals("Counts"u8))
            {
                counts = StateJson.Keep(ref reader, bytes, offset, JsonTokenType.Number);
            }
            else if (reader.ValueTextEquals("Facts"u8))
            {
                facts = StateJson.Keep(ref reader, bytes, offset, JsonTokenType.String);
            }
            else
            {
                StateJson.Next(ref reader);
                reader.Skip();
            }
        }

        return new ItemState(
            new StateJson.Section(bytes, offset + start, (int)reader.BytesConsumed - start),
            fingerprint ?? throw new JsonException("an item without a fingerprint"),
            parts ?? throw new JsonException("an item without its fingerprint's parts"),
            outputs,
            retained,
            counts,
            facts,
            line);
    }

    private readonly record struct ItemRead(string Key, ItemState Item);
}
