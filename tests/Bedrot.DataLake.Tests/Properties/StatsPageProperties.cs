using System.Text;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.DistroKid;
using Bedrot.DataLake.Raw;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>A real saved stats page whose <c>&lt;meta charset&gt;</c> names another character set.</summary>
public sealed record DeclaredCharset(RawFileKind Kind, Sample Sample, string Charset)
{
    public byte[] Bytes() => Encoding.UTF8.GetBytes(
        Regex.Replace(Encoding.UTF8.GetString(Sample.Bytes), "<meta charset=\"[^\"]*\">", $"<meta charset=\"{Charset}\">"));

    public override string ToString() => $"{Sample} with <meta charset=\"{Charset}\">";
}

/// <summary>
/// A saved DistroKid stats page may declare any character set: the page is still read as what its
/// bytes are (UTF-8, else Latin-1), and validated or rejected with reasons, never with an exception.
/// </summary>
public sealed class StatsPageProperties
{
    /// <summary>Character set labels pages carry (the WHATWG encoding labels and their legacy kin), and anything.</summary>
    private static readonly string[] Labels =
    [
        "utf-8", "UTF-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2", "utf-32", "utf-7",
        "iso-8859-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii", "iso-8859-2", "iso-8859-15", "koi8-r", "shift_jis",
        "euc-jp", "gb2312", "gbk", "gb18030", "big5", "euc-kr", "windows-1251", "macintosh", "x-user-defined", "replacement",
        "iso-2022-jp", "", " ", "none",
    ];

    private static readonly RawFileKind[] PageKinds = PlatformCatalog.Kinds.OfType<DailySeriesPage>().ToArray<RawFileKind>();

    [Property(MaxTest = 300)]
    public Property Should_Accept_Or_Reject_A_Page_Whatever_Charset_It_Declares() =>
        // Given a real stats page of either kind declaring a known character set label, or any text as one
        // When it is validated, and read in full if valid
        // Then every problem says where and what, and every row has fields or a problem
        Prop.ForAll(
            Arb.From(
                Gen.Elements(PageKinds).SelectMany(kind => Gen.Elements(ParserInputs.SamplesOf(kind).ToArray())
                    .SelectMany(sample => Gen.Frequency((4, Gen.Elements(Labels)), (1, Texts.WellFormed.Select(t => t.Replace("\"", string.Empty, StringComparison.Ordinal))))
                        .Select(charset => new DeclaredCharset(kind, sample, charset)))),
                page => Texts.Shrink(page.Charset).Select(c => page with { Charset = c })),
            page =>
            {
                _ = ParserContract.Holds(page.Kind, page.Sample.FileName, page.Bytes());
            });
}
