using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Platforms.DistroKid;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;
using Bedrot.DataLake.Unify;
using Serilog.Core;

namespace Bedrot.DataLake.Tests.Staging;

/// <summary>
/// A big bank export is staged from a stream, converted on a second thread and compressed on a
/// third: what it writes must be exactly what the plain path (the whole file in memory, one
/// thread) writes, and a failure half way must leave nothing behind.
/// </summary>
public sealed class StreamingStageTests
{
    /// <summary>Enough rows that the input passes the read-ahead size and the output the gzip threshold.</summary>
    private const int BigRows = 120_000;

    [Fact]
    public void A_big_export_staged_from_a_stream_writes_what_the_in_memory_path_writes()
    {
        using var lake = new TempLake("distrokid");
        File.WriteAllBytes(lake.LandingFile("dk_bank_details_20250601_093015.tsv"), BigExport(BigRows, seed: 7));
        var run = lake.Run();
        Assert.Equal(0, run.Step("stage-platform").ItemsFailed);

        var paths = new LakePaths(lake.Lake);
        var raw = Ledger.Load(paths.Ledger).Entries.Single(e => e.Event == LedgerEntry.Promoted && e.Source.EndsWith("20250601_093015.tsv", StringComparison.Ordinal));
        var schemas = SchemaCatalog.Load(lake.Schemas);
        var mapping = PlatformMapping.Load(schemas, "mappings/distrokid.json");
        var dataset = mapping.ForRawDatatype("sales").Single();
        var lineage = LineageSpec.Of(mapping.Unify, t => TableSchema.Load(schemas, $"staging/{t}.json"))
            .Where(l => ReferenceEquals(l.Rule.Dataset, dataset)).Select(l => l.Spec).ToList();

        // The same raw file staged again in a second lake through a kind that can only read bytes.
        using var second = new TempDirectory();
        var secondPaths = new LakePaths(second.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(secondPaths.Full(raw.RawPath))!);
        File.Copy(paths.Full(raw.RawPath), secondPaths.Full(raw.RawPath));
        var plain = new DatasetStager(secondPaths, schemas, new ReferenceTables(schemas), Logger.None)
            .Stage(raw, new BytesOnly(new BankDetailsTsv()), dataset, lineage);

        var streamedOutput = run.Paths.Full(Path.Combine("staging", dataset.Folder, Path.GetFileName(plain.Facts["output"])));
        Assert.EndsWith(".csv.gz", plain.Facts["output"], StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(secondPaths.Full(plain.Facts["output"])), File.ReadAllBytes(streamedOutput));
        var state = File.ReadAllText(Path.Combine(lake.Lake, ".bedrot", "state", "stage-platform.json"));
        Assert.Contains(plain.Facts["raw_totals"].Replace("\"", "\\\""), state, StringComparison.Ordinal);
        Assert.Equal(BigRows, plain.Counts["rows_in"]);
    }

    [Fact]
    public void Rows_read_from_a_stream_equal_rows_read_from_bytes_also_for_latin1_and_broken_rows()
    {
        var export = new BankExport()
            .WithRow(("Artist", "Sólveig"), ("Store", "Apple Music"))
            .WithRow(("Artist", "Sólveig"), ("Store", "Apple Music"))
            .WithLine("2025-06-01\t2025-03\tSpotify\tonly four")
            .WithRow(("Title", "  spaced   out  "));
        foreach (var bytes in new[] { Encoding.UTF8.GetBytes(export.Text()), export.Bytes() })
        {
            var kind = new BankDetailsTsv();
            var fromBytes = kind.Read(new RawContent("dk_bank_details_20250601.tsv", bytes, Repository.Schemas)).ToList();
            var fromStream = kind.Read("dk_bank_details_20250601.tsv", () => new MemoryStream(bytes), Repository.Schemas).ToList();
            Assert.Equal(Describe(fromBytes), Describe(fromStream));
            Assert.Contains(fromStream, r => r.Problem is not null && r.Locator == "line 4");
            Assert.Contains(fromStream, r => r.Fields.TryGetValue("Artist", out var artist) && artist == "Sólveig");
        }
    }

    [Fact]
    public void The_bundled_bank_exports_read_the_same_from_a_stream()
    {
        var paths = Directory.EnumerateFiles(Path.Combine(Repository.Root, "samples", "landing", "distrokid"), "*.tsv").ToList();
        Assert.NotEmpty(paths);
        foreach (var path in paths)
        {
            SameFromStream(path);
        }
    }

    private static void SameFromStream(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var kind = new BankDetailsTsv();
        var fromBytes = kind.Read(new RawContent(Path.GetFileName(path), bytes, Repository.Schemas)).ToList();
        var fromStream = kind.Read(Path.GetFileName(path), () => File.OpenRead(path), Repository.Schemas).ToList();
        Assert.True(fromBytes.Count > 10);
        Assert.Equal(Describe(fromBytes), Describe(fromStream));
    }

    [Fact]
    public void A_small_output_is_plain_csv_and_a_big_one_is_gzip_of_the_same_bytes_with_the_hash_of_the_file()
    {
        using var folder = new TempDirectory();
        var content = Enumerable.Range(0, 5000).Select(i => Encoding.ASCII.GetBytes($"row {i},{i * 7}\n")).SelectMany(b => b).ToArray();

        var small = folder.File("small.csv");
        File.WriteAllText(small + ".gz", "stale");
        var (smallPath, smallSha) = WriteInPieces(small, content, threshold: content.Length);
        Assert.Equal(small, smallPath);
        Assert.Equal(content, File.ReadAllBytes(small));
        Assert.Equal(Sha(File.ReadAllBytes(small)), smallSha);
        Assert.False(File.Exists(small + ".gz"));

        var big = folder.File("big.csv");
        File.WriteAllText(big, "stale");
        var (bigPath, bigSha) = WriteInPieces(big, content, threshold: 1000);
        Assert.Equal(big + ".gz", bigPath);
        Assert.Equal(content, Gunzip(bigPath));
        Assert.Equal(Sha(File.ReadAllBytes(bigPath)), bigSha);
        Assert.False(File.Exists(big));
    }

    [Fact]
    public void An_output_abandoned_half_way_leaves_no_file_and_no_temporary()
    {
        using var folder = new TempDirectory();
        var target = folder.File("abandoned.csv");
        using (var output = new StagingOutput(target, threshold: 100))
        {
            output.Write(new byte[5000]);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Rows_staged_through_the_writer_read_back_the_same_also_past_the_gzip_threshold()
    {
        using var folder = new TempDirectory();
        var schema = TableSchema.Load(Repository.Schemas, "staging/distrokid_sales.json");
        var converter = Some.DistroKidConverter("sales");
        var source = BigExport(60_000, seed: 3);
        var rows = new BankDetailsTsv().Read(new RawContent("dk_bank_details_20250601.tsv", source, Repository.Schemas))
            .Select(r => converter.Convert(r).Row)
            .OfType<object?[]>()
            .ToList();
        var (path, _) = StagingFiles.Write(folder.File("sales.csv"), schema, rows);
        Assert.EndsWith(".gz", path, StringComparison.Ordinal);
        var back = StagingFiles.Read(path, schema).ToList();
        Assert.Equal(rows.Count, back.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Select((v, f) => FieldValues.Format(schema.Fields[f], v)), back[i].Select((v, f) => FieldValues.Format(schema.Fields[f], v)));
        }
    }

    private static (string Path, string Sha) WriteInPieces(string path, byte[] content, long threshold)
    {
        using var output = new StagingOutput(path, threshold);
        for (var at = 0; at < content.Length; at += 777)
        {
            output.Write(content.AsSpan(at, Math.Min(777, content.Length - at)));
        }

        return output.Complete();
    }

    /// <summary>A bank export of <paramref name="rows"/> varied rows, some of them rejected (negative quantity) or warned.</summary>
    internal static byte[] BigExport(int rows, int seed)
    {
        var random = new Random(seed);
        string[] stores = ["Spotify", "Apple Music", "iTunes", "Tidal", "YouTube (Ads)", "Amazon Prime (Streaming)"];
        string[] artists = ["ZONE A0", "PIG1987", "Sólveig Lind", "bedroom tapes"];
        string[] countries = ["US", "GB", "DE", "SE", "JP", "BR"];
        var text = new StringBuilder(string.Join('\t', BankExport.Columns)).Append('\r');
        for (var i = 0; i < rows; i++)
        {
            var quantity = random.Next(0, 50) == 0 ? -random.Next(1, 10) : random.Next(0, 5000);
            var earnings = (random.NextDouble() * 20 - 2).ToString("0.########", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture,
                $"2025-0{random.Next(1, 7)}-{random.Next(10, 29)}\t2025-0{random.Next(1, 7)}\t{stores[random.Next(stores.Length)]}\t" +
                $"{artists[random.Next(artists.Length)]}\tTRACK {random.Next(40)}\tQZTB2250{random.Next(1000, 9999)}\t0198765{random.Next(100000, 999999)}\t" +
                $"{quantity}\t100\tSong\t{countries[random.Next(countries.Length)]}\t0\t{earnings}\r");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static List<string> Describe(IEnumerable<SourceRow> rows) =>
        rows.Select(r => $"{r.Locator}|{r.Problem}|{string.Join(";", r.Fields.Select(f => $"{f.Key}={f.Value}"))}").ToList();

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        gzip.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A kind that reads its rows from the whole file in memory only.</summary>
    private sealed class BytesOnly(RawFileKind inner) : RawFileKind
    {
        public override string Platform => inner.Platform;
        public override string Datatype => inner.Datatype;
        public override string Version => inner.Version;
        public override bool MatchesName(string fileName) => inner.MatchesName(fileName);
        public override bool MatchesContent(ReadOnlySpan<byte> head) => inner.MatchesContent(head);
        public override IReadOnlyList<RawProblem> Validate(RawContent content) => inner.Validate(content);
        public override IEnumerable<SourceRow> Read(RawContent content) => inner.Read(content);
    }
}

/// <summary>A converter remembers per thread: one shared by several threads converts as one per thread would.</summary>
public sealed class SharedConverterTests
{
    [Fact]
    public void One_converter_used_by_several_threads_at_once_converts_every_row_as_alone()
    {
        var rows = new BankDetailsTsv()
            .Read(new RawContent("dk_bank_details_20250601.tsv", StreamingStageTests.BigExport(20_000, seed: 11), Repository.Schemas))
            .ToList();
        var schema = Some.DistroKidConverter("sales").Schema;
        string Text(object?[]? row) => row is null ? "rejected" : string.Join('|', row.Select((v, i) => FieldValues.Format(schema.Fields[i], v)));
        var alone = rows.Select(r => Text(Some.DistroKidConverter("sales").Convert(r).Row)).ToList();
        var shared = Some.DistroKidConverter("sales");
        var together = new string[rows.Count];
        Parallel.For(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => together[i] = Text(shared.Convert(rows[i]).Row));
        Assert.Equal(alone, together);
    }
}
