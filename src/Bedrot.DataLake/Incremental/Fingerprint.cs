namespace Bedrot.DataLake.Incremental;

/// <summary>
/// What a work item depends on, by name (<c>step</c>, <c>code:...</c>, <c>input:...</c>,
/// <c>schema:...</c>), and the SHA-256 over all of it. Keeping the parts lets the planner say which
/// one changed.
/// </summary>
public sealed class Fingerprint
{
    private readonly SortedDictionary<string, string> _parts = new(StringComparer.Ordinal);
    private string? _value;

    public IReadOnlyDictionary<string, string> Parts => _parts;

    public Fingerprint Add(string name, string value)
    {
        _parts[name] = value;
        _value = null;
        return this;
    }

    public Fingerprint AddAll(IEnumerable<KeyValuePair<string, string>> parts)
    {
        foreach (var (name, value) in parts)
        {
            _parts[name] = value;
        }

        _value = null;
        return this;
    }

    /// <summary>The hash over the parts in name order; computed once, since a step asks for it several times per item.</summary>
    public string Value => _value ??= Of(_parts);

    public static string Of(IEnumerable<KeyValuePair<string, string>> parts)
    {
        // A sorted dictionary is already in name order; sorting again would cost a copy per item.
        var ordered = parts is SortedDictionary<string, string> sorted && ReferenceEquals(sorted.Comparer, StringComparer.Ordinal)
            ? parts
            : parts.OrderBy(p => p.Key, StringComparer.Ordinal);
        return Hashing.OfPairs(ordered.Select(p => (p.Key, p.Value)).ToList());
    }
}
