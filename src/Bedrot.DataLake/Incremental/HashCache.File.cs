using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Bedrot.DataLake.Incremental;

// Reading .bedrot/hash-cache.json: one file per line as Save writes it, or any JSON of the same shape.
public sealed partial class HashCache
{
    private static Dictionary<string, Slot> Read(string path)
    {
        // Sized for the file's entries (about 190 bytes each), so that reading it never grows the table.
        var file = new FileInfo(path);
        var entries = new Dictionary<string, Slot>(file.Exists ? (int)Math.Min(file.Length / 160, 1 << 24) : 0, StringComparer.Ordinal);
        try
        {
            if (file.Exists && !StateJson.ReadLines(path, Opening, Closing, line => ReadLine(line, entries)))
            {
                // Not one entry per line (the earlier serialiser wrote one long line): read the whole file.
                entries.Clear();
                ReadAll(StateJson.WithoutBom(File.ReadAllBytes(path)), entries);
            }
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            entries.Clear();
        }

        return entries;
    }

    /// <summary>One line of the layout <see cref="Save"/> writes: <c>"path":{"Size":...,"Ticks":...,"Sha256":"..."}</c>.</summary>
    private static void ReadLine(ReadOnlySpan<byte> line, Dictionary<string, Slot> into)
    {
        if (Glance(line, out var path, out var known))
        {
            into[path] = known;
            return;
        }

        var file = StateJson.SplitEntry(line, out var value);
        var reader = new Utf8JsonReader(value);
        if (ReadEntry(ref reader) is { } slot)
        {
            into[file] = slot;
        }

        if (reader.BytesConsumed != value.Length)
        {
            throw new JsonException("unexpected text after an entry of the hash cache");
        }
    }

    /// <summary>
    /// A line exactly as <see cref="Save"/> writes it for a path with nothing escaped, read by position
    /// (the JSON reader's checks were most of reading a cache of forty thousand files); false for any
    /// other line, which <see cref="ReadLine"/> then reads as JSON.
    /// </summary>
    private static bool Glance(ReadOnlySpan<byte> line, out string path, out Slot slot)
    {
        (path, slot) = (string.Empty, default);
        var end = line.Length > 0 && line[0] == (byte)'"' ? line[1..].IndexOfAny((byte)'"', (byte)'\\') + 1 : -1;
        if (end <= 0 || line[end] != (byte)'"')
        {
            return false;
        }

        var rest = line[(end + 1)..];
        if (!Take(ref rest, ":{\"Size\":"u8) || !Utf8Parser.TryParse(rest, out long size, out var sizeLength)
            || !Take(ref rest, sizeLength, ",\"Ticks\":"u8) || !Utf8Parser.TryParse(rest, out long ticks, out var ticksLength)
            || !Take(ref rest, ticksLength, ",\"Sha256\":\""u8) || rest.Length != 64 + 2 || !rest.EndsWith("\"}"u8)
            || Digest.Parse(rest[..64]) is not { } sha)
        {
            return false;
        }

        path = Encoding.UTF8.GetString(line[1..end]);
        slot = new Slot(size, ticks, sha) { Seen = false };
        return true;
    }

    /// <summary>Passes over <paramref name="skip"/> bytes and then <paramref name="text"/>, when that follows.</summary>
    private static bool Take(ref ReadOnlySpan<byte> rest, int skip, ReadOnlySpan<byte> text)
    {
        rest = rest[skip..];
        return Take(ref rest, text);
    }

    /// <summary>Passes over <paramref name="text"/>, when the rest starts with it.</summary>
    private static bool Take(ref ReadOnlySpan<byte> rest, ReadOnlySpan<byte> text)
    {
        if (!rest.StartsWith(text))
        {
            return false;
        }

        rest = rest[text.Length..];
        return true;
    }

    /// <summary>A cache in any JSON layout (the earlier serialiser wrote it on one line).</summary>
    private static void ReadAll(ReadOnlySpan<byte> bytes, Dictionary<string, Slot> into)
    {
        var reader = new Utf8JsonReader(bytes);
        StateJson.Expect(ref reader, JsonTokenType.StartObject);
        while (StateJson.Next(ref reader) == JsonTokenType.PropertyName)
        {
            var file = reader.GetString()!;
            if (ReadEntry(ref reader) is { } slot)
            {
                into[file] = slot;
            }
        }
    }

    /// <summary>An entry's object; null when it lacks a part (the file is then hashed again).</summary>
    private static Slot? ReadEntry(ref Utf8JsonReader reader)
    {
        StateJson.Expect(ref reader, JsonTokenType.StartObject);
        long? size = null;
        long? ticks = null;
        Digest? sha = null;
        while (StateJson.Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Size"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.Number);
                size = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("Ticks"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.Number);
                ticks = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("Sha256"u8))
            {
                StateJson.Expect(ref reader, JsonTokenType.String);
                sha = reader.ValueIsEscaped ? null : Digest.Parse(reader.ValueSpan);
            }
            else
            {
                StateJson.Next(ref reader);
                reader.Skip();
            }
        }

        return size is { } s && ticks is { } t && sha is { } digest ? new Slot(s, t, digest) { Seen = false } : null;
    }
}
