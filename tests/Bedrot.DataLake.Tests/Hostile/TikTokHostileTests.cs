using System.Text;
using Bedrot.DataLake.Tests.Support;
using static Bedrot.DataLake.Tests.Hostile.Exports;
using static Bedrot.DataLake.Tests.Platforms.TikTok.StudioExports;

namespace Bedrot.DataLake.Tests.Hostile;

/// <summary>
/// Hostile TikTok Studio ZIPs and sheets dropped beside the samples: each ZIP is quarantined whole
/// with the entry or sheet named, or has its rows rejected, and nothing else changes. Nothing in a
/// ZIP is ever extracted to disk.
/// </summary>
public sealed class TikTokHostileTests(TikTokHostileTests.Baseline baseline) : IClassFixture<TikTokHostileTests.Baseline>
{
    private const string ZipFile = "tiktok/Overview_2025-02-01_1738400000_hostile.zip";
    private const string VideosFile = "tiktok/video_performance_hostile_20250201.csv";

    private static readonly byte[] GoodOverview = Overview(("January 30", "10"), ("January 31", "11"));

    private static readonly HostileCase[] All =
    [
        HostileCase.File("tiktok: empty (0 bytes)", ZipFile, [], new Quarantined("tiktok", "empty", "0 bytes")),
        HostileCase.File("tiktok: entry ../x.csv climbs out of the archive", ZipFile,
            Zip(("Overview.csv", GoodOverview), ("../x.csv", Utf8("\"a\""))), new Quarantined("tiktok", "../x.csv", "climbs out")),
        HostileCase.File("tiktok: entry ../../etc/cron.d/x.csv", ZipFile,
            Zip(("Overview.csv", GoodOverview), ("../../etc/cron.d/x.csv", Utf8("\"a\""))), new Quarantined("tiktok", "climbs out")),
        HostileCase.File("tiktok: absolute entry path /tmp/Overview.csv", ZipFile,
            Zip(("/tmp/Overview.csv", GoodOverview)), new Quarantined("tiktok", "/tmp/Overview.csv", "absolute path")),
        HostileCase.File("tiktok: absolute Windows entry path", ZipFile,
            Zip(("C:\\Windows\\Overview.csv", GoodOverview)), new Quarantined("tiktok", "absolute path")),
        HostileCase.File("tiktok: 200 entries", ZipFile,
            Zip(Enumerable.Range(0, 200).Select(i => ($"s{i}.csv", Utf8("\"a\""))).ToArray()), new Quarantined("tiktok", "200 entries")),
        HostileCase.File("tiktok: an entry inflating to 64 MB", ZipFile, ZipBomb("Overview.csv", 64L << 20), new Quarantined("tiktok", "over the 32 MB")),
        HostileCase.File("tiktok: a zip bomb by ratio", ZipFile, ZipBomb("Overview.csv", 8L << 20), new Quarantined("tiktok", "ZIP bomb")),
        HostileCase.File("tiktok: an executable entry", ZipFile,
            Zip(("Overview.csv", GoodOverview), ("run.exe", Noise(64, 1))), new Quarantined("tiktok", "run.exe", "not a CSV")),
        HostileCase.File("tiktok: a zip inside the zip", ZipFile,
            Zip(("Overview.csv", GoodOverview), ("more.zip", Zip(("Overview.csv", GoodOverview)))), new Quarantined("tiktok", "more.zip", "not a CSV")),
        HostileCase.File("tiktok: truncated download", ZipFile,
            Zip(("Overview.csv", GoodOverview))[..60], new Quarantined("tiktok", "not a readable ZIP")),
        HostileCase.File("tiktok: random bytes under the ZIP name", ZipFile, Noise(4096, 7), new Quarantined("tiktok", "not a readable ZIP")),
        HostileCase.File("tiktok: no Overview.csv", ZipFile,
            Zip(("FollowerHistory.csv", Sheet(HistoryHeader, ["January 5", "1", "1"]))), new Quarantined("tiktok", "no Overview.csv")),
        HostileCase.File("tiktok: Overview as UTF-16", ZipFile,
            Zip(("Overview.csv", Utf16Le(Encoding.UTF8.GetString(GoodOverview)))), new Quarantined("tiktok", "Overview.csv", "NUL")),
        HostileCase.File("tiktok: Overview with dates in German", ZipFile,
            Zip(("Overview.csv", Overview(("30. Januar", "10")))), new Quarantined("tiktok", "Overview.csv line 2, field Date", "not a day")),
        HostileCase.File("tiktok: Overview that is only a BOM", ZipFile,
            Zip(("Overview.csv", Utf8(Bom))), new Quarantined("tiktok", "Overview.csv", "empty")),
        HostileCase.File("tiktok: negative video views", ZipFile,
            Zip(("Overview.csv", Overview(("January 30", "-10")))), new RowsRejected(1, "minimum", "video_views", "-10", "at least 0")),
        HostileCase.File("tiktok: a count of 1.5", ZipFile,
            Zip(("Overview.csv", Overview(("January 30", "1.5")))), new RowsRejected(1, "type", "video_views", "1.5", "whole number")),
        HostileCase.Text("tiktok videos: a Studio ZIP under the CSV name", VideosFile, Encoding.Latin1.GetString(Zip(("Overview.csv", GoodOverview))),
            new Quarantined("tiktok", "ZIP archive")),
    ];

    public static TheoryData<string> Cases => new(All.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_Quarantine_Or_Reject_A_Hostile_TikTok_File_And_Change_Nothing_Else(string id)
    {
        // Given a copy of the TikTok baseline with the hostile file in landing, When the run goes,
        // Then the file is quarantined or its rows rejected, naming the problem, and nothing else changes
        HostileCheck.Verify(baseline, All.Single(c => c.Id == id));
    }

    public sealed class Baseline() : LakeBaseline("tiktok");
}
