using System.Buffers;
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
        Json.Flush();
        _buffer.Write(text);
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
