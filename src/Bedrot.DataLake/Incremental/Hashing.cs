using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Bedrot.DataLake.Incremental;

/// <summary>SHA-256 in lower-case hex, the one hash format of the lake.</summary>
public static class Hashing
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// The hash of pairs written as "name US value RS" in UTF-8, one after the other: the text form of
    /// fingerprints and digests, hashed at once without building the string.
    /// </summary>
    public static string OfPairs(IReadOnlyCollection<(string Name, string Value)> pairs)
    {
        var length = 0;
        foreach (var (name, value) in pairs)
        {
            length += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value) + 2;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            foreach (var (name, value) in pairs)
            {
                written += Encoding.UTF8.GetBytes(name, buffer.AsSpan(written));
                buffer[written++] = 0x1f;
                written += Encoding.UTF8.GetBytes(value, buffer.AsSpan(written));
                buffer[written++] = 0x1e;
            }

            return Of(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
