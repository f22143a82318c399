using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Bedrot.DataLake.Staging;

/// <summary>Whether a stream is valid UTF-8 throughout, read in chunks rather than whole.</summary>
public static class Utf8Check
{
    private const int ChunkSize = 1 << 20;

    public static bool IsValid(Stream stream) => IsValid(stream, ChunkSize);

    /// <param name="chunkSize">How much is read at a time (at least 4 bytes).</param>
    internal static bool IsValid(Stream stream, int chunkSize)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize + 4);
        try
        {
            var carried = 0;
            while (true)
            {
                var read = stream.Read(buffer, carried, chunkSize);
                var length = carried + read;
                if (read == 0)
                {
                    // What was carried is a sequence the file ended in the middle of.
                    return carried == 0;
                }

                var tail = IncompleteTail(buffer.AsSpan(0, length));
                if (!Utf8.IsValid(buffer.AsSpan(0, length - tail)))
                {
                    return false;
                }

                // A sequence cut by the chunk's end is checked with the next chunk.
                buffer.AsSpan(length - tail, tail).CopyTo(buffer);
                carried = tail;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>How many bytes at the end are the start of a sequence that needs more bytes.</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) != 0x80)
            {
                // The last lead byte: incomplete only if its sequence wants more than what follows it.
                return Rune.DecodeFromUtf8(bytes[^back..], out _, out _) == OperationStatus.NeedMoreData ? back : 0;
            }
        }

        return 0;
    }
}
