using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>A string shown escaped in counterexamples (white space, control characters and surrogates visible).</summary>
public sealed record Text(string Value)
{
    public override string ToString() => ParserInputs.Show(Value);
}

/// <summary>Generators of text over the whole of Unicode, with a shrinker that drops characters.</summary>
public static class Texts
{
    /// <summary>One well-formed character (a surrogate pair for the astral planes), weighted towards the ones parsers care about.</summary>
    public static Gen<string> WellFormedCharacter { get; } = Gen.Frequency(
        (6, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
        (2, Gen.Elements(" ", "\t", "\r", "\n", "\u00A0", "\u2028", "\u3000", "\0", "\u0301", "\uFB01", "\u00E9", "e\u0301", "\uFEFF", "\u200B", "\uFFFE", "\uFFFF", "\uFFFD")),
        (2, Gen.Elements("0", "1", "9", "-", "+", ".", ",", "e", "E", "/", ":", "T", "Z", "\u0661", "\uFF11")),
        (1, Gen.Choose(0x80, 0xFF).Select(c => ((char)c).ToString())),
        (1, Gen.Choose(0x100, 0xD7FF).Select(c => ((char)c).ToString())),
        (1, Gen.Choose(0xE000, 0xFFFF).Select(c => ((char)c).ToString())),
        (1, Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)));

    /// <summary>One unpaired surrogate: a UTF-16 code unit no well-formed text holds on its own.</summary>
    public static Gen<string> LoneSurrogate { get; } = Gen.Choose(0xD800, 0xDFFF).Select(c => ((char)c).ToString());

    /// <summary>Well-formed text of any length the size allows.</summary>
    public static Gen<string> WellFormed { get; } = Gen.ListOf(WellFormedCharacter).Select(string.Concat);

    /// <summary>Text that may hold unpaired surrogates, as UTF-16 strings can.</summary>
    public static Gen<string> Any { get; } =
        Gen.ListOf(Gen.Frequency((12, WellFormedCharacter), (1, LoneSurrogate))).Select(string.Concat);

    /// <summary>Text from <paramref name="gen"/>; shrinks to shorter text that is still well-formed when <paramref name="wellFormed"/>.</summary>
    public static Arbitrary<Text> ArbitraryOf(Gen<string> gen, bool wellFormed) =>
        Arb.From(gen.Select(s => new Text(s)), t => Shrink(t.Value).Where(s => !wellFormed || IsWellFormed(s)).Select(s => new Text(s)));

    /// <summary>Shorter strings: empty, each half, then each character left out.</summary>
    public static IEnumerable<string> Shrink(string value)
    {
        if (value.Length == 0)
        {
            yield break;
        }

        yield return string.Empty;
        if (value.Length > 1)
        {
            yield return value[..(value.Length / 2)];
            yield return value[(value.Length / 2)..];
        }

        for (var i = 0; i < value.Length && value.Length <= 64; i++)
        {
            yield return value.Remove(i, 1);
        }
    }

    /// <summary>Whether the string is well-formed UTF-16 (every surrogate paired).</summary>
    public static bool IsWellFormed(string value)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetByteCount(value);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
