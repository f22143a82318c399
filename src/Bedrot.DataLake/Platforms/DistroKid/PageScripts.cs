using System.Text;
using HtmlAgilityPack;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.DistroKid;

/// <summary>
/// Finds the data of a saved DistroKid stats page: the page is parsed as HTML, its inline
/// <c>&lt;script&gt;</c> blocks are searched for a chart call or variable, and the object literal
/// that follows is cut out by bracket matching and read leniently (trailing commas occur).
/// </summary>
internal static class PageScripts
{
    /// <summary>The inline script blocks of the page, in document order.</summary>
    public static IReadOnlyList<string> Of(ReadOnlyMemory<byte> bytes, out bool looksLikeHtml)
    {
        var text = Decode(bytes.Span);
        // The bytes are decoded already; the page's own charset declaration (even utf-7) is not followed.
        var document = new HtmlDocument { OptionReadEncoding = false };
        document.LoadHtml(text);
        looksLikeHtml = document.DocumentNode.SelectSingleNode("//html|//body|//head") is not null;
        var scripts = document.DocumentNode.SelectNodes("//script");
        var inline = scripts is null
            ? []
            : scripts.Where(s => s.GetAttributeValue("src", null) is null).Select(s => s.InnerHtml).ToList();

        // A page saved incompletely ends inside a <script>, which the HTML parser drops; keep its
        // text so the chart in it is reported as cut short, not as missing.
        var lastOpen = text.LastIndexOf("<script", StringComparison.OrdinalIgnoreCase);
        if (lastOpen >= 0 && text.IndexOf("</script", lastOpen, StringComparison.OrdinalIgnoreCase) < 0)
        {
            var body = text.IndexOf('>', lastOpen);
            if (body > 0)
            {
                inline.Add(text[(body + 1)..] + "\n/* the page ends here, inside this script: it was saved incompletely */");
            }
        }

        return inline;
    }

    /// <summary>The object passed to <c>makeChart("<paramref name="chartId"/>", {...})</c>.</summary>
    public static JObject? Chart(IReadOnlyList<string> scripts, string chartId, out string? problem) =>
        ObjectAfter(scripts, $"makeChart(\"{chartId}\"", $"chart '{chartId}'", out problem);

    /// <summary>The object assigned by <c>var <paramref name="name"/> = {...};</c>.</summary>
    public static JObject? Variable(IReadOnlyList<string> scripts, string name, out string? problem) =>
        ObjectAfter(scripts, $"var {name} =", $"variable '{name}'", out problem);

    private static JObject? ObjectAfter(IReadOnlyList<string> scripts, string marker, string what, out string? problem)
    {
        foreach (var script in scripts)
        {
            var at = script.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var start = script.IndexOf('{', at + marker.Length);
            var end = start < 0 ? -1 : MatchingBrace(script, start);
            if (end < 0)
            {
                problem = script.EndsWith("saved incompletely */", StringComparison.Ordinal)
                    ? $"{what}: its object literal is not closed: the page ends inside its script (it was saved incompletely)"
                    : $"{what}: its object literal is not closed";
                return null;
            }

            try
            {
                problem = null;
                using var reader = new JsonTextReader(new StringReader(script[start..(end + 1)]))
                {
                    DateParseHandling = DateParseHandling.None,
                    FloatParseHandling = FloatParseHandling.Decimal,
                };
                return JObject.Load(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            }
            catch (JsonReaderException error)
            {
                problem = error.Message.Contains("already exists in the current JSON object", StringComparison.Ordinal)
                    ? $"{what}: a duplicate key ({error.Message}); which value is right cannot be known"
                    : $"{what}: not a readable object literal ({error.Message})";
                return null;
            }
        }

        problem = $"no inline <script> contains {what}";
        return null;
    }

    /// <summary>The index of the brace that closes the one at <paramref name="open"/>, skipping strings.</summary>
    private static int MatchingBrace(string text, int open)
    {
        var depth = 0;
        char? quote = null;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    if (depth == 0)
                    {
                        return c == '}' ? i : -1;
                    }

                    break;
            }
        }

        return -1;
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        return System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
    }
}
