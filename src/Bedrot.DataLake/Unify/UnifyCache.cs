using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Unify;

/// <summary>One staging file as the cache knew it: its content hash, and the raw side of its control totals.</summary>
internal sealed record CachedFile(string Sha256, string RawTotalsHash, IReadOnlyList<RawTotal> RawTotals);

/// <summary>The newest file of a snapshot partition and the rows it gives the partition.</summary>
internal sealed record Owner(string File, PartitionGroup Group);

/// <summary>A unified line's amounts on the output side: set aside by source precedence, and unified.</summary>
internal sealed record UnifiedLine(string Source, string Month, string Measure, decimal SetAside, decimal Unified);

/// <summary>
/// What the last build wrote from the partitions' rows, kept so a build whose partitions keep their
/// newest files (say, an older snapshot was added) reuses it and rewrites only the lineage totals.
/// </summary>
/// <param name="Output">The dataset's lake path (<c>.csv</c>, or <c>.csv.gz</c> when large).</param>
internal sealed record MergeResult(
    string Stamp, string Output, IReadOnlyDictionary<string, string> Outputs, IReadOnlyDictionary<string, long> Counts, IReadOnlyList<UnifiedLine> Lines);

/// <summary>
/// A unified dataset's last build, in <c>.bedrot/cache/unify/&lt;target&gt;.bin</c>: per staging file
/// (by lake path and content hash) what each rule takes from it, and per snapshot partition its
/// newest file with that file's rows, combined by key. The next build reads only the staging files
/// that changed, and files that became the newest of a partition. A cache that is missing, damaged
/// or made under other schemas, mappings or code is ignored: the build starts from every file.
/// </summary>
internal sealed class UnifyCache
{
    private const int Format = 1;

    public UnifyCache(string key, int rules)
    {
        Key = key;
        Summaries = Enumerable.Range(0, rules).Select(_ => new Dictionary<string, FileSummary>(StringComparer.Ordinal)).ToArray();
        Owners = Enumerable.Range(0, rules).Select(_ => new Dictionary<string, Owner>(StringComparer.Ordinal)).ToArray();
    }

    /// <summary>What the cached results depend on besides the staging files (schemas, mappings, code).</summary>
    public string Key { get; }

    public Dictionary<string, CachedFile> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Per rule, by staging file.</summary>
    public Dictionary<string, FileSummary>[] Summaries { get; }

    /// <summary>Per rule, by snapshot partition.</summary>
    public Dictionary<string, Owner>[] Owners { get; }

    public MergeResult? Merge { get; set; }

    /// <summary>The cache at <paramref name="path"/> when it was made with <paramref name="key"/>; otherwise an empty one.</summary>
    public static UnifyCache Load(string path, string key, int rules)
    {
        if (!File.Exists(path))
        {
            return new UnifyCache(key, rules);
        }

        try
        {
            using var stream = new BufferedStream(File.OpenRead(path), 1 << 16);
            using var reader = new CacheReader(stream);
            if (reader.Int() != Format || reader.String() != key || reader.Int() != rules)
            {
                return new UnifyCache(key, rules);
            }

            var cache = new UnifyCache(key, rules);
            cache.Read(reader);
            return cache;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException or FormatException)
        {
            // A damaged cache only costs a build from every file.
            return new UnifyCache(key, rules);
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, stream =>
        {
            // Not disposed: that would close the stream the atomic write still hashes and renames.
            var buffered = new BufferedStream(stream, 1 << 16);
            using (var writer = new CacheWriter(buffered))
            {
                writer.Write(Format);
                writer.Write(Key);
                writer.Write(Summaries.Length);
                Write(writer);
            }

            buffered.Flush();
        });
    }

    private void Read(CacheReader reader)
    {
        for (var n = reader.Int(); n > 0; n--)
        {
            var path = reader.String();
            var sha = reader.String();
            var hash = reader.String();
            var totals = new RawTotal[reader.Int()];
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] = new RawTotal(reader.String(), reader.String(), reader.String(), reader.String(), reader.Decimal(), reader.Decimal());
            }

            Files[path] = new CachedFile(sha, hash, totals);
        }

        for (var r = 0; r < Summaries.Length; r++)
        {
            for (var n = reader.Int(); n > 0; n--)
            {
                var path = reader.String();
                var summary = new FileSummary { Rows = reader.Int() };
                ReadLines(reader, summary.Staged);
                summary.Partitions = new string[reader.Int()];
                for (var i = 0; i < summary.Partitions.Length; i++)
                {
                    summary.Partitions[i] = reader.String();
                }

                Summaries[r][path] = summary;
            }

            for (var n = reader.Int(); n > 0; n--)
            {
                var partition = reader.String();
                Owners[r][partition] = new Owner(reader.String(), ReadGroup(reader));
            }
        }

        if (reader.Int() == 1)
        {
            var stamp = reader.String();
            var output = reader.String();
            var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var n = reader.Int(); n > 0; n--)
            {
                outputs[reader.String()] = reader.String();
            }

            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var n = reader.Int(); n > 0; n--)
            {
                counts[reader.String()] = reader.Long();
            }

            var lines = new List<UnifiedLine>();
            for (var n = reader.Int(); n > 0; n--)
            {
                lines.Add(new UnifiedLine(reader.String(), reader.String(), reader.String(), reader.Decimal(), reader.Decimal()));
            }

            Merge = new MergeResult(stamp, output, outputs, counts, lines);
        }
    }

    private void Write(CacheWriter writer)
    {
        writer.Write(Files.Count);
        foreach (var (path, file) in Files)
        {
            writer.Write(path);
            writer.Write(file.Sha256);
            writer.Write(file.RawTotalsHash);
            writer.Write(file.RawTotals.Count);
            foreach (var total in file.RawTotals)
            {
                writer.Write(total.Target);
                writer.Write(total.Source);
                writer.Write(total.Month);
                writer.Write(total.Measure);
                writer.Write(total.Read);
                writer.Write(total.Rejected);
            }
        }

        for (var r = 0; r < Summaries.Length; r++)
        {
            writer.Write(Summaries[r].Count);
            foreach (var (path, summary) in Summaries[r])
            {
                writer.Write(path);
                writer.Write(summary.Rows);
                WriteLines(writer, summary.Staged);
                writer.Write(summary.Partitions.Length);
                foreach (var partition in summary.Partitions)
                {
                    writer.Write(partition);
                }
            }

            writer.Write(Owners[r].Count);
            foreach (var (partition, owner) in Owners[r])
            {
                writer.Write(partition);
                writer.Write(owner.File);
                WriteGroup(writer, owner.Group);
            }
        }

        writer.Write(Merge is null ? 0 : 1);
        if (Merge is { } merge)
        {
            writer.Write(merge.Stamp);
            writer.Write(merge.Output);
            writer.Write(merge.Outputs.Count);
            foreach (var (path, sha) in merge.Outputs)
            {
                writer.Write(path);
                writer.Write(sha);
            }

            writer.Write(merge.Counts.Count);
            foreach (var (name, count) in merge.Counts)
            {
                writer.Write(name);
                writer.Write(count);
            }

            writer.Write(merge.Lines.Count);
            foreach (var line in merge.Lines)
            {
                writer.Write(line.Source);
                writer.Write(line.Month);
                writer.Write(line.Measure);
                writer.Write(line.SetAside);
                writer.Write(line.Unified);
            }
        }
    }

    private static PartitionGroup ReadGroup(CacheReader reader)
    {
        var group = new PartitionGroup { Rows = reader.Int(), Accepted = reader.Int() };
        ReadLines(reader, group.Staged);
        ReadLines(reader, group.Rejected);
        for (var n = reader.Int(); n > 0; n--)
        {
            var key = reader.String();
            var row = reader.Int();
            var texts = new string?[reader.Int()];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = reader.MaybeString();
            }

            var sums = new decimal?[reader.Int()];
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] = reader.MaybeDecimal();
            }

            group.Entries.Add(new GroupEntry(key, row, texts, sums));
        }

        for (var n = reader.Int(); n > 0; n--)
        {
            group.Rejects.Add((reader.Int(), new RowReject(string.Empty, reader.String(), reader.String(), reader.MaybeString(), reader.String())));
        }

        for (var n = reader.Int(); n > 0; n--)
        {
            var id = reader.String();
            var values = new string[reader.Int()];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.String();
            }

            var sums = new decimal[reader.Int()];
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] = reader.Decimal();
            }

            group.Totals[id] = new ControlSum(values, sums);
        }

        return group;
    }

    private static void WriteGroup(CacheWriter writer, PartitionGroup group)
    {
        writer.Write(group.Rows);
        writer.Write(group.Accepted);
        WriteLines(writer, group.Staged);
        WriteLines(writer, group.Rejected);
        writer.Write(group.Entries.Count);
        foreach (var entry in group.Entries)
        {
            writer.Write(entry.Key);
            writer.Write(entry.FirstRow);
            writer.Write(entry.Texts.Length);
            foreach (var text in entry.Texts)
            {
                writer.Write(text);
            }

            writer.Write(entry.Sums.Length);
            foreach (var sum in entry.Sums)
            {
                writer.Write(sum);
            }
        }

        writer.Write(group.Rejects.Count);
        foreach (var (row, reject) in group.Rejects)
        {
            writer.Write(row);
            writer.Write(reject.Rule);
            writer.Write(reject.Field);
            writer.Write(reject.Value);
            writer.Write(reject.Message);
        }

        writer.Write(group.Totals.Count);
        foreach (var (id, total) in group.Totals)
        {
            writer.Write(id);
            writer.Write(total.Group.Length);
            foreach (var value in total.Group)
            {
                writer.Write(value);
            }

            writer.Write(total.Sums.Length);
            foreach (var sum in total.Sums)
            {
                writer.Write(sum);
            }
        }
    }

    private static void ReadLines(CacheReader reader, LineAmounts into)
    {
        for (var n = reader.Int(); n > 0; n--)
        {
            into.Amounts[(reader.String(), reader.String())] = reader.Decimal();
        }
    }

    private static void WriteLines(CacheWriter writer, LineAmounts lines)
    {
        writer.Write(lines.Amounts.Count);
        foreach (var ((month, measure), amount) in lines.Amounts)
        {
            writer.Write(month);
            writer.Write(measure);
            writer.Write(amount);
        }
    }
}
