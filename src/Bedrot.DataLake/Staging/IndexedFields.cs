using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// The column names of a file, shared by all its rows: a parser of a large export builds this once
/// and gives each row only its values (<see cref="IndexedFields"/>), not a dictionary of its own.
/// </summary>
public sealed class FieldNames
{
    private readonly Dictionary<string, int> _index;

    public FieldNames(IReadOnlyList<string> names)
    {
        Names = names;
        _index = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            // A repeated name reads its last column, as a dictionary filled column by column would.
            _index[names[i]] = i;
        }
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>The position of a column, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var index) ? index : -1;
}

/// <summary>One row's values by position, read by name through the file's <see cref="FieldNames"/>.</summary>
public sealed class IndexedFields(FieldNames names, string?[] values) : IReadOnlyDictionary<string, string?>
{
    public FieldNames Names => names;

    /// <summary>The value at a position (from <see cref="FieldNames.IndexOf"/>).</summary>
    public string? At(int index) => values[index];

    public int Count => values.Length;

    public IEnumerable<string> Keys => names.Names.Take(values.Length);

    public IEnumerable<string?> Values => values;

    public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => names.IndexOf(key) is var i && i >= 0 && i < values.Length;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        var index = names.IndexOf(key);
        if (index >= 0 && index < values.Length)
        {
            value = values[index];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++)
        {
            yield return new KeyValuePair<string, string?>(names.Names[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
