using Bedrot.DataLake.Tests.Support;
using static Bedrot.DataLake.Tests.Hostile.Exports;

namespace Bedrot.DataLake.Tests.Hostile;

/// <summary>
/// Hostile DistroKid files (bank-details TSV, saved stats pages) dropped beside the DistroKid
/// samples: each is quarantined or has its rows rejected, naming the problem, and nothing else changes.
/// </summary>
public sealed class DistroKidHostileTests(DistroKidHostileTests.Baseline baseline) : IClassFixture<DistroKidHostileTests.Baseline>
{
    private const string BankFile = "distrokid/dk_bank_details_20250101_000000.tsv";
    private const string StreamsFile = "distrokid/streams_stats_20250101_000000.html";
    private const string AppleFile = "distrokid/applemusic_stats_20250101_000000.html";

    private static readonly HostileCase[] All =
    [
        // ---- Bank details TSV ----
        HostileCase.File("bank: empty (0 bytes)", BankFile, [], new Quarantined("distrokid", "empty", "0 bytes")),
        HostileCase.Text("bank: only line ends", BankFile, "\r\r\r\n", new Quarantined("distrokid", "header")),
        HostileCase.File("bank: UTF-16 LE with BOM", BankFile, Utf16Le(Bank(BankRow())), new Quarantined("distrokid", "UTF-16", "UTF-8")),
        HostileCase.File("bank: UTF-16 BE with BOM", BankFile, Utf16Be(Bank(BankRow())), new Quarantined("distrokid", "UTF-16", "UTF-8")),
        HostileCase.File("bank: UTF-32 LE with BOM", BankFile, Utf32Le(Bank(BankRow())), new Quarantined("distrokid", "UTF-32")),
        HostileCase.File("bank: UTF-32 BE with BOM", BankFile, Utf32Be(Bank(BankRow())), new Quarantined("distrokid", "UTF-32")),
        HostileCase.File("bank: UTF-16 LE without BOM", BankFile, Utf16LeNoBom(Bank(BankRow())), new Quarantined("distrokid", "NUL byte", "binary")),
        HostileCase.File("bank: a PNG named .tsv", BankFile, Png, new Quarantined("distrokid", "NUL byte", "binary")),
        HostileCase.File("bank: random bytes without NUL", BankFile, Noise(4096, seed: 7, withNul: false),
            new Quarantined("distrokid", "line 1 (header)", "tab-separated columns")),
        HostileCase.Text("bank: header only", BankFile, Bank(), new Quarantined("distrokid", "header but no data rows")),
        HostileCase.Text("bank: header only, no final line end", BankFile, BankHeader, new Quarantined("distrokid", "header but no data rows")),
        HostileCase.Text("bank: wrong header (the newer CSV layout's names)", BankFile,
            string.Join('\t', "Date Inserted", "Reporting Date", "Sale Month", "Store", "Artist", "Title", "ISRC", "UPC", "Quantity",
                "Team Percentage", "Source Type", "Country of Sale", "Songwriter Royalties Withheld (USD)", "Earnings (USD)", "Recoup (USD)") + "\r" + BankRow() + "\r",
            new Quarantined("distrokid", "header", "missing: Song/Album", "unexpected: Date Inserted")),
        HostileCase.Text("bank: duplicated header column", BankFile,
            BankHeader.Replace("\tArtist\t", "\tStore\t", StringComparison.Ordinal) + "\r" + BankRow() + "\r",
            new Quarantined("distrokid", "header", "missing: Artist")),
        HostileCase.Text("bank: header repeated as a data row (two exports pasted together)", BankFile, Bank(BankHeader),
            new RowsRejected(1, "type", "reporting_date", "line 2", "expected a date")),
        HostileCase.Text("bank: quoted CSV saved under the TSV name", BankFile,
            string.Join(',', BankExport.Columns.Select(c => $"\"{c}\"")) + "\r\n" + BankRow().Replace('\t', ',') + "\r\n",
            new Quarantined("distrokid", "tab-separated columns", "found 1 column")),
        HostileCase.Text("bank: reporting date 2025-02-30", BankFile, Bank(BankRow(("Reporting Date", "2025-02-30"))),
            new RowsRejected(1, "type", "reporting_date", "2025-02-30", "expected a date")),
        HostileCase.Text("bank: reporting date 2025-13-01", BankFile, Bank(BankRow(("Reporting Date", "2025-13-01"))),
            new RowsRejected(1, "type", "reporting_date", "2025-13-01", "expected a date")),
        HostileCase.Text("bank: sale month 2025-13", BankFile, Bank(BankRow(("Sale Month", "2025-13"))),
            new RowsRejected(1, "type", "sale_month", "2025-13", "expected a date as yyyy-MM")),
        HostileCase.Text("bank: earnings NaN", BankFile, Bank(BankRow(("Earnings (USD)", "NaN"))),
            new RowsRejected(1, "type", "earnings_usd", "NaN", "expected a decimal number")),
        HostileCase.Text("bank: earnings 1e309", BankFile, Bank(BankRow(("Earnings (USD)", "1e309"))),
            new RowsRejected(1, "type", "earnings_usd", "1e309", "expected a decimal number")),
        HostileCase.Text("bank: earnings with a thousands separator", BankFile, Bank(BankRow(("Earnings (USD)", "1,234.56"))),
            new RowsRejected(1, "type", "earnings_usd", "1,234.56", "expected a decimal number")),
        HostileCase.Text("bank: quantity in scientific notation", BankFile, Bank(BankRow(("Quantity", "1.2E+3"))),
            new RowsRejected(1, "type", "quantity", "1.2E+3", "expected a whole number")),
        HostileCase.Text("bank: quantity 99999999999999999999999", BankFile, Bank(BankRow(("Quantity", "99999999999999999999999"))),
            new RowsRejected(1, "type", "quantity", "99999999999999999999999", "expected a whole number")),
        HostileCase.Text("bank: quantity 'undefined' and '-'", BankFile,
            Bank(BankRow(("Quantity", "undefined")), BankRow(("Quantity", "-"))),
            new RowsRejected(2, "type", "quantity", "undefined", "expected a whole number")),
        HostileCase.Text("bank: team percentage 250", BankFile, Bank(BankRow(("Team Percentage", "250"))),
            new RowsRejected(1, "maximum", "team_percentage", "250", "at most 100")),
        HostileCase.Text("bank: a row with a missing field (download cut mid-row)", BankFile,
            BankHeader + "\r" + string.Join('\t', BankRow().Split('\t')[..7]),
            new RowsRejected(1, "structure", "", "expected 13 tab-separated fields, found 7")),
        HostileCase.Text("bank: mixed line ends (CR, LF, CRLF)", BankFile,
            BankHeader + "\r" + BankRow(("Reporting Date", "2025-02-30")) + "\n" + BankRow(("Reporting Date", "2025-02-31")) + "\r\n" +
            BankRow(("Reporting Date", "2025-04-31")) + "\r",
            new RowsRejected(3, "type", "reporting_date", "line 2: 2025-02-30", "line 3: 2025-02-31", "line 4: 2025-04-31")),
        HostileCase.Text("bank: quoted field with an embedded line end and quotes", BankFile,
            Bank(BankRow(("Title", "\"HOLD ON\rI \"\"(live)\"\"\""))),
            new RowsRejected(2, "structure", "", "tab-separated fields")),
        HostileCase.Text("bank: a NUL byte in the middle", BankFile, Bank(BankRow(("Title", "KEY\0GEN"))),
            new Quarantined("distrokid", "NUL byte")),
        HostileCase.File("bank: Windows-1252 bytes in a rejected country", BankFile,
            Windows1252.GetBytes(Bank(BankRow(("Artist", "Sólveig “Live”"), ("Country of Sale", "CÔ")))),
            new RowsRejected(1, "pattern", "country", "CÔ", "must match")),
        HostileCase.Text("bank: emoji and right-to-left text in a rejected country", BankFile,
            Bank(BankRow(("Artist", "نور 🌙"), ("Title", "שיר"), ("Country of Sale", "🌙ن"))),
            new RowsRejected(1, "pattern", "country", "🌙ن", "must match")),
        HostileCase.Text("bank: a TooLost reply under the bank name", BankFile, TooLostSpotify(("2025-01-01", "\"10\"")),
            new Quarantined("distrokid", "tab-separated columns")),
        HostileCase.Text("bank: a sign-in page under the bank name", BankFile,
            "<!DOCTYPE html><html><head><title>Sign in - DistroKid</title></head><body>Please sign in again.</body></html>\n",
            new Quarantined("distrokid", "tab-separated columns")),

        HostileCase.Text("bank: a 1 MB title in an otherwise valid row", BankFile, Bank(BankRow(("Title", new string('A', 1 << 20)))),
            new RowsRejected(1, "maxLength", "track_name", "long")),

        // ---- Streams stats page ----
        HostileCase.File("streams page: empty (0 bytes)", StreamsFile, [], new Quarantined("distrokid", "empty")),
        HostileCase.File("streams page: UTF-16 LE with BOM", StreamsFile, Utf16Le(StreamsPage(Day("2025-01-01", "5"))), new Quarantined("distrokid", "UTF-16")),
        HostileCase.File("streams page: UTF-16 BE with BOM", StreamsFile, Utf16Be(StreamsPage(Day("2025-01-01", "5"))), new Quarantined("distrokid", "UTF-16")),
        HostileCase.File("streams page: UTF-32 LE with BOM", StreamsFile, Utf32Le(StreamsPage(Day("2025-01-01", "5"))), new Quarantined("distrokid", "UTF-32")),
        HostileCase.File("streams page: a PNG named .html", StreamsFile, Png, new Quarantined("distrokid", "not an HTML page")),
        HostileCase.Text("streams page: a page with no charts", StreamsFile,
            "<!DOCTYPE html><html><head><title>DistroKid</title></head><body><p>Your stats are on their way.</p></body></html>",
            new Quarantined("distrokid", "no inline <script>", "trend365day")),
        HostileCase.Text("streams page: scripts but no trend365day chart", StreamsFile,
            StreamsPage(Day("2025-01-01", "5")).Replace("trend365day", "trend60day", StringComparison.Ordinal),
            new Quarantined("distrokid", "trend365day")),
        HostileCase.File("streams page: truncated inside the chart", StreamsFile,
            Truncated(StreamsPage(Day("2025-01-01", "5"), Day("2025-01-02", "6")), 0.8), new Quarantined("distrokid", "trend365day", "not closed")),
        HostileCase.Text("streams page: empty daily series", StreamsFile, StreamsPage(), new Quarantined("distrokid", "daily series is empty")),
        HostileCase.Text("streams page: a NaN count", StreamsFile, StreamsPage(Day("2025-01-01", "NaN")),
            new Quarantined("distrokid", "trend365day", "not a readable object literal")),
        HostileCase.Text("streams page: a count of 1e309", StreamsFile, StreamsPage(Day("2025-01-01", "1e309")),
            new Quarantined("distrokid", "trend365day", "not a readable object literal")),
        HostileCase.Text("streams page: a count of 99999999999999999999999", StreamsFile, StreamsPage(Day("2025-01-01", "99999999999999999999999")),
            new RowsRejected(1, "type", "streams", "99999999999999999999999", "expected a whole number")),
        HostileCase.Text("streams page: a count of -5", StreamsFile, StreamsPage(Day("2025-01-01", "-5")),
            new RowsRejected(1, "minimum", "streams", "-5", "at least 0")),
        HostileCase.Text("streams page: a count of \"undefined\"", StreamsFile, StreamsPage(Day("2025-01-01", "\"undefined\"")),
            new RowsRejected(1, "required", "streams", "a value is required")),
        HostileCase.Text("streams page: date 2025-02-30", StreamsFile, StreamsPage(Day("2025-02-30", "5")),
            new RowsRejected(1, "type", "date", "2025-02-30", "expected a date")),
        HostileCase.Text("streams page: date 2025-13-01", StreamsFile, StreamsPage(Day("2025-13-01", "5")),
            new RowsRejected(1, "type", "date", "2025-13-01", "expected a date")),
        HostileCase.Text("streams page: chart nested 10,000 levels deep", StreamsFile,
            StreamsPage("{\"category\": \"2025-01-01\", \"column-1\": " + Nested(10_000) + "}"),
            new Quarantined("distrokid", "not a readable object literal", "depth")),

        HostileCase.Text("streams page: duplicate keys in an entry", StreamsFile,
            StreamsPage("{\"category\": \"2025-01-01\", \"column-1\": 5, \"column-1\": 500000}"),
            new Quarantined("distrokid", "duplicate", "column-1")),

        // ---- Apple Music stats page ----
        HostileCase.File("apple page: empty (0 bytes)", AppleFile, [], new Quarantined("distrokid", "empty")),
        HostileCase.File("apple page: UTF-16 BE with BOM", AppleFile, Utf16Be(ApplePage("{\"field\":\"2025-01-01\",\"value\":5}")), new Quarantined("distrokid", "UTF-16")),
        HostileCase.File("apple page: UTF-16 LE with BOM", AppleFile, Utf16Le(ApplePage("{\"field\":\"2025-01-01\",\"value\":5}")), new Quarantined("distrokid", "UTF-16")),
        HostileCase.Text("apple page: no chartData", AppleFile, StreamsPage(Day("2025-01-01", "5")),
            new Quarantined("distrokid", "no inline <script> contains variable 'chartData'")),
        HostileCase.Text("apple page: chartData without the daily series", AppleFile,
            ApplePage("{\"field\":\"2025-01-01\",\"value\":5}").Replace("last365days", "last30days", StringComparison.Ordinal),
            new Quarantined("distrokid", "no 'last365days' series")),
        HostileCase.Text("apple page: date 2025-02-30", AppleFile, ApplePage("{\"field\":\"2025-02-30\",\"value\":5}"),
            new RowsRejected(1, "type", "date", "2025-02-30", "expected a date")),
        HostileCase.Text("apple page: date 2025-13-01 and a count of -5", AppleFile,
            ApplePage("{\"field\":\"2025-13-01\",\"value\":5}", "{\"field\":\"2025-01-02\",\"value\":-5}"),
            new RowsRejected(2, "minimum", "streams", "last365days.dataProvider[1]", "at least 0")),
    ];

    public static TheoryData<string> Cases => new(All.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_Quarantine_Or_Reject_A_Hostile_DistroKid_File_And_Change_Nothing_Else(string id)
    {
        // Given a copy of the DistroKid baseline with the hostile file in landing, When the run goes,
        // Then the file is quarantined or its rows rejected, naming the problem, and nothing else changes
        HostileCheck.Verify(baseline, All.Single(c => c.Id == id));
    }

    public sealed class Baseline() : LakeBaseline("distrokid");
}
