using System.IO.Compression;
using System.Runtime.ExceptionServices;
using Bedrot.DataLake.Lake;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// Where a staging CSV's bytes go as they are written, in one pass: a small file is held and written
/// as <c>.csv</c>; once it passes <see cref="StagingFiles.GzipThreshold"/> bytes, everything so far
/// and everything after goes to <c>.csv.gz</c>, compressed, hashed and written on a second thread
/// while the rows are still being converted. Both are written atomically; a file abandoned half way
/// (the rows threw) leaves nothing behind.
/// </summary>
internal sealed class StagingOutput(string csvPath, long threshold) : Stream
{
    private const int ChunkSize = 1 << 20;

    // zlib level 5: on a 222 MB bank staging CSV, 1.1-1.2 s and 26.2 MB, where level 6 (Optimal) takes
    // 1.7 s for 25.7 MB and level 4 1.2 s for 27.8 MB; compression was a third of staging's CPU.
    private static readonly ZLibCompressionOptions Compression = new() { CompressionLevel = 5 };

    // At most this many chunks wait for the compressor: memory stays bounded if it falls behind.
    private const int QueuedChunks = 8;

    private readonly MemoryStream _held = new();
    private Handoff<(byte[] Chunk, int Length)>? _queue;

    // Chunks go back and forth between the writer and the compressor instead of being allocated anew.
    private readonly Handoff<byte[]> _spare = new(QueuedChunks + 2);
    private int _allocated;
    private Task<string>? _compressor;
    private byte[]? _chunk;
    private int _filled;
    private volatile bool _abandoned;
    private bool _completed;

    public string GzPath => csvPath + ".gz";

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_queue is null)
        {
            if (_held.Length + buffer.Length <= threshold)
            {
                _held.Write(buffer);
                return;
            }

            StartCompressing();
        }

        Append(buffer);
    }

    /// <summary>Finishes the file; returns the path written (maybe with <c>.gz</c>) and its SHA-256.</summary>
    public (string Path, string Sha256) Complete()
    {
        if (_queue is null)
        {
            var sha = AtomicFile.Write(csvPath, stream => stream.Write(_held.GetBuffer().AsSpan(0, (int)_held.Length)));
            Remove(GzPath);
            return (csvPath, sha);
        }

        Enqueue();
        _queue.Complete();
        _completed = true;
        string gzSha;
        try
        {
            gzSha = _compressor!.GetAwaiter().GetResult();
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }

        Remove(csvPath);
        return (GzPath, gzSha);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _queue is not null && !_completed)
        {
            // Not completed: the rows threw. The compressor discards what it wrote.
            _abandoned = true;
            _queue.Complete();
            try
            {
                _compressor!.Wait();
            }
            catch (AggregateException)
            {
                // The error that matters is the one already on its way up.
            }
        }

        if (disposing)
        {
            _held.Dispose();
        }

        base.Dispose(disposing);
    }

    private void StartCompressing()
    {
        _queue = new Handoff<(byte[], int)>(QueuedChunks);
        var queue = _queue;
        _compressor = Task.Factory.StartNew(() => Compress(queue), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Append(_held.GetBuffer().AsSpan(0, (int)_held.Length));
        _held.SetLength(0);
        _held.Capacity = 0;
    }

    private string Compress(Handoff<(byte[] Chunk, int Length)> queue)
    {
        try
        {
            return AtomicFile.Write(GzPath, stream =>
            {
                using (var gzip = new GZipStream(stream, Compression, leaveOpen: true))
                {
                    while (queue.TryTake(out var taken))
                    {
                        gzip.Write(taken.Chunk, 0, taken.Length);
                        _spare.Add(taken.Chunk);
                    }
                }

                // Thrown inside the atomic write, so its temporary file is removed and nothing is renamed into place.
                if (_abandoned)
                {
                    throw new OperationCanceledException($"{GzPath} was abandoned before it was complete.");
                }
            });
        }
        finally
        {
            // A failed compressor keeps taking chunks, so the writer never blocks on a full queue.
            while (queue.TryTake(out var taken))
            {
                _spare.Add(taken.Chunk);
            }
        }
    }

    private void Append(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            _chunk ??= NextChunk();
            var take = Math.Min(buffer.Length, _chunk.Length - _filled);
            buffer[..take].CopyTo(_chunk.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == _chunk.Length)
            {
                Enqueue();
            }
        }
    }

    private byte[] NextChunk()
    {
        if (_allocated < QueuedChunks + 2)
        {
            _allocated++;
            return new byte[ChunkSize];
        }

        // Every chunk is queued or being compressed: wait for one to come back.
        _spare.TryTake(out var chunk);
        return chunk;
    }

    private void Enqueue()
    {
        if (_chunk is null)
        {
            return;
        }

        if (_compressor!.IsFaulted)
        {
            // Surface the compressor's failure now rather than converting the rest for nothing.
            _compressor.GetAwaiter().GetResult();
        }

        _queue!.Add((_chunk, _filled));
        _chunk = null;
        _filled = 0;
    }

    private static void Remove(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
