using System.Text;

namespace Bedrot.DataLake.Incremental;

/// <summary>
/// What a work item depends on, by name (<c>step</c>, <c>code:...</c>, <c>input:...</c>,
/// <c>schema:...</c>), and the SHA-256 over all of it. Keeping the parts lets the planner say which
/// one changed.
/// </summary>
public sealed class Fingerprint
{
    private readonly SortedDictionary<string, string> _parts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Parts => _parts;

    public Fingerprint Add(string name, string value)
    {
        _parts[name] = value;
        return this;
    }

    public Fingerprint AddAll(IEnumerable<KeyValuePair<string, string>> parts)
    {
        foreach (var (name, value) in parts)
        {
            _parts[name] = value;
        }

        return this;
    }

    /// <summary>The hash over the parts in name order.</summary>
    public string Value => Of(_parts);

    public static string Of(IEnumerable<KeyValuePair<string, string>> parts)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in parts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('\u001f').Append(value).Append('\u001e');
        }

        return Hashing.Of(text.ToString());
    }
}
