using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Platforms.YouTube;

/// <summary>
/// A CSV of a YouTube Studio "Advanced mode" export (<c>Table data.csv</c>, <c>Chart data.csv</c>,
/// <c>Totals.csv</c>; a browser may add <c>" (1)"</c>). Dates arrive as <c>Jan 8, 2025</c>, or after an
/// Excel re-save as <c>8-Jan-25</c> or <c>1/8/2025</c>, and are left for the schema's date formats;
/// cells may be empty; subscriber changes may be negative. The channel is not in the file: every
/// row gets <see cref="AnalyticsApiJson.OwnChannel"/>. Columns beyond the required ones are kept.
/// </summary>
public abstract class StudioCsv : RawFileKind
{
    public override string Platform => "youtube";

    /// <summary>The file name without its extension (<c>Table data</c>).</summary>
    protected abstract string BaseName { get; }

    /// <summary>The columns every file of this kind has.</summary>
    protected abstract IReadOnlyList<string> RequiredColumns { get; }

    /// <summary>Whether a header-only file is a valid export of this kind (a chart with no series).</summary>
    protected virtual bool MayBeHeaderOnly => false;

    public override bool MatchesName(string fileName) =>
        (_namePattern ??= new Regex("^" + Regex.Escape(BaseName) + @"(?: \([0-9]+\))?\.csv$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1)))
        .IsMatch(fileName);

    /// <summary>The name pattern, made once per kind: every landing file's name is tried against every kind.</summary>
    private Regex? _namePattern;

    public override bool MatchesContent(ReadOnlySpan<byte> head)
    {
        var header = ExportCsv.HeaderNames(head);
        return header is not null && HeaderMatches(header);
    }

    /// <summary>Whether a header (trimmed names) is this kind's signature.</summary>
    protected abstract bool HeaderMatches(IReadOnlyList<string> header);

    /// <summary>The record type of one row (<c>total</c> for a total row), from its fields.</summary>
    protected abstract string RecordOf(IReadOnlyDictionary<string, string?> fields, bool first);

    public override IReadOnlyList<RawProblem> Validate(RawContent content)
    {
        var bytes = content.Bytes.Span;
        if (bytes.Trim(" \t\r\n"u8).IsEmpty || (bytes.StartsWith("\uFEFF"u8) && bytes[3..].Trim(" \t\r\n"u8).IsEmpty))
        {
            return [new RawProblem("file", "the file is empty; expected a header line")];
        }

        if (bytes.IndexOf((byte)0) is var nul and >= 0)
        {
            return [new RawProblem($"byte {nul}", "binary data (a NUL byte) in a text export")];
        }

        using var reader = ExportCsv.Open(content.Bytes);
        var hasRow = reader.Read();
        var header = reader.Headers.Select(h => h.Trim()).ToList();
        var problems = new List<RawProblem>();
        var missing = RequiredColumns.Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(new RawProblem("line 1 (header)",
                $"missing column(s) {string.Join(", ", missing)}; found {string.Join(",", header)}"));
        }

        var duplicated = header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicated.Count > 0)
        {
            problems.Add(new RawProblem("line 1 (header)", $"duplicated column(s) {string.Join(", ", duplicated)}"));
        }

        if (missing.Count == 0 && !hasRow && !MayBeHeaderOnly)
        {
            problems.Add(new RawProblem("line 2", "the export has a header but no data rows"));
        }

        return problems;
    }

    public override IEnumerable<SourceRow> Read(RawContent content)
    {
        using var reader = ExportCsv.Open(content.Bytes);
        var hasRow = reader.Read();
        var header = reader.Headers.Select(h => RequiredColumns.FirstOrDefault(c => string.Equals(c, h.Trim(), StringComparison.OrdinalIgnoreCase)) ?? h.Trim())
            .ToList();
        var first = true;
        while (hasRow)
        {
            var locator = $"line {reader.LineNumber}";
            if (reader.FieldCount != header.Count)
            {
                yield return SourceRow.Unreadable(locator,
                    $"expected {header.Count} comma-separated fields as in the header, found {reader.FieldCount}") with { Record = "day" };
            }
            else
            {
                var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { ["channel"] = AnalyticsApiJson.OwnChannel };
                for (var i = 0; i < header.Count; i++)
                {
                    fields[header[i]] = reader.GetString(i);
                }

                yield return new SourceRow(locator, fields) { Record = RecordOf(fields, first) };
            }

            first = false;
            hasRow = reader.Read();
        }
    }
}
