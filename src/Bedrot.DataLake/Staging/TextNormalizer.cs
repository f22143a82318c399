using System.Globalization;
using System.Text;

namespace Bedrot.DataLake.Staging;

/// <summary>Standardises text without destroying it: display values keep their case.</summary>
public static class TextNormalizer
{
    /// <summary>NFC, trimmed, with every run of white space (tabs, no-break spaces) made one space.</summary>
    public static string Clean(string value)
    {
        if (IsClean(value))
        {
            return value;
        }

        var text = Normalize(value, NormalizationForm.FormC);
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\u00A0')
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Whether <see cref="Clean"/> would return the text unchanged: printable ASCII (which NFC leaves
    /// alone) with no space at either end and no two in a row. Most values of real exports are.
    /// </summary>
    private static bool IsClean(string value)
    {
        if (value.Length == 0)
        {
            return true;
        }

        if (value[0] == ' ' || value[^1] == ' ')
        {
            return false;
        }

        var previous = 'x';
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' || (c == ' ' && previous == ' '))
            {
                return false;
            }

            previous = c;
        }

        return true;
    }

    /// <summary>
    /// A matching key: lower case, accents removed, punctuation dropped, words separated by one
    /// space (<c>"Sólveig  (feat. PIG1987)"</c> becomes <c>"solveig feat pig1987"</c>).
    /// </summary>
    public static string Key(string value)
    {
        var decomposed = Normalize(Clean(value), NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace)
                {
                    builder.Append(' ');
                    pendingSpace = false;
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingSpace = builder.Length > 0;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A file-name-safe form of a name: its matching key in ASCII letters and digits joined by
    /// <c>-</c>, then 8 hex digits of the name's hash, so names that differ only in accents or
    /// punctuation (<c>Sólveig</c>, <c>Solveig</c>) still get different slugs.
    /// </summary>
    public static string Slug(string value)
    {
        var words = Key(value).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsAsciiLetterOrDigit).ToArray()))
            .Where(w => w.Length > 0);
        var slug = string.Join('-', words);
        var hash = Incremental.Hashing.Of(value.Normalize(NormalizationForm.FormC))[..8];
        return slug.Length == 0 ? hash : $"{slug}-{hash}";
    }

    /// <summary>
    /// Unicode normalisation that never throws: text .NET cannot normalise (an unpaired surrogate,
    /// a noncharacter such as U+FFFE) has those code points replaced by U+FFFD first.
    /// </summary>
    public static string Normalize(string value, NormalizationForm form)
    {
        try
        {
            return value.Normalize(form);
        }
        catch (ArgumentException)
        {
            var builder = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    var codePoint = char.ConvertToUtf32(c, value[i + 1]);
                    builder.Append((codePoint & 0xFFFE) == 0xFFFE ? "\uFFFD" : value.Substring(i, 2));
                    i++;
                }
                else if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' || c is >= '\uFDD0' and <= '\uFDEF')
                {
                    builder.Append('\uFFFD');
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString().Normalize(form);
        }
    }
}
