using System.Text;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// One string per distinct value of a column: a value read again (the same store, artist or
/// month on row after row) is found from its bytes and not allocated again, and being the same
/// object lets what was worked out from it (its parse, its key) be recalled. ASCII values only;
/// like <see cref="Recall{TKey,TValue}"/>, a column whose values do not repeat turns it off.
/// </summary>
internal sealed class StringRecall
{
    private const int LongestKept = 128;

    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private RepeatTrial _trial;

    public StringRecall() => _bySpan = _known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The string of <paramref name="utf8"/>, or null when it must be read the usual way (not ASCII, too long, turned off).</summary>
    public string? Of(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > LongestKept || !Ascii.IsValid(utf8) || !_trial.Looking(_known))
        {
            return null;
        }

        Span<char> chars = stackalloc char[utf8.Length];
        Ascii.ToUtf16(utf8, chars, out _);
        if (_bySpan.TryGetValue(chars, out var known))
        {
            _trial.Found();
            return known;
        }

        var text = new string(chars);
        if (_trial.Keeping(_known))
        {
            _known[text] = text;
        }

        return text;
    }
}
