using System.Text;
using CsvHelper;

namespace Bedrot.DataLake.Platforms;

/// <summary>
/// How the product opens a platform's CSV download: the BOM dropped, RFC 4180 quoting (line breaks
/// allowed inside quotes), empty lines skipped, line numbers tracked for messages, and a file that
/// is not UTF-8 (Excel re-saved it in a legacy code page) read as Latin-1.
/// </summary>
public static class ExportCsv
{
    /// <summary>The bytes without a UTF-8 byte order mark.</summary>
    public static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> bytes) =>
        bytes.Span.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;

    public static CsvReader Open(ReadOnlyMemory<byte> bytes, char separator = ',')
    {
        var body = WithoutBom(bytes);
        return CsvReader.Create(body, new CsvReaderOptions
        {
            Separator = separator,
            Mode = CsvMode.Rfc4180,
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            AllowLineBreaksInQuotes = true,
            Encoding = System.Text.Unicode.Utf8.IsValid(body.Span) ? null : Encoding.Latin1,
        });
    }

    /// <summary>The first line of a file (without a BOM), as text: the whole file when it has no line end.</summary>
    public static string FirstLine(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        var end = head.IndexOfAny((byte)'\r', (byte)'\n');
        return Encoding.UTF8.GetString(end < 0 ? head : head[..end]);
    }

    /// <summary>The names of a header line split on commas and trimmed of spaces and quotes; null when the first line is empty or unended.</summary>
    public static List<string>? HeaderNames(ReadOnlySpan<byte> head)
    {
        var body = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        var end = body.IndexOfAny((byte)'\r', (byte)'\n');
        return end <= 0
            ? null
            : Encoding.UTF8.GetString(body[..end]).Split(',').Select(c => c.Trim().Trim('"').Trim()).ToList();
    }
}
