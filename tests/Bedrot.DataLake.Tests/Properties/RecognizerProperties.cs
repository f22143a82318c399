using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Raw;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>A landing file as the recognizer sees it: a name and bytes.</summary>
public sealed record LandingCase(string Name, byte[] Bytes)
{
    public override string ToString() => $"{ParserInputs.Show(Name)} with {ParserInputs.Show(Bytes)}";
}

/// <summary>The recognizer over the whole catalog, on any name and any bytes: a kind or none, never an exception.</summary>
public sealed class RecognizerProperties
{
    private static readonly Recognizer Catalog = new(PlatformCatalog.Kinds);

    private static void RecognizesOrNot(string name, byte[] bytes)
    {
        var kind = Catalog.Recognize(name, bytes);
        Assert.True(kind is null || PlatformCatalog.Kinds.Contains(kind));
    }

    /// <summary>Names a kind claims, as they are or with any text around them, and names made of anything.</summary>
    private static Gen<string> Names { get; } = Gen.Frequency(
        (2, Texts.Any),
        (2, Gen.Elements(ParserInputs.Samples.Select(s => s.FileName).ToArray())),
        (2, Gen.Elements(ParserInputs.Samples.Select(s => s.FileName).ToArray())
            .SelectMany(name => Texts.Any.SelectMany(before => Texts.Any.Select(after => before + name + after)))),
        (1, Gen.Elements(
            "", ".", "..", "-timeline.csv", "-audience-timeline.csv", "-songs-.csv", "x-songs-all.csv", "campaigns.json", "INSIGHTS.JSON",
            "toolost_analytics_20250612_080000.json", "dk_bank_details_20250601.tsv", "sales_report_20250601_093015.TSV",
            "streams_stats_20250522.htm", "applemusic_stats_20250522_085156.HTML", "metaads_campaign_daily_20250612.csv")));

    /// <summary>
    /// Bytes: anything, a mutated sample of any kind, or a sample repeated past the recognizer's
    /// 64 KiB head and cut anywhere (inside a UTF-8 character too).
    /// </summary>
    private static Gen<byte[]> Contents { get; } = Gen.Frequency(
        (2, ArbMap.Default.GeneratorFor<byte[]>()),
        (3, ParserInputs.Mutated(ParserInputs.Samples).Generator.Select(m => m.Bytes())),
        (1, Gen.Elements(ParserInputs.Samples.ToArray()).SelectMany(sample => Gen.Choose(Recognizer.HeadLength - 4, Recognizer.HeadLength + 4096)
            .Select(length =>
            {
                var repeated = Enumerable.Repeat(sample.Bytes, (length / Math.Max(1, sample.Bytes.Length)) + 1).SelectMany(b => b).ToArray();
                return repeated[..Math.Min(length, repeated.Length)];
            }))));

    [Property(MaxTest = 300)]
    public void Should_Recognise_A_Kind_Or_None_For_Any_Name_And_Bytes(string name, byte[] bytes)
    {
        // Given any name and any bytes
        // When the file is recognised
        // Then a kind of the catalog or none comes out, and nothing throws
        RecognizesOrNot(name ?? string.Empty, bytes ?? []);
    }

    [Property(MaxTest = 300)]
    public Property Should_Recognise_A_Kind_Or_None_For_Claimed_Names_And_Mangled_Contents() =>
        // Given names the kinds claim (alone, inside other text, or with unpaired surrogates) and real samples, mutated or cut past the head
        // When the file is recognised
        // Then a kind of the catalog or none comes out, and nothing throws
        Prop.ForAll(
            Arb.From(Names.SelectMany(name => Contents.Select(bytes => new LandingCase(name, bytes))),
                c => Texts.Shrink(c.Name).Select(n => c with { Name = n })),
            c => RecognizesOrNot(c.Name, c.Bytes));
}
