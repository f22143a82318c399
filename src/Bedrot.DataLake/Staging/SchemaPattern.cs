using System.Text.RegularExpressions;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// A schema field's <c>pattern</c>, anchored, matched in time linear in the text. The
/// non-backtracking engine guarantees that for any pattern it can run, but builds its automaton (and
/// the process compiles some two hundred of its methods) on first use. A simple pattern (no group,
/// no alternation, at most one open-ended repeat, few bounded ones: <c>[A-Z]{2}</c>,
/// <c>[0-9]{1,20}</c>) cannot backtrack more than a bounded number of times per character, so a
/// short text is matched by the backtracking interpreter, which starts at once; both engines give
/// the same answer for such a pattern. A longer text, or any other pattern, goes to the
/// non-backtracking engine; a pattern it cannot run (a lookaround, a back-reference) falls back to the
/// backtracking engine with a one-second timeout.
/// </summary>
internal sealed class SchemaPattern
{
    /// <summary>The longest text the interpreter matches for a simple pattern: each of its few ways to split a text is tried at most once per character.</summary>
    internal const int ShortText = 256;

    /// <summary>The most ways a simple pattern's bounded repeats may split a text (the product of each one's count of lengths).</summary>
    private const long MostSplits = 10_000;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private readonly string _anchored;
    private readonly Regex? _short;
    private readonly Lazy<Regex> _linear;

    /// <summary>Compiles <paramref name="pattern"/>; throws <see cref="ArgumentException"/> when it is not a valid pattern.</summary>
    public SchemaPattern(string pattern)
    {
        _anchored = "^(?:" + pattern + ")$";
        _short = IsSimple(pattern) ? new Regex(_anchored, RegexOptions.CultureInvariant, Timeout) : null;
        _linear = new Lazy<Regex>(Linear, LazyThreadSafetyMode.ExecutionAndPublication);
        if (_short is null)
        {
            // Built now, so a pattern that does not compile fails as the converter is made.
            _ = _linear.Value;
        }
    }

    /// <summary>Whether short texts of this pattern are matched by the backtracking interpreter.</summary>
    internal bool MatchesShortTextsByInterpreter => _short is not null;

    /// <summary>Whether the whole of <paramref name="text"/> matches; may throw <see cref="RegexMatchTimeoutException"/> only for a pattern the non-backtracking engine cannot run.</summary>
    public bool IsMatch(string text) =>
        _short is not null && text.Length <= ShortText ? _short.IsMatch(text) : _linear.Value.IsMatch(text);

    private Regex Linear()
    {
        try
        {
            return new Regex(_anchored, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(_anchored, RegexOptions.CultureInvariant, Timeout);
        }
    }

    /// <summary>
    /// Whether a pattern is a run of single atoms (a character, an escaped character or class such as
    /// <c>\d</c>, a bracketed class without a nested one, or an anchor), each repeated at most by one
    /// quantifier, with no group, no alternation, at most one open-ended repeat (<c>*</c>, <c>+</c>,
    /// <c>{n,}</c>), and bounded repeats splitting a text in at most <see cref="MostSplits"/> ways.
    /// Anything else (including what this reading does not know) is not simple.
    /// </summary>
    internal static bool IsSimple(string pattern)
    {
        var (open, splits, atom) = (0, 1L, false);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    // An escape of one ASCII letter or punctuation mark; not a back-reference, a property or a code.
                    if (i + 1 >= pattern.Length || !char.IsAscii(pattern[i + 1]) || char.IsAsciiDigit(pattern[i + 1])
                        || "pPxuckQEbBAzZG".Contains(pattern[i + 1], StringComparison.Ordinal))
                    {
                        return false;
                    }

                    i++;
                    atom = true;
                    break;
                case '[':
                    var end = ClassEnd(pattern, i);
                    if (end < 0)
                    {
                        return false;
                    }

                    i = end;
                    atom = true;
                    break;
                case '^' or '$':
                    atom = false;
                    break;
                case '*' or '+' or '?' or '{':
                    if (!atom || !Repeat(pattern, ref i, out var most))
                    {
                        return false;
                    }

                    if (most is null)
                    {
                        open++;
                    }
                    else
                    {
                        splits *= most.Value + 1;
                    }

                    // A repeat is lazy or possessive-looking only by another mark, which this reading does not take.
                    if (open > 1 || splits > MostSplits || (i + 1 < pattern.Length && pattern[i + 1] is '?' or '+' or '*' or '{'))
                    {
                        return false;
                    }

                    atom = false;
                    break;
                case '(' or ')' or '|' or ']' or '}' or '#' or ' ':
                    return false;
                default:
                    atom = !char.IsWhiteSpace(c);
                    if (!atom)
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    /// <summary>Where the bracketed class opening at <paramref name="start"/> closes; -1 when it holds a nested class, a subtraction or an escape this reading does not take.</summary>
    private static int ClassEnd(string pattern, int start)
    {
        var i = start + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        for (var first = true; i < pattern.Length; i++, first = false)
        {
            switch (pattern[i])
            {
                case ']' when !first:
                    return i;
                case '[':
                    return -1;
                case '\\':
                    if (i + 1 >= pattern.Length || !char.IsAscii(pattern[i + 1]) || "pPxuc".Contains(pattern[i + 1], StringComparison.Ordinal))
                    {
                        return -1;
                    }

                    i++;
                    break;
                case '-' when i + 1 < pattern.Length && pattern[i + 1] == '[':
                    return -1;
            }
        }

        return -1;
    }

    /// <summary>
    /// Reads the quantifier at <paramref name="at"/> (moved to its last character): its greatest count,
    /// null when open-ended. False for a brace that is not a quantifier of whole numbers.
    /// </summary>
    private static bool Repeat(string pattern, ref int at, out long? most)
    {
        switch (pattern[at])
        {
            case '?':
                most = 1;
                return true;
            case '*' or '+':
                most = null;
                return true;
        }

        most = null;
        var close = pattern.IndexOf('}', at);
        if (close < 0)
        {
            return false;
        }

        var inside = pattern.AsSpan(at + 1, close - at - 1);
        var comma = inside.IndexOf(',');
        var low = comma < 0 ? inside : inside[..comma];
        if (!long.TryParse(low, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var least))
        {
            return false;
        }

        if (comma < 0)
        {
            most = least;
        }
        else if (inside[(comma + 1)..].IsEmpty)
        {
            most = null;
        }
        else if (long.TryParse(inside[(comma + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var high) && high >= least)
        {
            most = high;
        }
        else
        {
            return false;
        }

        at = close;
        return true;
    }
}
