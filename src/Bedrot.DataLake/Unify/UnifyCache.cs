using System.Runtime.CompilerServices;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// One staging file as the cache knew it: its content hash, the snapshot and raw file it came from,
/// and the raw side of its control totals with the hash of their text as staging recorded it (read
/// again only when that changes).
/// </summary>
internal sealed record CachedFile(string Sha256, string SnapshotAt, string RawPath, string RawTotalsHash, IReadOnlyList<RawTotal> RawTotals);

/// <summary>The newest file of a snapshot partition, and the rows it gives the partition once they are read.</summary>
internal sealed class Owner(string file, PartitionGroup? group = null)
{
    public string File => file;

    public PartitionGroup? Group { get; set; } = group;
}

/// <summary>What one rule's winning partitions hold, summed: kept for lineage when their rows are not read.</summary>
internal sealed class Won
{
    public long Rows { get; set; }

    public LineAmounts Staged { get; init; } = new();

    public LineAmounts Rejected { get; init; } = new();

    public static Won Of(IEnumerable<PartitionGroup> groups)
    {
        var won = new Won();
        foreach (var group in groups)
        {
            won.Rows += group.Rows;
            won.Staged.AddAll(group.Staged);
            won.Rejected.AddAll(group.Rejected);
        }

        return won;
    }
}

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
/// A unified dataset's last build, under <c>.bedrot/cache/unify/</c>. <c>&lt;target&gt;.bin</c> holds per
/// staging file (by lake path and content hash) what each rule takes from it, and per snapshot
/// partition its newest file; <c>&lt;target&gt;.rows.bin</c> holds those files' rows of the partitions
/// they win, combined by key, read only when a partition changes hands or the dataset must be
/// written again. The next build reads only the staging files that changed, and files that became
/// the newest of a partition. A cache that is missing, damaged or made under other schemas,
/// mappings or code is ignored: the build starts from every file.
/// </summary>
internal sealed class UnifyCache
{
    private const int Format = 5;

    private readonly string _path;
    private string _rowsId = string.Empty;

    /// <summary>How many distinct strings the cache read had: the next one written has about as many.</summary>
    private int _strings;

    public UnifyCache(string path, string key, int rules)
    {
        _path = path;
        Key = key;
        Summaries = Enumerable.Range(0, rules).Select(_ => new Dictionary<string, FileSummary>(StringComparer.Ordinal)).ToArray();
        Owners = Enumerable.Range(0, rules).Select(_ => new Dictionary<string, Owner>(StringComparer.Ordinal)).ToArray();
        Won = Enumerable.Range(0, rules).Select(_ => new Won()).ToArray();
    }

    /// <summary>What the cached results depend on besides the staging files (schemas, mappings, code).</summary>
    public string Key { get; }

    /// <summary>
    /// The fingerprint of the build that wrote the cache (its key and every input file), or empty: a
    /// build whose recorded fingerprint is this one may take its unchanged files from <see cref="Files"/>.
    /// </summary>
    public string BuiltFor { get; set; } = string.Empty;

    public Dictionary<string, CachedFile> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Per rule, by staging file.</summary>
    public Dictionary<string, FileSummary>[] Summaries { get; }

    /// <summary>Per rule, by snapshot partition.</summary>
    public Dictionary<string, Owner>[] Owners { get; }

    /// <summary>Per rule, the winning partitions' rows and amounts, summed.</summary>
    public Won[] Won { get; }

    public MergeResult? Merge { get; set; }

    private string RowsPath => Path.ChangeExtension(_path, ".rows.bin");

    /// <summary>The cache at <paramref name="path"/> when it was made with <paramref name="key"/>; otherwise an empty one.</summary>
    public static UnifyCache Load(string path, string key, int rules)
    {
        var cache = new UnifyCache(path, key, rules);
        if (!File.Exists(path))
        {
            return cache;
        }

        try
        {
            var reader = Open(path);
            if (reader.Int() != Format || reader.String() != key || reader.Int() != rules)
            {
                return new UnifyCache(path, key, rules);
            }

            cache.Read(reader);
            cache._strings = reader.Strings;
            return cache;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException or FormatException)
        {
            // A damaged cache only costs a build from every file.
            return new UnifyCache(path, key, rules);
        }
    }

    /// <summary>Reads the rows of every partition whose newest file is as cached; false when they cannot be read.</summary>
    public bool LoadRows(TargetShape shape)
    {
        if (Owners.All(o => o.Values.All(owner => owner.Group is not null)))
        {
            return true;
        }

        if (!File.Exists(RowsPath))
        {
            return false;
        }

        try
        {
            var reader = Open(RowsPath);
            if (reader.Int() != Format || reader.String() != _rowsId)
            {
                return false;
            }

            foreach (var owners in Owners)
            {
                for (var n = reader.Int(); n > 0; n--)
                {
                    var partition = reader.String();
                    var file = reader.String();
                    var group = ReadGroup(reader, shape);
                    if (owners.GetValueOrDefault(partition) is { Group: null } owner && owner.File == file)
                    {
                        owner.Group = group;
                    }
                }
            }

            return Owners.All(o => o.Values.All(owner => owner.Group is not null));
        }
        catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    /// <summary>Writes the cache; the rows too when <paramref name="rows"/> (they changed), before what refers to them.</summary>
    public void Save(bool rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        if (rows)
        {
            _rowsId = Guid.NewGuid().ToString("N");
            Write(RowsPath, writer =>
            {
                writer.Write(Format);
                writer.Write(_rowsId);
                foreach (var owners in Owners)
                {
                    writer.Write(owners.Count);
                    foreach (var (partition, owner) in owners)
                    {
                        writer.Write(partition);
                        writer.Write(owner.File);
                        WriteGroup(writer, owner.Group!);
                    }
                }
            });
        }

        Write(_path, writer =>
        {
            writer.Expect(_strings);
            writer.Write(Format);
            writer.Write(Key);
            writer.Write(Summaries.Length);
            writer.Write(_rowsId);
            writer.Write(BuiltFor);
            Write(writer);
        });
    }

    /// <summary>Reads from memory: the reader takes most values a byte or two at a time.</summary>
    private static CacheReader Open(string path) => new(File.ReadAllBytes(path));

    private static void Write(string path, Action<CacheWriter> write) =>
        AtomicFile.Replace(path, stream =>
        {
            using var writer = new CacheWriter(stream);
            write(writer);
        });

    private void Read(CacheReader reader)
    {
        _rowsId = reader.String();
        BuiltFor = reader.String();
        // Every map is sized to its count before it is filled: grown entry by entry, the maps of a
        // cache of thousands of files made most of what reading it allocated.
        for (var n = Sized(reader.Int(), Files); n > 0; n--)
        {
            var path = reader.String();
            var sha = reader.String();
            var snapshot = reader.String();
            var rawPath = reader.String();
            var hash = reader.String();
            var totals = new RawTotal[reader.Int()];
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] = new RawTotal(reader.String(), reader.String(), reader.String(), reader.String(), reader.Decimal(), reader.Decimal());
            }

            Files[path] = new CachedFile(sha, snapshot, rawPath, hash, totals);
        }

        for (var r = 0; r < Summaries.Length; r++)
        {
            for (var n = Sized(reader.Int(), Summaries[r]); n > 0; n--)
            {
                var path = reader.String();
                var summary = new FileSummary { Rows = reader.Int() };
                ReadLines(reader, summary.Staged);
                summary.Partitions = reader.AllStrings();

                Summaries[r][path] = summary;
            }

            for (var n = Sized(reader.Int(), Owners[r]); n > 0; n--)
            {
                var partition = reader.String();
                Owners[r][partition] = new Owner(reader.String());
            }

            Won[r].Rows = reader.Long();
            ReadLines(reader, Won[r].Staged);
            ReadLines(reader, Won[r].Rejected);
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
            writer.Write(file.SnapshotAt);
            writer.Write(file.RawPath);
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
                writer.WriteList(summary.Partitions);
            }

            writer.Write(Owners[r].Count);
            foreach (var (partition, owner) in Owners[r])
            {
                writer.Write(partition);
                writer.Write(owner.File);
            }

            writer.Write(Won[r].Rows);
            WriteLines(writer, Won[r].Staged);
            WriteLines(writer, Won[r].Rejected);
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

    private static PartitionGroup ReadGroup(CacheReader reader, TargetShape shape)
    {
        var group = new PartitionGroup { Rows = reader.Int(), Accepted = reader.Int() };
        ReadLines(reader, group.Staged);
        ReadLines(reader, group.Rejected);
        for (var n = reader.Int(); n > 0; n--)
        {
            var row = reader.Int();
            var texts = reader.MaybeStrings();
            var sums = reader.MaybeDecimals();
            group.Entries.Add(new GroupEntry(shape.KeyOf(texts), row, texts, sums));
        }

        for (var n = reader.Int(); n > 0; n--)
        {
            group.Rejects.Add((reader.Int(), new RowReject(string.Empty, reader.String(), reader.String(), reader.MaybeString(), reader.String())));
        }

        for (var n = reader.Int(); n > 0; n--)
        {
            var values = reader.AllStrings();
            var sums = reader.Decimals();
            group.Totals[ControlSum.Id(values)] = new ControlSum(values, sums);
        }

        return group;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteGroup(CacheWriter writer, PartitionGroup group)
    {
        writer.Write(group.Rows);
        writer.Write(group.Accepted);
        WriteLines(writer, group.Staged);
        WriteLines(writer, group.Rejected);
        writer.Write(group.Entries.Count);
        foreach (var entry in group.Entries)
        {
            writer.Write(entry.FirstRow);
            writer.WriteList(entry.Texts);
            writer.WriteList(entry.Sums);
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
        foreach (var total in group.Totals.Values)
        {
            writer.WriteList(total.Group);
            writer.WriteList(total.Sums);
        }
    }

    private static void ReadLines(CacheReader reader, LineAmounts into)
    {
        for (var n = Sized(reader.Int(), into.Amounts); n > 0; n--)
        {
            into.Amounts[(reader.String(), reader.String())] = reader.Decimal();
        }
    }

    /// <summary>Makes room in <paramref name="map"/> for <paramref name="count"/> more entries; returns the count.</summary>
    private static int Sized<TKey, TValue>(int count, Dictionary<TKey, TValue> map)
        where TKey : notnull
    {
        map.EnsureCapacity(map.Count + count);
        return count;
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
