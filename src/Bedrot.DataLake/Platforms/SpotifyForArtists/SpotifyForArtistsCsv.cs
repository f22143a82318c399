using System.Text;
using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using CsvHelper;

namespace Bedrot.DataLake.Platforms.SpotifyForArtists;

/// <summary>
/// A Spotify for Artists CSV download: UTF-8 with a BOM, comma separated, quoted names, a header of
/// lower-case column names. Some facts live only in the file name (the artist, the song, the
/// window); they are added to every row. Excel round-trips drop the BOM, write CRLF and turn
/// dates into <c>M/D/YYYY</c>; all of that is read as well. Columns beyond the required ones
/// (newer exports add some) are kept in the source row.
/// </summary>
public abstract class SpotifyForArtistsCsv : RawFileKind
{
    public override string Platform => "spotify";

    /// <summary>The columns every export of this kind has.</summary>
    protected abstract IReadOnlyList<string> RequiredColumns { get; }

    /// <summary>The file name pattern, with named groups for the facts it carries.</summary>
    protected abstract Regex NamePattern { get; }

    /// <summary>The record type of this kind's rows.</summary>
    protected abstract string Record { get; }

    /// <summary>The named groups the file name must supply (<c>artist</c>, <c>song</c>).</summary>
    protected abstract IReadOnlyList<string> RequiredNameFields { get; }

    public override bool MatchesName(string fileName) => NamePattern.IsMatch(fileName);

    public override bool MatchesContent(ReadOnlySpan<byte> head)
    {
        var header = ExportCsv.HeaderNames(head)?.Select(c => c.ToLowerInvariant()).ToList();
        return header is not null && HeaderMatches(header);
    }

    /// <summary>Whether a header (lower case, trimmed names) is this kind's signature.</summary>
    protected virtual bool HeaderMatches(IReadOnlyList<string> header) =>
        RequiredColumns.All(header.Contains);

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

        var problems = new List<RawProblem>();
        var name = NameFields(content.FileName);
        var missingFromName = RequiredNameFields.Where(f => string.IsNullOrWhiteSpace(name.GetValueOrDefault(f))).ToList();
        if (missingFromName.Count > 0)
        {
            problems.Add(new RawProblem("file name",
                $"the {string.Join(" and ", missingFromName)} is only in the file name, and '{content.FileName}' does not have the expected form ({NameForm})"));
        }

        using var reader = ExportCsv.Open(content.Bytes);
        var hasRow = reader.Read();
        var header = Header(reader);
        var missing = RequiredColumns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(new RawProblem("line 1 (header)",
                $"missing column(s) {string.Join(", ", missing)}; expected {string.Join(",", RequiredColumns)}; found {string.Join(",", header)}"));
        }

        problems.AddRange(CheckHeader(header));
        if (header.Count > 0 && missing.Count == 0 && !hasRow)
        {
            problems.Add(new RawProblem("line 2", "the download has a header but no data rows"));
        }

        var duplicated = header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicated.Count > 0)
        {
            problems.Add(new RawProblem("line 1 (header)", $"duplicated column(s) {string.Join(", ", duplicated)}"));
        }

        return problems;
    }

    public override IEnumerable<SourceRow> Read(RawContent content)
    {
        var name = NameFields(content.FileName);
        using var reader = ExportCsv.Open(content.Bytes);
        var hasRow = reader.Read();
        var header = Header(reader);
        while (hasRow)
        {
            var locator = $"line {reader.LineNumber}";
            if (reader.FieldCount != header.Count)
            {
                yield return SourceRow.Unreadable(locator,
                    $"expected {header.Count} comma-separated fields as in the header, found {reader.FieldCount}") with { Record = Record };
            }
            else
            {
                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var (key, value) in name)
                {
                    fields[key] = value;
                }

                for (var i = 0; i < header.Count; i++)
                {
                    fields[header[i]] = reader.GetString(i);
                }

                Adjust(fields);
                yield return new SourceRow(locator, fields) { Record = Record };
            }

            hasRow = reader.Read();
        }
    }

    /// <summary>A kind's own header checks beyond the required columns (none by default).</summary>
    protected virtual IEnumerable<RawProblem> CheckHeader(IReadOnlyList<string> header) => [];

    /// <summary>A kind's correction of a known quirk in a row, in place (none by default).</summary>
    protected virtual void Adjust(Dictionary<string, string?> fields)
    {
    }

    /// <summary>The facts the file name carries, by group name; empty when the name has another form.</summary>
    internal IReadOnlyDictionary<string, string?> NameFields(string fileName)
    {
        var match = NamePattern.Match(Staging.TextNormalizer.Normalize(fileName, NormalizationForm.FormC));
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!match.Success)
        {
            return fields;
        }

        foreach (var group in match.Groups.Values.Where(g => !char.IsDigit(g.Name[0])))
        {
            fields[group.Name] = group.Success && group.Length > 0 ? group.Value : null;
        }

        return fields;
    }

    /// <summary>How the file name must look, for messages.</summary>
    protected abstract string NameForm { get; }

    private static List<string> Header(CsvReader reader) =>
        reader.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
}
