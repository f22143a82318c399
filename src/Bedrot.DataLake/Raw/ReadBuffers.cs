using System.Numerics;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// Read buffers reused from one landing file to the next. Reading into fresh memory costs a page
/// fault per 4 KB page: measured on the 2-core machine of the benchmarks, reading a 106 MB file into
/// a new array took 370-430 ms of processor time, into a reused one 14 ms, and hashing it 75-90 ms.
/// At most one buffer per processor is kept, the largest ones, for as long as the promoter lives.
/// </summary>
public sealed class ReadBuffers
{
    /// <summary>The smallest buffer made: small files then share one instead of each allocating its own.</summary>
    private const int Minimum = 1 << 20;

    private readonly List<byte[]> _free = [];
    private readonly int _keep = Environment.ProcessorCount;

    /// <summary>A buffer of at least <paramref name="length"/> bytes; its content is whatever it held before.</summary>
    public byte[] Rent(int length)
    {
        lock (_free)
        {
            if (_free.Where(buffer => buffer.Length >= length).MinBy(buffer => buffer.Length) is { } fit)
            {
                _free.Remove(fit);
                return fit;
            }
        }

        // Rounded up to a power of two, so that files of about the same size share buffers instead of
        // each slightly larger one allocating (and faulting in) a new one.
        var size = length <= Minimum ? Minimum : length > 1 << 30 ? length : (int)BitOperations.RoundUpToPowerOf2((uint)length);
        return GC.AllocateUninitializedArray<byte>(size);
    }

    public void Return(byte[] buffer)
    {
        lock (_free)
        {
            _free.Add(buffer);
            if (_free.Count > _keep)
            {
                _free.Remove(_free.MinBy(b => b.Length)!);
            }
        }
    }
}
