using System.Text;

namespace Bedrot.DataLake.Unify;

/// <summary>Writes the unify cache's values; each distinct string is written once and referred to after.</summary>
internal sealed class CacheWriter(Stream stream) : IDisposable
{
    private readonly BinaryWriter _writer = new(stream, Encoding.UTF8, leaveOpen: true);
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);

    public void Write(int value) => _writer.Write7BitEncodedInt(value);

    public void Write(long value) => _writer.Write7BitEncodedInt64(value);

    /// <summary>
    /// A decimal exactly (value and scale) in as few bytes as it needs: a byte of sign, scale and
    /// whether the high word is set, the low 64 bits of the mantissa, then the high 32 when set.
    /// </summary>
    public void Write(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        _writer.Write((byte)(scale | (bits[3] < 0 ? 0x80 : 0) | (bits[2] != 0 ? 0x40 : 0)));
        _writer.Write7BitEncodedInt64((long)((uint)bits[0] | ((ulong)(uint)bits[1] << 32)));
        if (bits[2] != 0)
        {
            _writer.Write7BitEncodedInt(bits[2]);
        }
    }

    public void Write(decimal? value)
    {
        _writer.Write(value.HasValue);
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
            _writer.Write7BitEncodedInt(0);
        }
        else if (_strings.TryGetValue(value, out var known))
        {
            _writer.Write7BitEncodedInt(known + 2);
        }
        else
        {
            _writer.Write7BitEncodedInt(1);
            _writer.Write(value);
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

    public void Dispose() => _writer.Dispose();
}

/// <summary>Reads what <see cref="CacheWriter"/> wrote; a repeated string comes back as the same instance.</summary>
internal sealed class CacheReader(Stream stream) : IDisposable
{
    private readonly BinaryReader _reader = new(stream, Encoding.UTF8, leaveOpen: true);
    private readonly List<string> _strings = [];

    public int Int() => _reader.Read7BitEncodedInt();

    public long Long() => _reader.Read7BitEncodedInt64();

    public decimal Decimal()
    {
        var header = _reader.ReadByte();
        var low = (ulong)_reader.Read7BitEncodedInt64();
        var high = (header & 0x40) != 0 ? _reader.Read7BitEncodedInt() : 0;
        return new decimal((int)low, (int)(low >> 32), high, (header & 0x80) != 0, (byte)(header & 0x3F));
    }

    public decimal? MaybeDecimal() => _reader.ReadBoolean() ? Decimal() : null;

    public string? MaybeString()
    {
        var tag = _reader.Read7BitEncodedInt();
        if (tag == 0)
        {
            return null;
        }

        if (tag > 1)
        {
            return _strings[tag - 2];
        }

        var value = _reader.ReadString();
        _strings.Add(value);
        return value;
    }

    public string String() => MaybeString() ?? throw new InvalidDataException("unify cache: a value is missing");

    /// <summary>What <see cref="CacheWriter.WriteList(IReadOnlyList{string})"/> wrote, where a value may be missing.</summary>
    public string?[] MaybeStrings() => List(MaybeString);

    /// <summary>What <see cref="CacheWriter.WriteList(IReadOnlyList{string})"/> wrote, where every value is present.</summary>
    public string[] Strings() => List(String);

    public decimal[] Decimals() => List(Decimal);

    public decimal?[] MaybeDecimals() => List(MaybeDecimal);

    private T[] List<T>(Func<T> read)
    {
        var values = new T[Int()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read();
        }

        return values;
    }

    public void Dispose() => _reader.Dispose();
}
