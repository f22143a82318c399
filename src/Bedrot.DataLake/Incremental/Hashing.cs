using System.Security.Cryptography;
using System.Text;

namespace Bedrot.DataLake.Incremental;

/// <summary>SHA-256 in lower-case hex, the one hash format of the lake.</summary>
public static class Hashing
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
