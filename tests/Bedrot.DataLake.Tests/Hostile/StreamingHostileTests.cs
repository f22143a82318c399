using System.IO.Compression;
using Bedrot.DataLake.Tests.Support;
using static Bedrot.DataLake.Tests.Hostile.Exports;

namespace Bedrot.DataLake.Tests.Hostile;

/// <summary>
/// Hostile TooLost replies (JSON) and Spotify for Artists downloads (CSV) dropped beside their
/// samples: each is quarantined or has its rows rejected, naming the problem, and nothing else changes.
/// </summary>
public sealed class StreamingHostileTests(StreamingHostileTests.Baseline baseline) : IClassFixture<StreamingHostileTests.Baseline>
{
    private const string TooLostFile = "toolost/toolost_spotify_20250101_000000.json";
    private const string TooLostAppleFile = "toolost/toolost_apple_20250101_000000.json";
    private const string AudienceFile = "spotify/Ghost Signal-audience-timeline.csv";

    private static readonly string Reply = TooLostSample("toolost_spotify_20250601_091500.json");

    private static readonly HostileCase[] All =
    [
        // ---- TooLost JSON ----
        HostileCase.File("toolost: empty (0 bytes)", TooLostFile, [], new Quarantined("toolost", "empty", "0 bytes")),
        HostileCase.Text("toolost: only white space", TooLostFile, " \n\t\n", new Quarantined("toolost", "empty", "expected a JSON document")),
        HostileCase.File("toolost: truncated after the first byte", TooLostFile, Truncated(Reply, 0.0001), new Quarantined("toolost", "not valid JSON")),
        HostileCase.File("toolost: truncated at a quarter", TooLostFile, Truncated(Reply, 0.25), new Quarantined("toolost", "not valid JSON")),
        HostileCase.File("toolost: truncated at half", TooLostFile, Truncated(Reply, 0.5), new Quarantined("toolost", "not valid JSON")),
        HostileCase.File("toolost: truncated before the last brace", TooLostFile, Utf8(Reply.TrimEnd()[..^1]), new Quarantined("toolost", "not valid JSON")),
        HostileCase.File("toolost: UTF-16 LE with BOM", TooLostFile, Utf16Le(Reply), new Quarantined("toolost", "UTF-16", "UTF-8")),
        HostileCase.File("toolost: UTF-16 BE with BOM", TooLostFile, Utf16Be(Reply), new Quarantined("toolost", "UTF-16", "UTF-8")),
        HostileCase.File("toolost: UTF-32 LE with BOM", TooLostFile, Utf32Le(Reply), new Quarantined("toolost", "UTF-32")),
        HostileCase.File("toolost apple: UTF-16 BE with BOM", TooLostAppleFile, Utf16Be(TooLostSample("toolost_apple_20250601_091500.json")),
            new Quarantined("toolost", "UTF-16")),
        HostileCase.File("toolost: a gzip saved as .json", TooLostFile, Gzip(Utf8(Reply)), new Quarantined("toolost", "binary data")),
        HostileCase.Text("toolost: a NaN count", TooLostFile, TooLostSpotify(("2025-01-01", "NaN")), new Quarantined("toolost", "not valid JSON", "NaN")),
        HostileCase.Text("toolost: a count of 1e309", TooLostFile, TooLostSpotify(("2025-01-01", "1e309")), new Quarantined("toolost", "1e309")),
        HostileCase.Text("toolost: a count of 99999999999999999999999", TooLostFile, TooLostSpotify(("2025-01-01", "99999999999999999999999")),
            new Quarantined("toolost", "99999999999999999999999", "too large")),
        HostileCase.Text("toolost: a count of \"-5\"", TooLostFile, TooLostSpotify(("2025-01-01", "\"-5\"")),
            new Quarantined("toolost", "$.streams[0].streams", "expected form")),
        HostileCase.Text("toolost: a count of \"undefined\"", TooLostFile, TooLostSpotify(("2025-01-01", "\"undefined\"")),
            new Quarantined("toolost", "$.streams[0].streams", "expected form")),
        HostileCase.Text("toolost: date 2025-02-30", TooLostFile, TooLostSpotify(("2025-02-30", "\"10\"")),
            new RowsRejected(1, "type", "date", "2025-02-30", "expected a date")),
        HostileCase.Text("toolost: date 2025-13-01", TooLostFile, TooLostSpotify(("2025-13-01", "\"10\"")),
            new RowsRejected(1, "type", "date", "2025-13-01", "expected a date")),
        HostileCase.Text("toolost: nested 10,000 levels deep", TooLostFile, "{\"streams\": " + Nested(10_000) + "}",
            new Quarantined("toolost", "not valid JSON", "depth")),
        HostileCase.Text("toolost: content after the document", TooLostFile, TooLostSpotify(("2025-01-01", "\"10\"")) + "}",
            new Quarantined("toolost", "not valid JSON", "after finished reading")),
        HostileCase.Text("toolost: two replies saved into one file", TooLostFile, Reply + "\n" + Reply,
            new Quarantined("toolost", "not valid JSON", "after finished reading")),
        HostileCase.Text("toolost: an array instead of the reply object", TooLostFile, "[" + Reply + "]",
            new Quarantined("toolost", "expected an object")),
        HostileCase.Text("toolost: the JSON literal null", TooLostFile, "null", new Quarantined("toolost", "expected an object")),
        HostileCase.Text("toolost: an empty streams series", TooLostFile, "{\"streams\": [], \"discovery\": []}",
            new Quarantined("toolost", "$.streams", "too few items")),
        HostileCase.Text("toolost: the Apple reply under the Spotify name", TooLostFile, TooLostSample("toolost_apple_20250601_091500.json"),
            new Quarantined("toolost", "required property 'streams' is missing")),
        HostileCase.Text("toolost: a gateway error page saved as .json", TooLostFile,
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n",
            new Quarantined("toolost", "not valid JSON")),
        HostileCase.Text("toolost: a 1 MB date", TooLostFile, TooLostSpotify((new string('2', 1 << 20), "\"10\"")),
            new Quarantined("toolost", "$.streams[0].date", "expected form")),

        HostileCase.Text("toolost: a NUL byte between tokens", TooLostFile, "{\"streams\": [\0{\"date\": \"2025-01-01\", \"streams\": \"10\"}]}",
            new Quarantined("toolost", "NUL")),

        HostileCase.Text("toolost: duplicate keys in an entry", TooLostFile,
            "{\"streams\": [{\"date\": \"2025-01-01\", \"streams\": \"10\", \"streams\": \"99999\"}]}",
            new Quarantined("toolost", "duplicate", "streams")),

        // ---- Spotify for Artists CSV ----
        HostileCase.File("spotify: empty (0 bytes)", AudienceFile, [], new Quarantined("spotify", "empty", "0 bytes")),
        HostileCase.Text("spotify: only a byte-order mark", AudienceFile, Bom, new Quarantined("spotify", "empty", "header")),
        HostileCase.File("spotify: UTF-16 LE with BOM (Excel 'Unicode Text')", AudienceFile, Utf16Le(Audience("2025-01-01,1,2,3")), new Quarantined("spotify", "UTF-16")),
        HostileCase.File("spotify: UTF-16 BE with BOM", AudienceFile, Utf16Be(Audience("2025-01-01,1,2,3")), new Quarantined("spotify", "UTF-16")),
        HostileCase.File("spotify: UTF-32 BE with BOM", AudienceFile, Utf32Be(Audience("2025-01-01,1,2,3")), new Quarantined("spotify", "UTF-32")),
        HostileCase.Text("spotify: separated by ';'", AudienceFile, Audience("2025-01-01,1,2,3").Replace(',', ';'),
            new Quarantined("spotify", "missing column(s) date, listeners, streams, followers")),
        HostileCase.Text("spotify: duplicated header column", AudienceFile,
            Bom + "date,listeners,streams,streams,followers\n2025-01-01,1,2,3,4\n", new Quarantined("spotify", "duplicated column(s) streams")),
        HostileCase.Text("spotify: a song timeline holding an audience timeline", "spotify/Night Drive-timeline.csv", Audience("2025-01-01,1,2,3"),
            new Quarantined("spotify", "belong to an audience timeline")),
        HostileCase.Text("spotify: a songs download renamed without the artist", "spotify/export (3).csv",
            Bom + "song,listeners,streams,saves,release_date\n\"KEYGEN\",1,2,3,2024-01-01\n", new Quarantined("spotify", "file name", "artist")),
        HostileCase.Text("spotify: a bank export under an audience name", AudienceFile, Bank(BankRow()),
            new Quarantined("spotify", "missing column(s)")),
        HostileCase.Text("spotify: a NUL byte in the middle", AudienceFile, Audience("2025-01-01,1,\02,3"), new Quarantined("spotify", "NUL byte")),
        HostileCase.Text("spotify: date 2025-02-30", AudienceFile, Audience("2025-02-30,1,2,3"),
            new RowsRejected(1, "type", "date", "2025-02-30", "expected a date")),
        HostileCase.Text("spotify: date 2025-13-01", AudienceFile, Audience("2025-13-01,1,2,3"),
            new RowsRejected(1, "type", "date", "2025-13-01", "expected a date")),
        HostileCase.Text("spotify: Excel date 2/30/2025", AudienceFile, Audience("2/30/2025,1,2,3"),
            new RowsRejected(1, "type", "date", "2/30/2025", "expected a date")),
        HostileCase.Text("spotify: a count of -5", AudienceFile, Audience("2025-01-01,1,-5,3"),
            new RowsRejected(1, "minimum", "streams", "-5", "at least 0")),
        HostileCase.Text("spotify: counts 'undefined', 'NaN' and '-'", AudienceFile,
            Audience("2025-01-01,1,undefined,3", "2025-01-02,1,NaN,3", "2025-01-03,1,-,3"),
            new RowsRejected(3, "required", "streams", "line 2", "line 3", "line 4", "a value is required")),
        HostileCase.Text("spotify: a count of 1e309", AudienceFile, Audience("2025-01-01,1,1e309,3"),
            new RowsRejected(1, "type", "streams", "1e309", "expected a whole number")),
        HostileCase.Text("spotify: a count of 99999999999999999999999", AudienceFile, Audience("2025-01-01,99999999999999999999999,2,3"),
            new RowsRejected(1, "type", "listeners", "99999999999999999999999", "expected a whole number")),
        HostileCase.Text("spotify: a count in scientific notation", AudienceFile, Audience("2025-01-01,1,1.2E+3,3"),
            new RowsRejected(1, "type", "streams", "1.2E+3", "expected a whole number")),
        HostileCase.Text("spotify: quoted fields with an embedded line break and quotes", AudienceFile,
            Audience("\"2025-01-01\n\",1,-5,3", "\"2025-01-02\",1,\"1\"\"0\",3"),
            new RowsRejected(2, "minimum", "streams", "line 2", "at least 0")),
        HostileCase.Text("spotify: bare CR line ends", AudienceFile, (AudienceHeader + "\r2025-01-01,1,-5,3\r2025-01-02,1,-6,3\r"),
            new RowsRejected(2, "minimum", "streams", "line 2: -5", "line 3: -6")),
        HostileCase.Text("spotify: mixed line ends", AudienceFile, Bom + AudienceHeader + "\r\n2025-01-01,1,-5,3\n2025-01-02,1,-6,3\r2025-01-03,1,-7,3\r\n",
            new RowsRejected(3, "minimum", "streams", "line 2: -5", "line 3: -6", "line 4: -7")),
        HostileCase.File("spotify: Windows-1252 no-break space in a count", AudienceFile,
            Windows1252.GetBytes(AudienceHeader + "\r\n2025-01-01,1\u00A0234,2,3\r\n"),
            new RowsRejected(1, "type", "listeners", "1 234", "expected a whole number")),
        HostileCase.Text("spotify: emoji and right-to-left text in the artist's file name", "spotify/🌙 نور-audience-timeline.csv",
            Audience("2025-01-01,1,-5,3"), new RowsRejected(1, "minimum", "streams", "at least 0")),
        HostileCase.Text("spotify: a 1 MB date", AudienceFile, Audience(new string('9', 1 << 20) + ",1,2,3"),
            new RowsRejected(1, "type", "date", "expected a date")),
        HostileCase.Text("spotify: truncated mid-row", AudienceFile, Audience("2025-01-01,1").TrimEnd('\n'),
            new RowsRejected(1, "structure", "", "expected 4 comma-separated fields", "found 2")),
        HostileCase.Text("spotify: an unclosed quote", AudienceFile, Audience("\"2025-01-01,1,2,3", "2025-01-02,1,-5,3"),
            new RowsRejected(1, "structure", "", "comma-separated fields")),

        HostileCase.Text("spotify: header only", AudienceFile, Audience(), new Quarantined("spotify", "no data rows")),
    ];

    public static TheoryData<string> Cases => new(All.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_Quarantine_Or_Reject_A_Hostile_Streaming_File_And_Change_Nothing_Else(string id)
    {
        // Given a copy of the TooLost and Spotify baseline with the hostile file in landing, When the run goes,
        // Then the file is quarantined or its rows rejected, naming the problem, and nothing else changes
        HostileCheck.Verify(baseline, All.Single(c => c.Id == id));
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return memory.ToArray();
    }

    public sealed class Baseline() : LakeBaseline("toolost", "spotify");
}
