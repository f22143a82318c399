using System.Text;
using Bedrot.DataLake.Tests.Support;
using static Bedrot.DataLake.Tests.Hostile.Exports;

namespace Bedrot.DataLake.Tests.Hostile;

/// <summary>Huge hostile files measure the run's allocations, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HugeFiles
{
    public const string Name = "huge hostile files";
}

/// <summary>
/// Hostile files too big to read: a 1 GB single line, a file just over a small limit, a zip bomb, a
/// link to a huge file. Each is refused (or quarantined) without being read into memory: the run's
/// allocations stay far below the file's size.
/// </summary>
[Collection(HugeFiles.Name)]
public sealed class HugeFileHostileTests(HugeFileHostileTests.Baseline baseline) : IClassFixture<HugeFileHostileTests.Baseline>
{
    private const long OneGigabyte = 1L << 30;
    private const long OneMegabyte = 1L << 20;
    private const string BankFile = "distrokid/dk_bank_details_20250101_000000.tsv";

    private static readonly Lazy<byte[]> Bomb = new(() => ZipBomb("Overview.csv", OneGigabyte));

    /// <summary>Each case, with the size of what it asks the run to swallow (the file, or what the zip expands to).</summary>
    private static readonly (HostileCase Case, long Size)[] All =
    [
        (new HostileCase("a 1 GB single line under the bank name", BankFile,
            lake => Sparse(lake.InLanding(BankFile), "Reporting Date\tSale Month\t", OneGigabyte),
            new Unread("1024 MB", "over the 512 MB limit", "not read")), OneGigabyte),
        (new HostileCase("a 1 GB single line under a TooLost name", "toolost/toolost_spotify_20250101_000000.json",
            lake => Sparse(lake.InLanding("toolost/toolost_spotify_20250101_000000.json"), "{\"streams\": [\"", OneGigabyte),
            new Unread("over the 512 MB limit", "not read")), OneGigabyte),
        (new HostileCase("a 1 GB single line under a name no platform claims", "downloads/everything.csv",
            lake => Sparse(lake.InLanding("downloads/everything.csv"), "date,streams\n", OneGigabyte),
            new Unread("over the 512 MB limit", "not read")), OneGigabyte),
        (new HostileCase("a bank export just over a 1 MB limit", BankFile,
            lake => lake.Drop(BankFile, Filled(Bank(BankRow()), OneMegabyte + 1)),
            new Unread("over the 1 MB limit", "--max-file-mb", "not read"))
        {
            Options = options => options with { MaxFileMegabytes = 1 },
        }, OneMegabyte + 1),
        (new HostileCase("a bank export of exactly 1 MB with a 1 MB limit is read", BankFile,
            lake => lake.Drop(BankFile, Filled(Bank(BankRow()) + "\0", OneMegabyte)),
            new Quarantined("distrokid", "NUL byte"))
        {
            Options = options => options with { MaxFileMegabytes = 1 },
        }, OneMegabyte),
        (new HostileCase("a zip bomb (1 GB of zeros in a tiny zip), never extracted", "downloads/Overview_2025-09-01_1756684800_bedrot.zip",
            lake => lake.Drop("downloads/Overview_2025-09-01_1756684800_bedrot.zip", Bomb.Value),
            new Quarantined("tiktok", "zip entry 'Overview.csv'", "over the 32 MB"))
        {
            Also = lake => Assert.DoesNotContain(Directory.EnumerateFiles(lake.Root, "*", SearchOption.AllDirectories),
                f => Path.GetFileName(f) == "Overview.csv"),
        }, OneGigabyte),
        (new HostileCase("a link to a 1 GB file outside landing", BankFile, lake =>
        {
            var outside = Path.Combine(lake.Outside, "huge.tsv");
            Sparse(outside, "Reporting Date\tSale Month\t", OneGigabyte);
            File.CreateSymbolicLink(lake.InLanding(BankFile), outside);
        }, new Unread("symbolic link", "huge.tsv")), OneGigabyte),
        (new HostileCase("a dump member over a 1 MB limit", "metaads/meta_ads_dump_20250101_000000", lake =>
        {
            foreach (var (name, bytes) in DumpMembers())
            {
                // Valid JSON padded with white space past the limit: only its size is wrong.
                lake.Drop($"metaads/meta_ads_dump_20250101_000000/{name}",
                    name == "insights.json" ? [.. bytes, .. Enumerable.Repeat((byte)' ', (int)OneMegabyte)] : bytes);
            }
        }, new UnitQuarantined("metaads", "insights.json", "over the 1 MB limit"))
        {
            Options = options => options with { MaxFileMegabytes = 1 },
        }, OneMegabyte),
    ];

    public static TheoryData<string> Cases => new(All.Select(c => c.Case.Id));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_Refuse_A_Huge_File_Without_Reading_It_And_Change_Nothing_Else(string id)
    {
        // Given a copy of the DistroKid baseline with the huge file in landing, When the run goes,
        // Then it is refused or quarantined with a reason, and nothing else changes
        var (hostile, size) = All.Single(c => c.Case.Id == id);
        var result = HostileCheck.Verify(baseline, hostile);

        // And the run's allocations stay far below the size of the file (or of what the zip expands to)
        if (size >= OneGigabyte)
        {
            Assert.True(result.AllocatedBytes < size / 16,
                $"{id}: the run allocated {result.AllocatedBytes >> 20} MB for a {size >> 20} MB file");
        }
    }

    [Fact]
    public void Should_Not_Read_An_Over_Limit_File_Even_To_Fingerprint_It()
    {
        // Given a 1 GB single line in landing, over the default 512 MB limit
        using var lake = baseline.Copy();
        Sparse(lake.InLanding(BankFile), "Reporting Date\tSale Month\t", OneGigabyte);

        // When the run goes
        var run = lake.Run();

        // Then its reason says it was not read
        Assert.Equal("succeeded", run.Report.Status);
        var reason = File.ReadAllText(lake.InLake($"quarantine/unknown/{BankFile}.reason.json"));
        Assert.Contains("it was not read", reason, StringComparison.Ordinal);

        // And it was not hashed either: the hash cache does not list it
        var hashed = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(lake.InLake(".bedrot/hash-cache.json")));
        Assert.Null(hashed[lake.InLanding(BankFile)]);
    }

    /// <summary>A sparse file of <paramref name="length"/> bytes: <paramref name="start"/>, then zeros on no disk.</summary>
    private static void Sparse(string path, string start, long length)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(start));
        stream.SetLength(length);
    }

    /// <summary><paramref name="text"/> repeated (whole lines after the first copy's header) to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] Filled(string text, long length)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var result = new byte[length];
        for (var at = 0; at < length; at += bytes.Length)
        {
            bytes.AsSpan(0, (int)Math.Min(bytes.Length, length - at)).CopyTo(result.AsSpan(at));
        }

        return result;
    }

    public sealed class Baseline() : LakeBaseline("distrokid");
}
