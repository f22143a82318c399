using System.Text;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>A real landing file: its name (which its kind claims) and its bytes.</summary>
public sealed record Sample(string FileName, byte[] Bytes)
{
    public override string ToString() => $"samples/landing/**/{FileName} ({Bytes.Length} bytes)";
}

/// <summary>
/// One edit of a file's bytes. Positions are seeds, taken modulo the length of the bytes at the
/// moment the edit is applied, so a list of edits replays the same way on the same sample.
/// </summary>
public sealed record Mutation(MutationKind Kind, int At, int Length, int To, byte[] Data)
{
    public byte[] Apply(byte[] input)
    {
        var at = Position(At, input.Length);
        switch (Kind)
        {
            case MutationKind.FlipByte when input.Length > 0:
            {
                var copy = (byte[])input.Clone();
                var index = Math.Min(at, input.Length - 1);
                copy[index] ^= (byte)(Data[0] == 0 ? 1 : Data[0]);
                return copy;
            }

            case MutationKind.Truncate:
                return input[..at];
            case MutationKind.Delete:
                return [.. input[..at], .. input[Math.Min(input.Length, at + Length)..]];
            case MutationKind.Insert:
                return [.. input[..at], .. Data, .. input[at..]];
            case MutationKind.Duplicate:
            {
                var slice = input[at..Math.Min(input.Length, at + Length)];
                var to = Position(To, input.Length);
                return [.. input[..to], .. slice, .. input[to..]];
            }

            case MutationKind.Latin1:
                // Text re-saved in a legacy code page: every character above U+00FF becomes '?'.
                return Encoding.Latin1.GetBytes(Encoding.UTF8.GetString(input));
            case MutationKind.Utf16:
                return [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(input))];
            case MutationKind.ToggleBom:
                return input.AsSpan().StartsWith("\uFEFF"u8) ? input[3..] : [.. "\uFEFF"u8, .. input];
            case MutationKind.ReplaceValue:
            {
                // Latin-1 maps bytes to characters one to one, so match positions are byte positions.
                var values = ParserInputs.ValuePattern.Matches(Encoding.Latin1.GetString(input));
                if (values.Count == 0)
                {
                    return input;
                }

                var value = values[(int)((uint)At % (uint)values.Count)];
                return [.. input[..value.Index], .. Data, .. input[(value.Index + value.Length)..]];
            }

            case MutationKind.InsertMember:
            {
                // A member added at the start of an object: after the n-th '{'.
                var opens = input.Select((b, i) => (b, i)).Where(p => p.b == (byte)'{').Select(p => p.i).ToList();
                if (opens.Count == 0)
                {
                    return input;
                }

                var open = opens[(int)((uint)At % (uint)opens.Count)] + 1;
                return [.. input[..open], .. Data, .. ", "u8, .. input[open..]];
            }

            case MutationKind.LineEnds:
            {
                var text = Encoding.UTF8.GetString(input).Replace("\r\n", "\n", StringComparison.Ordinal);
                var end = (At & 1) == 0 ? "\r\n" : "\r";
                return Encoding.UTF8.GetBytes(text.Replace("\n", end, StringComparison.Ordinal));
            }

            default:
                return input;
        }
    }

    public override string ToString() => Kind switch
    {
        MutationKind.FlipByte => $"FlipByte(at {At}, xor 0x{Data[0]:X2})",
        MutationKind.Truncate => $"Truncate(at {At})",
        MutationKind.Delete => $"Delete(at {At}, {Length} bytes)",
        MutationKind.Insert => $"Insert(at {At}, {ParserInputs.Show(Data)})",
        MutationKind.Duplicate => $"Duplicate(at {At}, {Length} bytes, to {To})",
        MutationKind.ReplaceValue => $"ReplaceValue(value {At}, {ParserInputs.Show(Data)})",
        MutationKind.InsertMember => $"InsertMember(object {At}, {ParserInputs.Show(Data)})",
        MutationKind.LineEnds => $"LineEnds({((At & 1) == 0 ? "CRLF" : "CR")})",
        _ => Kind.ToString(),
    };

    private static int Position(int seed, int length) => (int)((uint)seed % (uint)(length + 1));
}

public enum MutationKind
{
    FlipByte,
    Truncate,
    Delete,
    Insert,
    Duplicate,
    ReplaceValue,
    InsertMember,
    Latin1,
    Utf16,
    ToggleBom,
    LineEnds,
}

/// <summary>A real sample after a list of edits; shown as the sample and the edits, which replay it.</summary>
public sealed record MutatedSample(Sample Sample, IReadOnlyList<Mutation> Mutations)
{
    public byte[] Bytes() => Mutations.Aggregate(Sample.Bytes, (bytes, mutation) => mutation.Apply(bytes));

    public override string ToString() => $"{Sample} with [{string.Join("; ", Mutations)}]";
}

/// <summary>A real sample with one of its values (a JSON string or number, a quoted or numeric field) replaced by a JSON string of any text.</summary>
public sealed record TextInSample(Sample Sample, int At, string Text)
{
    public string Literal => JsonConvert.ToString(Text);

    public byte[] Bytes() => new Mutation(MutationKind.ReplaceValue, At, 0, 0, Encoding.UTF8.GetBytes(Literal)).Apply(Sample.Bytes);

    public override string ToString()
    {
        var values = ParserInputs.ValuePattern.Matches(Encoding.Latin1.GetString(Sample.Bytes));
        var replaced = values.Count == 0 ? "nothing" : ParserInputs.Show(Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(values[(int)((uint)At % (uint)values.Count)].Value)));
        return $"{Sample} with value {At} ({replaced}) replaced by {ParserInputs.Show(Literal)}";
    }
}

/// <summary>A real sample with any text inserted into its first line (a header, a JSON key, a doctype).</summary>
public sealed record TextInFirstLine(Sample Sample, int At, string Text)
{
    public byte[] Bytes()
    {
        var bytes = Sample.Bytes;
        var end = bytes.AsSpan().IndexOfAny((byte)'\r', (byte)'\n');
        var at = (int)((uint)At % (uint)((end < 0 ? bytes.Length : end) + 1));
        return [.. bytes[..at], .. Encoding.UTF8.GetBytes(Text), .. bytes[at..]];
    }

    public override string ToString()
    {
        var end = Sample.Bytes.AsSpan().IndexOfAny((byte)'\r', (byte)'\n');
        return $"{Sample} with {ParserInputs.Show(Text)} inserted in its first line at byte {(uint)At % (uint)((end < 0 ? Sample.Bytes.Length : end) + 1)}";
    }
}

/// <summary>
/// Text spliced together from structural tokens and slices of a real sample, after a prefix of
/// that sample (so the header checks are often passed and the inner parsers reached).
/// </summary>
public sealed record SplicedSample(Sample Sample, int Prefix, IReadOnlyList<byte[]> Pieces)
{
    public byte[] Bytes() => [.. Sample.Bytes.AsSpan(0, Math.Min(Prefix, Sample.Bytes.Length)), .. Pieces.SelectMany(p => p)];

    public override string ToString() => $"the first {Prefix} bytes of {Sample}, then {ParserInputs.Show(Pieces.SelectMany(p => p).ToArray())}";
}

/// <summary>Generators and shrinkers of parser inputs, built from the real samples of a kind.</summary>
public static class ParserInputs
{
    /// <summary>Bytes that mean something to one parser or another: quotes, separators, line ends, brackets, bad UTF-8.</summary>
    public static readonly IReadOnlyList<byte[]> StructuralTokens =
    [
        .. new[]
        {
            "\"", "\"\"", ",", ";", "\t", "\r", "\n", "\r\n", "\0", "{", "}", "[", "]", ":", "'", "\\", " ",
            "<", ">", "<html>", "<body>", "<script>", "</script>", "<!--", "-->", "var chartData = ", "makeChart(\"trend365day\", ",
            "\"dataProvider\": [", "null", "true", "-", "NaN", "1e309", "-1", "0", "99999999999999999999999999999",
            "18446744073709551616", "\\u0000", "\\ud800", "\\ufffe", "\u00e9", "\u00a0", "\U0001F319", "\uFEFF", "\uFFFE", "\uFFFF",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC3], [0xE2, 0x80], [0xED, 0xA0, 0x80], [0xFE, 0xFF], [0x80],
    ];

    /// <summary>Values that replace a value of a file: other types, edge numbers, odd dates, escapes, empty containers.</summary>
    public static readonly IReadOnlyList<byte[]> ValueTokens =
        new[]
        {
            "\"\"", "null", "\"x\"", "-1", "0", "-0", "1.5", "1e309", "-1e309", "1e-400", "99999999999999999999999999999",
            "79228162514264337593543950336", "18446744073709551616", "9223372036854775808", "{}", "[]", "[{}]", "[null]", "true",
            "\"\\ud800\"", "\"\\u0000\"", "\"2025-02-30\"", "\"5/17/2025\"", "\"0001-01-01\"", "\"9999-12-31T23:59:59-14:00\"",
            "\"NaN\"", "\"-\"", "\"1,234\"", "\"1.2E+17\"", "\"\u0661\u0662\"", "\"\uFF11\uFF12\"", "\" \"", "\"\u00e9\u0301\"",
            "\"\uFB01\"", "\"\U0001F319\"", "\"\uFFFE\"", "\"\\ufffe\"", "{\"error\": {\"message\": \"x\"}}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        }.Select(Encoding.UTF8.GetBytes).ToList();

    /// <summary>A JSON string or a number, in JSON, in a script's object literal, or in a CSV field.</summary>
    public static readonly Regex ValuePattern = new(@"""(?:[^""\\\r\n]|\\.)*""|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", RegexOptions.CultureInvariant);

    private static readonly Lazy<IReadOnlyList<Sample>> AllSamples = new(() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "samples", "landing"), "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => new Sample(Path.GetFileName(path), File.ReadAllBytes(path)))
            .ToList());

    /// <summary>Every landing sample, under its own name.</summary>
    public static IReadOnlyList<Sample> Samples => AllSamples.Value;

    /// <summary>The samples a kind claims by both name and content.</summary>
    public static IReadOnlyList<Sample> SamplesOf(RawFileKind kind) =>
        Samples.Where(s => kind.MatchesName(s.FileName) && kind.MatchesContent(Head(s.Bytes))).ToList();

    public static ReadOnlySpan<byte> Head(byte[] bytes) => bytes.AsSpan(0, Math.Min(bytes.Length, Recognizer.HeadLength));

    /// <summary>The property names of the samples' JSON and object literals, and the reply shapes the parsers know.</summary>
    public static IReadOnlyList<string> KnownKeys => AllKeys.Value;

    private static readonly Lazy<IReadOnlyList<string>> AllKeys = new(() =>
        Samples.SelectMany(s => Regex.Matches(Encoding.Latin1.GetString(s.Bytes), @"""([A-Za-z_][A-Za-z0-9_.\- ]{0,40})""\s*:").Select(m => m.Groups[1].Value))
            .Concat(["error", "data", "paging", "message", "code", "type", ""])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList());

    /// <summary>A small JSON value: a token of <see cref="ValueTokens"/>, or an array or object (with known keys) of such, <paramref name="depth"/> deep at most.</summary>
    public static Gen<string> JsonValue(int depth)
    {
        var scalar = Gen.Elements(ValueTokens.Select(Encoding.UTF8.GetString).ToArray());
        if (depth == 0)
        {
            return scalar;
        }

        var inner = JsonValue(depth - 1);
        var array = Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(inner, n)).Select(items => "[" + string.Join(", ", items) + "]");
        var member = Gen.Elements(KnownKeys.ToArray()).SelectMany(key => inner.Select(value => $"\"{key}\": {value}"));
        var obj = Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(member, n)).Select(members => "{" + string.Join(", ", members) + "}");
        return Gen.Frequency((3, scalar), (1, array), (1, obj));
    }

    /// <summary>The values of the object members of the samples that are JSON, by key, containers only, a few each.</summary>
    private static readonly Lazy<Dictionary<string, List<JToken>>> SampleMembers = new(() =>
    {
        var members = new Dictionary<string, List<JToken>>(StringComparer.Ordinal);
        foreach (var sample in Samples.Where(s => s.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
        {
            JToken document;
            try
            {
                document = JToken.Parse(Encoding.UTF8.GetString(sample.Bytes));
            }
            catch (JsonReaderException)
            {
                continue;
            }

            var properties = document is JContainer container ? container.DescendantsAndSelf().OfType<JProperty>() : [];
            foreach (var property in properties.Where(p => p.Value is JContainer))
            {
                if (!members.TryGetValue(property.Name, out var values))
                {
                    members[property.Name] = values = [];
                }

                if (values.Count < 4)
                {
                    values.Add(property.Value);
                }
            }
        }

        return members;
    });

    /// <summary>
    /// A member <c>"key": value</c>: a known key with a small JSON value, or a member of a sample
    /// (its value with the shape it has there, every scalar in it kept or replaced by anything).
    /// </summary>
    public static Gen<byte[]> JsonMember { get; } = Gen.Frequency(
            (1, Gen.Elements(KnownKeys.ToArray()).SelectMany(key => JsonValue(2).Select(value => $"\"{key}\": {value}"))),
            (1, Gen.Elements(SampleMembers.Value.Keys.Order(StringComparer.Ordinal).ToArray())
                .SelectMany(key => Gen.Elements(SampleMembers.Value[key].ToArray()).SelectMany(Perturbed).Select(value => $"\"{key}\": {value}"))))
        .Select(Encoding.UTF8.GetBytes);

    /// <summary>A value with the shape of <paramref name="token"/> (arrays cut to three items), each scalar kept or replaced by any small JSON value.</summary>
    private static Gen<string> Perturbed(JToken token) => token switch
    {
        JArray array => Gen.CollectToList(array.Take(3).Select(Perturbed)).Select(items => "[" + string.Join(", ", items) + "]"),
        JObject obj => Gen.CollectToList(obj.Properties().Select(p => Perturbed(p.Value).Select(v => $"{JsonConvert.ToString(p.Name)}: {v}")))
            .Select(members => "{" + string.Join(", ", members) + "}"),
        _ => Gen.Frequency((1, Gen.Constant(token.ToString(Formatting.None))), (1, JsonValue(1))),
    };

    /// <summary>A position seed: a small one (the start of a file matters) a quarter of the time, else any.</summary>
    public static Gen<int> Seed { get; } = Gen.Frequency(
        (1, Gen.Choose(0, 64)),
        (3, Gen.Choose(0, int.MaxValue)));

    /// <summary>A few random bytes.</summary>
    public static Gen<byte[]> RandomBytes { get; } =
        Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    public static Gen<byte[]> Token { get; } = Gen.Elements(StructuralTokens.ToArray());

    public static Gen<Mutation> Mutation { get; } = Gen.Frequency(
        (4, Seed.SelectMany(at => Gen.Choose(1, 255).Select(x => new Mutation(MutationKind.FlipByte, at, 0, 0, [(byte)x])))),
        (2, Seed.Select(at => new Mutation(MutationKind.Truncate, at, 0, 0, []))),
        (2, Seed.SelectMany(at => Gen.Choose(1, 64).Select(n => new Mutation(MutationKind.Delete, at, n, 0, [])))),
        (5, Seed.SelectMany(at => Token.Select(t => new Mutation(MutationKind.Insert, at, 0, 0, t)))),
        (2, Seed.SelectMany(at => RandomBytes.Select(b => new Mutation(MutationKind.Insert, at, 0, 0, b)))),
        (5, Seed.SelectMany(at => Gen.Elements(ValueTokens.ToArray()).Select(v => new Mutation(MutationKind.ReplaceValue, at, 0, 0, v)))),
        (2, Seed.SelectMany(at => JsonValue(2).Select(v => new Mutation(MutationKind.ReplaceValue, at, 0, 0, Encoding.UTF8.GetBytes(v))))),
        (3, Seed.SelectMany(at => JsonMember.Select(m => new Mutation(MutationKind.InsertMember, at, 0, 0, m)))),
        (2, Seed.SelectMany(at => Gen.Choose(1, 400).SelectMany(n => Seed.Select(to => new Mutation(MutationKind.Duplicate, at, n, to, []))))),
        (1, Gen.Constant(new Mutation(MutationKind.Latin1, 0, 0, 0, []))),
        (1, Gen.Constant(new Mutation(MutationKind.Utf16, 0, 0, 0, []))),
        (1, Gen.Constant(new Mutation(MutationKind.ToggleBom, 0, 0, 0, []))),
        (1, Gen.Choose(0, 1).Select(crOnly => new Mutation(MutationKind.LineEnds, crOnly, 0, 0, []))));

    /// <summary>One to six edits of one of <paramref name="samples"/>; shrinks by dropping edits.</summary>
    public static Arbitrary<MutatedSample> Mutated(IReadOnlyList<Sample> samples) =>
        Arb.From(
            Gen.Elements(samples.ToArray()).SelectMany(sample =>
                Gen.Choose(1, 6).SelectMany(n => Gen.ListOf(Mutation, n)).Select(list => new MutatedSample(sample, list.ToList()))),
            mutated => WithoutOne(mutated.Mutations).Select(list => mutated with { Mutations = list }));

    /// <summary>A prefix of one of <paramref name="samples"/> followed by tokens and slices of it; shrinks by dropping pieces.</summary>
    public static Arbitrary<SplicedSample> Spliced(IReadOnlyList<Sample> samples) =>
        Arb.From(
            Gen.Elements(samples.ToArray()).SelectMany(sample =>
            {
                var slice = Seed.SelectMany(at => Gen.Choose(1, 48).Select(n =>
                {
                    var from = (int)((uint)at % (uint)Math.Max(1, sample.Bytes.Length));
                    return sample.Bytes[from..Math.Min(sample.Bytes.Length, from + n)];
                }));
                var piece = Gen.Frequency((3, Token), (2, slice), (1, RandomBytes));
                return Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(0, sample.Bytes.Length)))
                    .SelectMany(prefix => Gen.ListOf(piece).Select(pieces => new SplicedSample(sample, prefix, pieces.ToList())));
            }),
            spliced => WithoutOne(spliced.Pieces).Select(list => spliced with { Pieces = list })
                .Concat(spliced.Prefix > 0 ? [spliced with { Prefix = spliced.Prefix / 2 }] : []));

    /// <summary>One value of one of <paramref name="samples"/> replaced by any well-formed text; shrinks the text.</summary>
    public static Arbitrary<TextInSample> TextIn(IReadOnlyList<Sample> samples) =>
        Arb.From(
            Gen.Elements(samples.ToArray()).SelectMany(sample => Seed.SelectMany(at => Texts.WellFormed.Select(text => new TextInSample(sample, at, text)))),
            c => Texts.Shrink(c.Text).Where(Texts.IsWellFormed).Select(text => c with { Text = text }));

    /// <summary>Any well-formed text inserted into the first line of one of <paramref name="samples"/>; shrinks the text.</summary>
    public static Arbitrary<TextInFirstLine> TextInHeader(IReadOnlyList<Sample> samples) =>
        Arb.From(
            Gen.Elements(samples.ToArray()).SelectMany(sample => Seed.SelectMany(at => Texts.WellFormed.Select(text => new TextInFirstLine(sample, at, text)))),
            c => Texts.Shrink(c.Text).Where(Texts.IsWellFormed).Select(text => c with { Text = text }));

    /// <summary>Every list with one element left out (the shrinker of a list whose elements do not shrink).</summary>
    public static IEnumerable<IReadOnlyList<T>> WithoutOne<T>(IReadOnlyList<T> list)
    {
        for (var i = 0; i < list.Count; i++)
        {
            yield return [.. list.Take(i), .. list.Skip(i + 1)];
        }
    }

    /// <summary>Bytes as an escaped C# string literal, shortened, for counterexamples.</summary>
    public static string Show(byte[] bytes)
    {
        var builder = new StringBuilder("\"");
        foreach (var b in bytes.Take(240))
        {
            builder.Append(b switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:X2}",
            });
        }

        return builder.Append(bytes.Length > 240 ? $"\"... ({bytes.Length} bytes)" : "\"").ToString();
    }

    /// <summary>A string as an escaped C# string literal, for counterexamples.</summary>
    public static string Show(string? text)
    {
        if (text is null)
        {
            return "null";
        }

        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                >= ' ' and < '\u007F' => c.ToString(),
                _ => $"\\u{(int)c:X4}",
            });
        }

        return builder.Append('"').ToString();
    }
}
