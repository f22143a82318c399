using System.Text;

namespace Bedrot.DataLake.Tests.Support;

/// <summary>
/// Builds a DistroKid bank-details export in memory: the 13 contract columns, rows with sensible
/// defaults that a test overrides by column, and a choice of line end (bare CR like the real file).
/// </summary>
internal sealed class BankExport
{
    public static readonly string[] Columns =
    [
        "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
        "Team Percentage", "Song/Album", "Country of Sale", "Songwriter Royalties Withheld", "Earnings (USD)",
    ];

    private readonly List<string> _lines = [string.Join('\t', Columns)];

    /// <summary>A plausible row of the export, column name to text.</summary>
    public static Dictionary<string, string?> DefaultRow() => new(StringComparer.Ordinal)
    {
        ["Reporting Date"] = "2025-06-01",
        ["Sale Month"] = "2025-03",
        ["Store"] = "Spotify",
        ["Artist"] = "ZONE A0",
        ["Title"] = "GLASS ANGEL",
        ["ISRC"] = "QZTB22500001",
        ["UPC"] = "0198765432109",
        ["Quantity"] = "1234",
        ["Team Percentage"] = "100",
        ["Song/Album"] = "Song",
        ["Country of Sale"] = "US",
        ["Songwriter Royalties Withheld"] = "0",
        ["Earnings (USD)"] = "3.41234567",
    };

    /// <summary>Replaces the header line with <paramref name="columns"/>.</summary>
    public BankExport WithHeader(params string[] columns)
    {
        _lines[0] = string.Join('\t', columns);
        return this;
    }

    /// <summary>Adds a data row: the default row with <paramref name="overrides"/> applied.</summary>
    public BankExport WithRow(params (string Column, string Value)[] overrides)
    {
        var row = DefaultRow();
        foreach (var (column, value) in overrides)
        {
            row[column] = value;
        }

        _lines.Add(string.Join('\t', Columns.Select(c => row[c])));
        return this;
    }

    /// <summary>Adds a line exactly as given (no line end).</summary>
    public BankExport WithLine(string line)
    {
        _lines.Add(line);
        return this;
    }

    /// <summary>The export's text; every line, the last one included, ends with <paramref name="lineEnd"/>.</summary>
    public string Text(string lineEnd = "\r") => string.Concat(_lines.Select(l => l + lineEnd));

    /// <summary>The export's bytes as Latin-1 (ASCII text gives the same bytes as UTF-8).</summary>
    public byte[] Bytes(string lineEnd = "\r") => Encoding.Latin1.GetBytes(Text(lineEnd));
}
