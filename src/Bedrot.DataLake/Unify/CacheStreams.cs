using System.Text;

namespace Bedrot.DataLake.Unify;

/// <summary>Writes the unify cache's values; each distinct string is written once and referred to after.</summary>
internal sealed class CacheWriter(Stream stream) : IDisposable
{
    private readonly BinaryWriter _writer = new(stream, Encoding.UTF8, leaveOpen: true);
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);

    public void Write(int value) => _writer.Write7BitEncodedInt(value);

    public void Write(long value) => _writer.Write7BitEncodedInt64(value);

    public void Write(decimal value) => _writer.Write(value);

    public void Write(decimal? value)
    {
        _writer.Write(value.HasValue);
        if (value is { } number)
        {
            _writer.Write(number);
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

    public void Dispose() => _writer.Dispose();
}

/// <summary>Reads what <see cref="CacheWriter"/> wrote; a repeated string comes back as the same instance.</summary>
internal sealed class CacheReader(Stream stream) : IDisposable
{
    private readonly BinaryReader _reader = new(stream, Encoding.UTF8, leaveOpen: true);
    private readonly List<string> _strings = [];

    public int Int() => _reader.Read7BitEncodedInt();

    public long Long() => _reader.Read7BitEncodedInt64();

    public decimal Decimal() => _reader.ReadDecimal();

    public decimal? MaybeDecimal() => _reader.ReadBoolean() ? _reader.ReadDecimal() : null;

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

    public void Dispose() => _reader.Dispose();
}
