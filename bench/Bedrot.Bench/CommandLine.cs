using System.Globalization;

namespace Bedrot.Bench;

/// <summary>The <c>--name value</c> options of one command, read once; unknown names are refused.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public CommandLine(IEnumerable<string> arguments, IReadOnlyCollection<string> known)
    {
        using var next = arguments.GetEnumerator();
        while (next.MoveNext())
        {
            var name = next.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !known.Contains(name[2..]))
            {
                throw new ArgumentException($"unknown option '{name}'; expected {string.Join(", ", known.Select(k => "--" + k))}");
            }

            if (!next.MoveNext())
            {
                throw new ArgumentException($"{name} needs a value");
            }

            _values[name[2..]] = next.Current;
        }
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public long Number(string name, long fallback) =>
        _values.TryGetValue(name, out var value) ? long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<string> List(string name, IReadOnlyList<string> fallback) =>
        _values.TryGetValue(name, out var value)
            ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : fallback;
}
