using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using CsvHelper;

namespace Bedrot.DataLake.Platforms.TikTok;

/// <summary>
/// One TikTok Studio CSV: UTF-8 with a BOM, every field quoted, LF, no final newline, the literal
/// <c>undefined</c> for a value TikTok did not have. Column names are matched ignoring case and
/// outer spaces and kept as the sheet spells them. Year-less days are resolved against the export
/// date (<see cref="YearlessDate"/>); the text as exported is kept beside them.
/// </summary>
internal static partial class StudioCsv
{
    /// <summary>The suffix of the source field that keeps a date column's text as exported.</summary>
    public const string AsExported = " (as exported)";

    /// <summary>Every problem that makes the sheet unusable; <paramref name="where"/> names it (<c>Overview.csv</c>).</summary>
    public static IReadOnlyList<RawProblem> Validate(string where, StudioSheet sheet, ReadOnlyMemory<byte> bytes, DateOnly exported)
    {
        var span = bytes.Span;
        if (span.Trim(" \t\r\n"u8).IsEmpty || (span.StartsWith("\uFEFF"u8) && span[3..].Trim(" \t\r\n"u8).IsEmpty))
        {
            return [new RawProblem(where, "the sheet is empty; expected a header line")];
        }

        if (span.IndexOf((byte)0) is var nul and >= 0)
        {
            return [new RawProblem($"{where} byte {nul}", "binary data (a NUL byte) in a CSV sheet")];
        }

        var problems = new List<RawProblem>();
        using var reader = ExportCsv.Open(bytes);
        var hasRow = reader.Read();
        var header = Header(reader, sheet);
        var missing = sheet.Columns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(new RawProblem($"{where} line 1 (header)",
                $"missing column(s) {string.Join(", ", missing)}; expected {string.Join(",", sheet.Columns)}; found {string.Join(",", reader.Headers)}"));
            return problems;
        }

        var duplicated = header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicated.Count > 0)
        {
            problems.Add(new RawProblem($"{where} line 1 (header)", $"duplicated column(s) {string.Join(", ", duplicated)}"));
        }

        // A date column none of whose values is a day (another language, another layout) makes the
        // whole sheet unreadable; a single bad day is a row reject in staging.
        var firstBad = new Dictionary<string, (long Line, string Value)>(StringComparer.Ordinal);
        var anyGood = new HashSet<string>(StringComparer.Ordinal);
        while (hasRow)
        {
            foreach (var column in sheet.DateColumns)
            {
                var index = header.IndexOf(column);
                var value = index < reader.FieldCount ? reader.GetString(index).Trim() : string.Empty;
                if (IsMissing(value))
                {
                    continue;
                }

                if (YearlessDate.Resolve(value, exported) is not null)
                {
                    anyGood.Add(column);
                }
                else
                {
                    firstBad.TryAdd(column, (reader.LineNumber, value));
                }
            }

            hasRow = reader.Read();
        }

        foreach (var (column, (line, value)) in firstBad.Where(b => !anyGood.Contains(b.Key)))
        {
            problems.Add(new RawProblem($"{where} line {line}, field {column}",
                $"'{Shorten(value)}' is not a day; expected a month and day in English or Spanish ('February 28', '8 de marzo')"));
        }

        return problems;
    }

    /// <summary>The sheet's rows, each with <paramref name="facts"/> (account, export date) added.</summary>
    public static IEnumerable<SourceRow> Read(string where, StudioSheet sheet, ReadOnlyMemory<byte> bytes, DateOnly exported,
        IReadOnlyDictionary<string, string?> facts)
    {
        using var reader = ExportCsv.Open(bytes);
        var hasRow = reader.Read();
        var header = Header(reader, sheet);
        while (hasRow)
        {
            var locator = $"{where} line {reader.LineNumber}";
            if (reader.FieldCount != header.Count)
            {
                yield return SourceRow.Unreadable(locator,
                    $"expected {header.Count} comma-separated fields as in the header, found {reader.FieldCount}") with { Record = sheet.Record };
                hasRow = reader.Read();
                continue;
            }

            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in facts)
            {
                fields[key] = value;
            }

            for (var i = 0; i < header.Count; i++)
            {
                fields[header[i]] = reader.GetString(i);
            }

            // Read without validating first, a sheet may lack its date column: then there is nothing to resolve.
            foreach (var column in sheet.DateColumns.Where(fields.ContainsKey))
            {
                var text = fields[column];
                fields[column + AsExported] = text;
                if (!IsMissing(text?.Trim()) && YearlessDate.Resolve(text, exported) is { } day)
                {
                    fields[column] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }
            }

            if (sheet.Dimension is { } dimension)
            {
                fields["dimension"] = dimension;
            }

            if (sheet == StudioSheet.Content && fields.GetValueOrDefault("Video link") is { } link
                && VideoId().Match(link) is { Success: true } id)
            {
                fields["video_id"] = id.Groups[1].Value;
            }

            yield return new SourceRow(locator, fields) { Record = sheet.Record };
            hasRow = reader.Read();
        }
    }

    /// <summary>Whether the head of a file is a CSV sheet of this kind: its first line holds the sheet's columns.</summary>
    public static StudioSheet? SheetOf(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        var end = head.IndexOfAny((byte)'\r', (byte)'\n');
        var line = Encoding.UTF8.GetString(end < 0 ? head : head[..end]);
        var names = line.Split(',').Select(c => c.Trim().Trim('"').Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return StudioSheet.All.FirstOrDefault(s => s.Columns.All(names.Contains));
    }

    private static bool IsMissing(string? value) =>
        string.IsNullOrEmpty(value) || value is "undefined" or "-" or "--" or "NaN" or "null";

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "..." : value;

    /// <summary>The header, each name as the sheet spells it when it is one of the sheet's columns.</summary>
    private static List<string> Header(CsvReader reader, StudioSheet sheet) =>
        reader.Headers.Select(h => sheet.Columns.FirstOrDefault(c => string.Equals(c, h.Trim(), StringComparison.OrdinalIgnoreCase)) ?? h.Trim())
            .ToList();

    [GeneratedRegex(@"/video/([0-9]{1,25})", RegexOptions.CultureInvariant)]
    private static partial Regex VideoId();
}
