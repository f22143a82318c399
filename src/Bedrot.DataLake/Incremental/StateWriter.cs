using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// Writes a control file one entry per line: JSON values through <see cref="Json"/>, the text between
/// them through <see cref="Raw"/>, into a buffer passed to the stream 64 KB at a time. (A
/// <see cref="Utf8JsonWriter"/> on the stream itself flushes the stream at every value: a write call
/// per entry, tens of thousands per state.)
/// </summary>
internal sealed class StateWriter : IDisposable
{
    private const int Block = 1 << 16;

    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(Block * 2);

    public StateWriter(Stream stream)
    {
        _stream = stream;
        Json = new Utf8JsonWriter(_buffer, StateJson.Compact);
    }

    /// <summary>Writes one JSON value (an object, a string) after the text written before it.</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>Writes text as it is after the last value, and makes the JSON writer ready for the next value.</summary>
    public void Raw(ReadOnlySpan<byte> text)
    {
        text.CopyTo(Direct(text.Length));
        Advance(text.Length);
    }

    /// <summary>
    /// Writes a JSON string after the text before it. A text of printable ASCII with nothing to escape
    /// (a path, a hash: most of what a control file holds) is copied as it is, which is what the JSON
    /// writer would write, without its checks; any other text goes through the JSON writer.
    /// </summary>
    public void String(string value)
    {
        if (value.AsSpan().ContainsAnyExcept(Plain))
        {
            Json.WriteStringValue(value);
            return;
        }

        var span = Direct(value.Length + 2);
        span[0] = (byte)'"';
        Encoding.ASCII.GetBytes(value, span[1..]);
        span[value.Length + 1] = (byte)'"';
        Advance(value.Length + 2);
    }

    /// <summary>Writes bytes as a JSON string of lower-case hex digits after the text before it, without making the text first.</summary>
    public void Hex(ReadOnlySpan<byte> bytes)
    {
        var span = Direct((bytes.Length * 2) + 2);
        span[0] = (byte)'"';
        Convert.TryToHexStringLower(bytes, span[1..], out var written);
        span[written + 1] = (byte)'"';
        Advance(written + 2);
    }

    /// <summary>
    /// Writes bytes as they are after the text before it, as <see cref="Raw"/> does; a run of many
    /// (the lines of a state copied as read) goes to the stream as it is, not through the buffer.
    /// </summary>
    public void Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Block)
        {
            Raw(bytes);
            return;
        }

        Json.Flush();
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _stream.Write(bytes);
        Json.Reset();
    }

    /// <summary>Writes a whole number after the text before it, as the JSON writer writes it.</summary>
    public void Number(long value)
    {
        var span = Direct(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        Advance(written);
    }

    /// <summary>The characters <see cref="String"/> copies as they are: printable ASCII, less the quote, the backslash and what HTML escapes.</summary>
    internal static readonly SearchValues<char> Plain = SearchValues.Create(
        " !#$%()*,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Room for <paramref name="length"/> bytes right after the last value or text.</summary>
    private Span<byte> Direct(int length)
    {
        Json.Flush();
        return _buffer.GetSpan(length);
    }

    /// <summary>Takes the bytes written into <see cref="Direct"/>, makes the JSON writer ready for the next value, and passes a full buffer to the stream.</summary>
    private void Advance(int written)
    {
        _buffer.Advance(written);
        Json.Reset();
        if (_buffer.WrittenCount >= Block)
        {
            _stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    /// <summary>Passes what is left to the stream; call after the last text.</summary>
    public void Complete()
    {
        Json.Flush();
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    public void Dispose() => Json.Dispose();
}
