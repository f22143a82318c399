using System.Security.Cryptography;

namespace Bedrot.DataLake.Lake;

/// <summary>
/// Writes a file so that readers see the old content or the new, never a half file: the bytes go
/// to a temporary file beside the target, are flushed to disk, and the temporary file is renamed.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> and returns the SHA-256 (hex) of what was written.</summary>
    public static string Write(string path, Action<Stream> write) => Write(path, write, hashed: true)!;

    /// <summary>
    /// Writes through <paramref name="write"/>, as <see cref="Write(string, Action{Stream})"/> does, for a
    /// file whose hash nobody asks for (a cache, a summary, a report): its bytes are not hashed.
    /// </summary>
    public static void Replace(string path, Action<Stream> write) => Write(path, write, hashed: false);

    private static string? Write(string path, Action<Stream> write, bool hashed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = TemporaryFor(path);
        try
        {
            string? hash = null;
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                if (hashed)
                {
                    using var hashing = new HashingStream(file);
                    write(hashing);
                    hashing.Flush();
                    hash = hashing.Complete();
                }
                else
                {
                    write(file);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return hash;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes <paramref name="bytes"/> atomically, straight from the caller's memory, and returns their SHA-256 (hex).</summary>
    public static string WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = TemporaryFor(path);
        try
        {
            using (var file = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(file, bytes, 0);
                RandomAccess.FlushToDisk(file);
            }

            File.Move(temporary, path, overwrite: true);
            return Incremental.Hashing.Of(bytes);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes UTF-8 text (no byte order mark) atomically and returns its SHA-256 (hex).</summary>
    public static string WriteAllText(string path, string text) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// A short name beside the target: a long file name plus a suffix could pass the file system's
    /// 255-byte limit. Left behind by a killed run, it is removed by the next one.
    /// </summary>
    private static string TemporaryFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Incremental.Hashing.Of(Path.GetFileName(path))[..16] + ".tmp-" + Environment.ProcessId);

    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Complete() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
