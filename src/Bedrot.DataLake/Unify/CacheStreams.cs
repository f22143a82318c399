using System.Buffers;
using System.Text;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// Writes the unify cache's values; each distinct string is written once and referred to after.
/// Whole numbers are 7-bit encoded and texts are a 7-bit byte count and UTF-8, as
/// <see cref="BinaryWriter"/> writes them, into a buffer passed to the stream 64 KB at a time (a
/// cache of thousands of files is hundreds of thousands of values, most of them a byte or two).
/// </summary>
internal sealed class CacheWriter(Stream stream) : IDisposable
{
    private const int Block = 1 << 16;

    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(Block * 2);
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);
    private int _filled;

    /// <summary>Makes room for the distinct strings of a cache about to be written (those the last one had).</summary>
    public void Expect(int strings) => _strings.EnsureCapacity(strings);

    public void Write(int value) => Write((ulong)(uint)value);

    public void Write(long value) => Write((ulong)value);

    /// <summary>
    /// A decimal exactly (value and scale) in as few bytes as it needs: a byte of sign, scale and
    /// whether the high word is set, the low 64 bits of the mantissa, then the high 32 when set.
    /// </summary>
    public void Write(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        Byte((byte)(scale | (bits[3] < 0 ? 0x80 : 0) | (bits[2] != 0 ? 0x40 : 0)));
        Write((ulong)(uint)bits[0] | ((ulong)(uint)bits[1] << 32));
        if (bits[2] != 0)
        {
            Write(bits[2]);
        }
    }

    public void Write(decimal? value)
    {
        Byte(value.HasValue ? (byte)1 : (byte)0);
        if (value is { } number)
        {
            Write(number);
        }
    }

    /// <summary>0 for null, 1 and the text for a string not seen before, else 2 + its number.</summary>
    public void Write(string? value)
    {
        if (value is null)
        {
            Write(0);
        }
        else if (_strings.TryGetValue(value, out var known))
        {
            Write(known + 2);
        }
        else
        {
            Write(1);
            var length = Encoding.UTF8.GetByteCount(value);
            Write(length);
            if (length > _buffer.Length - _filled)
            {
                Flush();
            }

            if (length > _buffer.Length)
            {
                stream.Write(Encoding.UTF8.GetBytes(value));
            }
            else
            {
                _filled += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_filled));
            }

            _strings[value] = _strings.Count;
        }
    }

    /// <summary>A count, then each text.</summary>
    public void WriteList(IReadOnlyList<string?> values)
    {
        Write(values.Count);
        foreach (var value in values)
        {
            Write(value);
        }
    }

    /// <summary>A count, then each amount.</summary>
    public void WriteList(IReadOnlyList<decimal> values)
    {
        Write(values.Count);
        foreach (var value in values)
        {
            Write(value);
        }
    }

    /// <summary>A count, then each amount or its absence.</summary>
    public void WriteList(IReadOnlyList<decimal?> values)
    {
        Write(values.Count);
        foreach (var value in values)
        {
            Write(value);
        }
    }

    /// <summary>Passes what is written to the stream; the caller flushes the stream.</summary>
    public void Dispose()
    {
        Flush();
        ArrayPool<byte>.Shared.Return(_buffer);
    }

    /// <summary>Seven bits a byte, lowest first, the high bit set on every byte but the last.</summary>
    private void Write(ulong value)
    {
        if (_buffer.Length - _filled < 10)
        {
            Flush();
        }

        while (value >= 0x80)
        {
            _buffer[_filled++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_filled++] = (byte)value;
    }

    private void Byte(byte value)
    {
        if (_filled == _buffer.Length)
        {
            Flush();
        }

        _buffer[_filled++] = value;
    }

    private void Flush()
    {
        stream.Write(_buffer, 0, _filled);
        _filled = 0;
    }
}

/// <summary>
/// Reads what <see cref="CacheWriter"/> wrote, from the file's bytes in memory; a repeated string comes
/// back as the same instance. Data that ends early throws <see cref="EndOfStreamException"/>, and a
/// number too long for its type <see cref="FormatException"/>.
/// </summary>
internal sealed class CacheReader(byte[] bytes)
{
    private readonly List<string> _strings = [];
    private int _at;

    /// <summary>How many distinct strings were read so far.</summary>
    public int Strings => _strings.Count;

    public int Int()
    {
        var value = Number(5);
        return value <= uint.MaxValue ? (int)(uint)value : throw new FormatException("unify cache: a number too large for 32 bits");
    }

    public long Long() => (long)Number(10);

    public decimal Decimal()
    {
        var header = Byte();
        var low = Number(10);
        var high = (header & 0x40) != 0 ? Int() : 0;
        return new decimal((int)low, (int)(low >> 32), high, (header & 0x80) != 0, (byte)(header & 0x3F));
    }

    public decimal? MaybeDecimal() => Byte() != 0 ? Decimal() : null;

    public string? MaybeString()
    {
        var tag = Int();
        if (tag == 0)
        {
            return null;
        }

        if (tag > 1)
        {
            return tag - 2 < _strings.Count ? _strings[tag - 2] : throw new InvalidDataException("unify cache: a string refers past those read");
        }

        var length = Int();
        if (length < 0 || length > bytes.Length - _at)
        {
            throw new EndOfStreamException("unify cache: a string runs past the end");
        }

        var value = Encoding.UTF8.GetString(bytes, _at, length);
        _at += length;
        _strings.Add(value);
        return value;
    }

    public string String() => MaybeString() ?? throw new InvalidDataException("unify cache: a value is missing");

    /// <summary>What <see cref="CacheWriter.WriteList(IReadOnlyList{string})"/> wrote, where a value may be missing.</summary>
    public string?[] MaybeStrings() => List(MaybeString);

    /// <summary>What <see cref="CacheWriter.WriteList(IReadOnlyList{string})"/> wrote, where every value is present.</summary>
    public string[] AllStrings() => List(String);

    public decimal[] Decimals() => List(Decimal);

    public decimal?[] MaybeDecimals() => List(MaybeDecimal);

    private T[] List<T>(Func<T> read)
    {
        var count = Int();
        if (count < 0 || count > bytes.Length - _at)
        {
            // Every value takes at least a byte: a longer list is damage, not a reason to allocate.
            throw new EndOfStreamException("unify cache: a list runs past the end");
        }

        var values = new T[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read();
        }

        return values;
    }

    private byte Byte() => _at < bytes.Length ? bytes[_at++] : throw new EndOfStreamException("unify cache: the data ends early");

    /// <summary>A 7-bit encoded number of at most <paramref name="most"/> bytes.</summary>
    private ulong Number(int most)
    {
        ulong value = 0;
        for (var shift = 0; shift < most * 7; shift += 7)
        {
            var next = Byte();
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("unify cache: a number runs too long");
    }
}
