using System.Text;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using CsvHelper;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Platforms.MetaAds;

/// <summary>
/// An Ads Manager export (<c>metaads_campaign_daily_*.csv</c>): one row per campaign and reporting
/// range, after a first total row with no campaign name. Headers follow the account's language and
/// are translated to English by the <c>headerAliases</c> table of <c>schemas/mappings/metaads.json</c>.
/// The separator is <c>,</c> or <c>;</c>; a <c>;</c> file writes numbers the continental way
/// (<c>1.234,56</c>), a <c>,</c> file the English way (<c>"1,234.56"</c>); the number columns listed
/// in the mapping are rewritten as plain invariant numbers. A campaign ID a spreadsheet turned into
/// scientific notation (<c>1.2E+17</c>) has lost its digits: that row is reported, not parsed.
/// </summary>
public sealed partial class AdsManagerCsv : RawFileKind
{
    private const string MappingPath = "mappings/metaads.json";

    public override string Platform => "metaads";
    public override string Datatype => "ads_manager";
    public override string Version => "2";

    /// <summary>The header alias table and the required and number columns live in the mapping file.</summary>
    public override string Contract => MappingPath;

    public override bool MatchesName(string fileName) => NamePattern().IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head)
    {
        var line = ExportCsv.FirstLine(head);
        return line.Contains("Reporting starts", StringComparison.Ordinal)
               || line.Contains("Inicio del informe", StringComparison.Ordinal);
    }

    public override IReadOnlyList<RawProblem> Validate(RawContent content)
    {
        if (content.Bytes.Span.Trim(" \t\r\n\uFEFF"u8).IsEmpty)
        {
            return [new RawProblem("file", "the file is empty; expected an Ads Manager export with a header line")];
        }

        if (content.Bytes.Span.IndexOf((byte)0) is var nul and >= 0)
        {
            return [new RawProblem($"byte {nul}", "binary data (a NUL byte) in a text export")];
        }

        var table = Table.Load(content.Schemas);
        using var reader = Open(content, out _);
        var hasRow = reader.Read();
        var header = reader.Headers.Select(h => table.Canonical(h)).ToList();
        var problems = new List<RawProblem>();
        var missing = table.Required.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(new RawProblem("line 1 (header)",
                $"missing column(s) {string.Join(", ", missing)} (or their translations in {MappingPath} headerAliases); " +
                $"found {string.Join(" | ", reader.Headers)}"));
        }

        var duplicated = header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicated.Count > 0)
        {
            problems.Add(new RawProblem("line 1 (header)", $"duplicated column(s) {string.Join(", ", duplicated)}"));
        }

        if (reader.Headers.Count > 0 && missing.Count == 0 && !hasRow)
        {
            problems.Add(new RawProblem("line 2", "the export has a header but no data rows"));
        }

        if (DecimalMarks(content, table) is { Count: > 1 })
        {
            problems.Add(new RawProblem("number columns",
                "numbers use both '.' and ',' as the decimal mark (e.g. 77.99 and 23,08); the export's number format is ambiguous"));
        }

        return problems;
    }

    public override IEnumerable<SourceRow> Read(RawContent content)
    {
        var table = Table.Load(content.Schemas);
        using var reader = Open(content, out var separator);
        var hasRow = reader.Read();
        var header = reader.Headers.Select(h => table.Canonical(h)).ToList();
        // The decimal mark is what the numbers themselves show (23,08 or 77.99); only when none
        // shows one does the separator decide (';' goes with a decimal comma).
        var marks = DecimalMarks(content, table);
        var decimalComma = marks.Count == 1 ? marks.Contains(',') : separator == ';';
        while (hasRow)
        {
            var locator = $"line {reader.LineNumber}";
            if (reader.FieldCount != header.Count)
            {
                yield return SourceRow.Unreadable(locator,
                    $"expected {header.Count} '{separator}'-separated fields as in the header, found {reader.FieldCount}");
                hasRow = reader.Read();
                continue;
            }

            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++)
            {
                var value = reader.GetString(i);
                fields[header[i]] = table.Numbers.Contains(header[i]) ? PlainNumber(value, decimalComma) : value;
            }

            var id = fields.GetValueOrDefault("Campaign ID")?.Trim();
            var name = fields.GetValueOrDefault("Campaign name")?.Trim();
            if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(name))
            {
                // The export's first row totals the others; it is not a campaign.
                yield return new SourceRow(locator, fields) { Record = "total" };
            }
            else if (id is not null && ScientificNotation().IsMatch(id))
            {
                // The row keeps its fields: its spend still counts in the raw control totals, as rejected.
                yield return new SourceRow(locator, fields,
                    $"Campaign ID '{id}' was turned into scientific notation by a spreadsheet and its digits are lost; " +
                    "export the report again and land it without opening it in a spreadsheet") { Record = "campaign" };
            }
            else
            {
                yield return new SourceRow(locator, fields) { Record = "campaign" };
            }

            hasRow = reader.Read();
        }
    }

    /// <summary>
    /// The decimal marks the number columns show: a ',' or '.' followed by one or two final digits
    /// (<c>23,08</c>, <c>77.9</c>) can only be a decimal mark; three digits (<c>1.234</c>) could be either.
    /// </summary>
    private static HashSet<char> DecimalMarks(RawContent content, Table table)
    {
        var marks = new HashSet<char>();
        using var reader = Open(content, out _);
        var hasRow = reader.Read();
        var columns = reader.Headers.Select((h, i) => (Name: table.Canonical(h), Index: i))
            .Where(c => table.Numbers.Contains(c.Name)).Select(c => c.Index).ToList();
        while (hasRow)
        {
            foreach (var index in columns.Where(i => i < reader.FieldCount))
            {
                var value = reader.GetString(index).Trim();
                var last = value.LastIndexOfAny(['.', ',']);
                var digitsAfter = last < 0 ? 0 : value.Length - last - 1;
                if (last >= 0 && digitsAfter is 1 or 2 && value[(last + 1)..].All(char.IsAsciiDigit))
                {
                    marks.Add(value[last]);
                }
            }

            hasRow = reader.Read();
        }

        return marks;
    }

    /// <summary>A localised number as invariant text: thousands separators dropped, the decimal mark made '.'.</summary>
    internal static string? PlainNumber(string? value, bool decimalComma)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Trim().Replace("\u00A0", string.Empty).Replace(" ", string.Empty);
        return decimalComma
            ? text.Replace(".", string.Empty).Replace(',', '.')
            : text.Replace(",", string.Empty);
    }

    private static CsvReader Open(RawContent content, out char separator)
    {
        var line = ExportCsv.FirstLine(content.Bytes.Span);
        separator = line.Count(c => c == ';') > line.Count(c => c == ',') ? ';' : ',';
        return ExportCsv.Open(content.Bytes, separator);
    }

    /// <summary>The export's columns as the mapping file states them.</summary>
    private sealed record Table(IReadOnlyDictionary<string, string> Aliases, IReadOnlyList<string> Required, IReadOnlySet<string> Numbers)
    {
        public string Canonical(string header)
        {
            var trimmed = header.Trim();
            return Aliases.GetValueOrDefault(TextNormalizer.Normalize(trimmed, NormalizationForm.FormC).ToLowerInvariant(), trimmed);
        }

        public static Table Load(Schemas.SchemaCatalog schemas)
        {
            var document = schemas.Document(MappingPath);
            var export = document["adsManagerExport"] as JObject
                ?? throw new Lake.LakeConfigurationException($"schemas/{MappingPath} has no 'adsManagerExport'.");
            var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (canonical, names) in export["headerAliases"] as JObject ?? [])
            {
                aliases[canonical.ToLowerInvariant()] = canonical;
                foreach (var alias in names as JArray ?? [])
                {
                    aliases[((string)alias!).Normalize(NormalizationForm.FormC).ToLowerInvariant()] = canonical;
                }
            }

            return new Table(
                aliases,
                (export["requiredColumns"] as JArray ?? []).Select(t => (string)t!).ToList(),
                (export["numberColumns"] as JArray ?? []).Select(t => (string)t!).ToHashSet(StringComparer.Ordinal));
        }
    }

    [GeneratedRegex(@"^metaads_campaign_daily_\d{8}(_\d{6})?\.csv$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\d+([.,]\d+)?[eE]\+?\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex ScientificNotation();
}
