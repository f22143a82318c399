using System.Text;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using CsvHelper;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.DistroKid;

/// <summary>
/// The DistroKid bank-details export (<c>dk_bank_details_*.tsv</c>, also <c>sales_report_*.tsv</c>):
/// tab separated, bare-CR line ends, one row per store, track, country and sale month; negative
/// earnings are reversals and are kept. The expected header is in <c>schemas/raw/distrokid_bank.contract.json</c>.
/// </summary>
public sealed partial class BankDetailsTsv : RawFileKind, IReadsStream
{
    public override string Platform => "distrokid";
    public override string Datatype => "sales";
    public override string Version => "1";
    public override string Contract => "raw/distrokid_bank.contract.json";

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head)
    {
        var text = Encoding.Latin1.GetString(SkipBom(head));
        return text.StartsWith("Reporting Date\tSale Month\t", StringComparison.Ordinal);
    }

    /// <summary>Only the header and one data row are checked, and the first NUL byte looked for.</summary>
    public override bool ValidatesFromStart => true;

    public override IReadOnlyList<RawProblem> Validate(RawContent content)
    {
        var problems = new List<RawProblem>();
        var bytes = content.Bytes.Span;
        if (bytes.IsEmpty)
        {
            return [new RawProblem("file", "the file is empty")];
        }

        var nul = content.Whole?.FirstNul ?? bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            return [new RawProblem($"byte {nul}", "binary data (a NUL byte) in a text export")];
        }

        var expected = ExpectedHeader(content);
        using var reader = Open(content);
        var hasRow = reader.Read();
        var header = reader.Headers.Select(h => h.Trim()).ToList();
        if (header.Count == 0)
        {
            return [new RawProblem("line 1", "no header line")];
        }

        if (!header.SequenceEqual(expected, StringComparer.Ordinal))
        {
            var missing = expected.Except(header, StringComparer.Ordinal).ToList();
            var unexpected = header.Except(expected, StringComparer.Ordinal).ToList();
            problems.Add(new RawProblem("line 1 (header)",
                $"expected the {expected.Count} tab-separated columns of the bank export in order; " +
                (missing.Count > 0 ? $"missing: {string.Join(", ", missing)}; " : string.Empty) +
                (unexpected.Count > 0 ? $"unexpected: {string.Join(", ", unexpected)}; " : string.Empty) +
                $"found {header.Count} column(s)"));
            return problems;
        }

        if (!hasRow)
        {
            problems.Add(new RawProblem("line 2", "the export has a header but no data rows"));
        }

        return problems;
    }

    public override IEnumerable<SourceRow> Read(RawContent content) => Rows(() => Open(content), recall: false);

    /// <summary>
    /// The rows of a file read as a stream: its encoding is checked in a first pass, then it is
    /// parsed in a second. A value repeated in its column is one string.
    /// </summary>
    public IEnumerable<SourceRow> Read(string fileName, Func<Stream> open, SchemaCatalog schemas)
    {
        bool utf8;
        using (var check = open())
        {
            utf8 = Utf8Check.IsValid(check);
        }

        return Rows(() => CsvReader.Create(open(), Options(utf8)), utf8);
    }

    /// <param name="recall">Whether repeated values are recalled from their UTF-8 bytes (the file is UTF-8).</param>
    private static IEnumerable<SourceRow> Rows(Func<CsvReader> open, bool recall)
    {
        using var reader = open();
        var header = reader.Headers.Select(h => h.Trim()).ToArray();
        var names = new FieldNames(header);
        var columns = header.Select(_ => new StringRecall()).ToArray();
        while (reader.Read())
        {
            var locator = $"line {reader.LineNumber}";
            if (reader.FieldCount != header.Length)
            {
                yield return SourceRow.Unreadable(locator,
                    $"expected {header.Length} tab-separated fields, found {reader.FieldCount}");
                continue;
            }

            var values = new string?[header.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (recall ? columns[i].Of(reader.GetSpan(i)) : null) ?? reader.GetString(i);
            }

            yield return new SourceRow(locator, new IndexedFields(names, values));
        }
    }

    private static CsvReader Open(RawContent content) =>
        CsvReader.Create(content.Bytes, Options(System.Text.Unicode.Utf8.IsValid(content.Bytes.Span)));

    private static CsvReaderOptions Options(bool utf8) =>
        new()
        {
            Separator = '\t',
            Mode = CsvMode.NoEscape,
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            // Exports are ASCII in practice; anything that is not valid UTF-8 is read as Latin-1.
            Encoding = utf8 ? null : Encoding.Latin1,
        };

    private static List<string> ExpectedHeader(RawContent content) =>
        content.Schemas.Document("raw/distrokid_bank.contract.json")["columns"] is JArray columns
            ? columns.Select(c => (string)c!).ToList()
            : throw new Lake.LakeConfigurationException("schemas/raw/distrokid_bank.contract.json has no 'columns'.");

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> head) =>
        head.StartsWith("\uFEFF"u8) ? head[3..] : head;

    [GeneratedRegex(@"^(dk_bank_details|sales_report)_\d{8}(_\d{6})?\.tsv$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
