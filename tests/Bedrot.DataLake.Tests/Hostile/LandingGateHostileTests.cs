using Bedrot.DataLake.Tests.Support;
using static Bedrot.DataLake.Tests.Hostile.Exports;

namespace Bedrot.DataLake.Tests.Hostile;

/// <summary>
/// Hostile files at the landing gate: files no platform claims (archives, documents, noise), links,
/// and files named like one platform's export that hold another's. Each is quarantined with a reason
/// naming the problem, is never extracted or followed, and nothing else changes.
/// </summary>
public sealed class LandingGateHostileTests(LandingGateHostileTests.Baseline baseline) : IClassFixture<LandingGateHostileTests.Baseline>
{
    private const string NoPlatform = "no platform recognises this file";
    private const string Marker = "OUTSIDE-LANDING-3f9c1e";

    private static readonly HostileCase[] All =
    [
        // ---- Files no platform claims ----
        HostileCase.File("unclaimed: noise named .csv", "downloads/report.csv", Noise(2048, seed: 11), new Quarantined("unknown", NoPlatform)),
        HostileCase.File("unclaimed: empty .csv", "downloads/export.csv", [], new Quarantined("unknown", NoPlatform)),
        HostileCase.File("unclaimed: a PDF statement", "downloads/statement_2025-09.pdf",
            Utf8("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"), new Quarantined("unknown", NoPlatform)),
        HostileCase.File("unclaimed: a spreadsheet named like an audience timeline", "spotify/ZONE A0-audience-timeline.xlsx",
            Zip(("[Content_Types].xml", Utf8("<Types/>")), ("xl/worksheets/sheet1.xml", Utf8("<worksheet/>"))), new Quarantined("unknown", NoPlatform)),
        HostileCase.Text("unclaimed: notes in plain text", "notes.txt", "remember to download the Meta report\n", new Quarantined("unknown", NoPlatform)),
        HostileCase.File("unclaimed: emoji and right-to-left text in the name", "downloads/🎵 تقرير הכנסות.csv", Noise(512, seed: 12),
            new Quarantined("unknown", NoPlatform)),
        new HostileCase("a TikTok Studio zip with short sheets, never extracted", "downloads/Overview_2025-09-01_1756684800_bedrot.zip",
            lake => lake.Drop("downloads/Overview_2025-09-01_1756684800_bedrot.zip", Zip(
                ("Overview.csv", Utf8("\uFEFF\"Date\",\"Video Views\"\n\"February 28\",\"120\"")),
                ("FollowerHistory.csv", Utf8("\uFEFF\"Date\",\"Followers\"\n\"February 28\",\"10\"")))),
            new Quarantined("tiktok", "Overview.csv line 1 (header)", "missing column(s) Profile Views"))
        {
            Also = lake => Assert.Empty(NamedAnywhere(lake, "Overview.csv", "FollowerHistory.csv")),
        },
        new HostileCase("unclaimed: a zip with an entry named ../evil.txt, never extracted", "downloads/export.zip",
            lake => lake.Drop("downloads/export.zip", Zip(("../evil.txt", Utf8("escaped\n")), ("../../evil.txt", Utf8("escaped\n")))),
            new Quarantined("unknown", NoPlatform))
        {
            Also = lake => Assert.Empty(NamedAnywhere(lake, "evil.txt")),
        },

        // ---- Named like one platform, holding another's content ----
        HostileCase.Text("misnamed: a bank export under a streams page name", "downloads/streams_stats_20250101_000000.html", Bank(BankRow()),
            new Quarantined("distrokid", "not an HTML page")),
        HostileCase.Text("misnamed: an Ads Manager export under an insights name", "downloads/insights_20250101.json", AdsManager(AdsRow()),
            new Quarantined("metaads", "not valid JSON")),
        HostileCase.Text("misnamed: Meta insights under a TooLost name", "downloads/toolost_spotify_20250101_000000.json", Insights(),
            new Quarantined("toolost", "required property 'streams' is missing")),
        HostileCase.Text("misnamed: a TooLost reply under an Ads Manager name", "downloads/metaads_campaign_daily_20250101_000000.csv",
            TooLostSpotify(("2025-01-01", "\"10\"")), new Quarantined("metaads", "missing column(s)")),
        HostileCase.Text("misnamed: an audience timeline under an Apple Music page name", "downloads/applemusic_stats_20250101_000000.html",
            Audience("2025-01-01,1,2,3"), new Quarantined("distrokid", "not an HTML page")),
        HostileCase.Text("misnamed: a renamed streams page with an empty chart", "downloads/Download (1).html", StreamsPage(),
            new Quarantined("distrokid", "daily series is empty")),

        // ---- Links ----
        new HostileCase("link: a bank-named link to a file outside landing", "distrokid/dk_bank_details_20250101_000000.tsv", lake =>
        {
            var outside = Path.Combine(lake.Outside, "secret.tsv");
            File.WriteAllText(outside, Bank(BankRow(("Artist", Marker))));
            Link(lake, "distrokid/dk_bank_details_20250101_000000.tsv", outside);
        }, new Unread("symbolic link", "not followed", "secret.tsv"))
        {
            Also = lake => Assert.Empty(HostileCheck.FilesContaining(lake, Utf8(Marker))),
        },
        new HostileCase("link: a link to /etc/hostname", "downloads/hostname.csv", lake =>
            Link(lake, "downloads/hostname.csv", "/etc/hostname"),
            new Unread("symbolic link", "/etc/hostname"))
        {
            Also = lake =>
            {
                var target = File.Exists("/etc/hostname") ? File.ReadAllBytes("/etc/hostname") : [];
                if (target.Length >= 8)
                {
                    Assert.Empty(HostileCheck.FilesContaining(lake, target));
                }
            },
        },
        new HostileCase("link: a link whose target is gone", "toolost/toolost_spotify_20250101_000000.json", lake =>
            Link(lake, "toolost/toolost_spotify_20250101_000000.json", Path.Combine(lake.Outside, "gone.json")),
            new Unread("symbolic link", "gone.json")),
        new HostileCase("link: a link to itself", "downloads/loop.csv", lake =>
            Link(lake, "downloads/loop.csv", lake.InLanding("downloads/loop.csv")),
            new Unread("symbolic link")),
        new HostileCase("link: a relative link climbing out of landing", "downloads/up.tsv", lake =>
        {
            File.WriteAllText(Path.Combine(lake.Outside, "up.tsv"), Bank(BankRow(("Artist", Marker))));
            Link(lake, "downloads/up.tsv", "../../outside/up.tsv");
        }, new Unread("symbolic link", "../../outside/up.tsv"))
        {
            Also = lake => Assert.Empty(HostileCheck.FilesContaining(lake, Utf8(Marker))),
        },

        // A linked folder is not walked into: the link itself is the landing entry, refused unread.
        new HostileCase("link: a linked folder pointing out of landing", "linked", lake =>
        {
            var folder = Path.Combine(lake.Outside, "exports");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "dk_bank_details_20250101_000000.tsv"), Bank(BankRow(("Artist", Marker))));
            Directory.CreateSymbolicLink(lake.InLanding("linked"), folder);
        }, new Unread("symbolic link"))
        {
            Also = lake => Assert.Empty(HostileCheck.FilesContaining(lake, Utf8(Marker))),
        },

        // A long name (the file system allows 255 bytes) still takes its quarantine copy, its reason and their temporary files.
        HostileCase.File("unclaimed: a name of 238 bytes (the limit is 255)", "downloads/" + string.Concat(Enumerable.Repeat("Sólveig ", 26)) + ".csv", Noise(64, seed: 13),
            new Quarantined("unknown", NoPlatform)),
    ];

    public static TheoryData<string> Cases => new(All.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_Quarantine_A_Hostile_File_At_The_Landing_Gate_And_Change_Nothing_Else(string id)
    {
        // Given a copy of the DistroKid baseline with the hostile file in landing, When the run goes,
        // Then the file is quarantined (or named unread) with a reason, and nothing else changes
        HostileCheck.Verify(baseline, All.Single(c => c.Id == id));
    }

    /// <summary>A symbolic link at <paramref name="relative"/> in landing to <paramref name="target"/>.</summary>
    private static void Link(HostileLake lake, string relative, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lake.InLanding(relative))!);
        File.CreateSymbolicLink(lake.InLanding(relative), target);
    }

    /// <summary>Files named <paramref name="names"/> anywhere in the case's folder, outside landing (where the zip itself lies).</summary>
    private static List<string> NamedAnywhere(HostileLake lake, params string[] names) =>
        Directory.EnumerateFiles(lake.Root, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.GetDirectoryName(lake.Root)!, "evil.txt"))
            .Where(f => names.Contains(Path.GetFileName(f), StringComparer.Ordinal))
            .ToList();

    public sealed class Baseline() : LakeBaseline("distrokid");
}
