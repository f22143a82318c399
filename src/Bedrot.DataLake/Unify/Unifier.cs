using System.Collections.Concurrent;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Serilog;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// Builds one cross-platform dataset from staging files. Dedup rules, stated once and applied in
/// this order: (1) within each source, the newest snapshot wins per snapshot partition (its other
/// rows are removed and counted); (2) rows of the winning snapshots with the same primary key are
/// combined by each field's <c>aggregate</c>; (3) when the schema states a source precedence and
/// two sources report the same key apart from <c>source</c>, only the most trusted source's row is
/// kept, and each row set aside is listed in a precedence file beside the dataset. Control totals
/// (streams, revenue per source, platform and month) are computed from the winning staging rows,
/// from what precedence set aside, and from the output, and must reconcile.
/// </summary>
/// <remarks>
/// A build starts from the last one (<see cref="UnifyCache"/>): only new or changed staging files are
/// read, and then only the files that became the newest of a partition are read again for that
/// partition's rows. When every partition keeps its newest file, the dataset, control totals and
/// precedence files are left as they are and only the lineage totals are rewritten. The result is
/// the same, byte for byte, as a build from every file. Files are read up to <c>parallelism</c> at once.
/// </remarks>
/// <param name="hashes">
/// The run's stat cache, which knows the hash of each output as written: whether the last merge is
/// still on disk is one status call per file.
/// </param>
/// <param name="writes">
/// Where the cache is saved on another thread while the run goes on (a dataset's next build waits for it).
/// </param>
public sealed class Unifier(
    LakePaths paths, ReferenceTables references, ILogger log, HashCache hashes, BackgroundWrites writes, int parallelism = 1)
{
    /// <summary>Bump when what the cache holds, or how it is read, changes.</summary>
    private const string CacheVersion = "unify-cache/1";

    /// <param name="target">The unified dataset's schema.</param>
    /// <param name="inputs">Each unify rule of the target, in order, with the staging files of its dataset.</param>
    /// <param name="context">What the build depends on besides the staging files (schemas, mappings, code); a cache made under another is not used.</param>
    /// <param name="fromScratch">Build from every file, ignoring the last build (<c>--force</c>).</param>
    /// <param name="fingerprint">The build's fingerprint, recorded in the cache for a later build from what changed (see <see cref="BuildSince"/>).</param>
    public ItemResult Build(
        TableSchema target, IReadOnlyList<(UnifySource Source, IReadOnlyList<StagedFile> Files)> inputs, string context = "", bool fromScratch = false,
        string fingerprint = "") =>
        BuildFrom(target, [.. inputs.Select(i => i.Source)], _ => inputs, () => inputs, context, fromScratch, fingerprint);

    /// <summary>
    /// Builds the dataset as <see cref="Build"/> does, from the staging files of the build that recorded the fingerprint <paramref name="since"/>
    /// with the <paramref name="changes"/> made to them since: the unchanged files are taken from that
    /// build's cache, not from the staging state. When the cache is not that build's (missing, damaged,
    /// made under another context, or left by another build), the files are <paramref name="all"/>.
    /// </summary>
    /// <param name="sources">Each unify rule of the target, in order.</param>
    /// <param name="since">The fingerprint recorded for the dataset's last build.</param>
    /// <param name="changes">The staging files gone or changed since (by lake path), and those new or changed, by the dataset they belong to.</param>
    /// <param name="all">Every staging file of each rule, made only when needed.</param>
    public ItemResult BuildSince(
        TableSchema target, IReadOnlyList<UnifySource> sources, string since, StagedChanges changes,
        Func<IReadOnlyList<(UnifySource Source, IReadOnlyList<StagedFile> Files)>> all, string context, string fingerprint) =>
        BuildFrom(target, sources, cache =>
        {
            if (cache.BuiltFor.Length > 0 && cache.BuiltFor == since && Since(cache, sources, changes) is { } inputs)
            {
                return inputs;
            }

            log.Information("{Target}: its cache is not its last build's; its staging files are taken from the staging state", target.Name);
            return null;
        }, all, context, false, fingerprint);

    /// <summary>
    /// Each rule's staging files as the cache lists them, less those gone or changed, with the new and
    /// changed ones of its dataset; null when the cache does not list them all.
    /// </summary>
    private List<(UnifySource Source, IReadOnlyList<StagedFile> Files)>? Since(UnifyCache cache, IReadOnlyList<UnifySource> sources, StagedChanges changes)
    {
        var inputs = new List<(UnifySource Source, IReadOnlyList<StagedFile> Files)>();
        var replaced = changes.Added.SelectMany(files => files).Select(file => paths.Relative(file.Path)).ToHashSet(StringComparer.Ordinal);
        for (var rule = 0; rule < sources.Count; rule++)
        {
            var files = new List<StagedFile>();
            foreach (var relative in cache.Summaries[rule].Keys.Where(f => !changes.Gone.Contains(f) && !replaced.Contains(f)))
            {
                if (!cache.Files.TryGetValue(relative, out var known))
                {
                    return null;
                }

                files.Add(new StagedFile(paths.Full(relative), known.Sha256, known.SnapshotAt, known.RawPath) { RawTotalsHash = known.RawTotalsHash });
            }

            files.AddRange(changes.Added[(sources[rule].Dataset.Platform, sources[rule].Dataset.Name)]);
            inputs.Add((sources[rule], files));
        }

        return inputs;
    }

    /// <param name="fromCache">The staging files of each rule taken from the loaded cache, or null when it cannot give them.</param>
    private ItemResult BuildFrom(
        TableSchema target, IReadOnlyList<UnifySource> sources,
        Func<UnifyCache, IReadOnlyList<(UnifySource Source, IReadOnlyList<StagedFile> Files)>?> fromCache,
        Func<IReadOnlyList<(UnifySource Source, IReadOnlyList<StagedFile> Files)>> all, string context, bool fromScratch, string fingerprint)
    {
        var shape = new TargetShape(target);
        var identity = new DatasetMapping("cross_platform", target.Name, [], target,
            target.Fields.Where(f => f.Derived is null).ToDictionary(f => f.Name, f => f.Name, StringComparer.Ordinal),
            new Dictionary<string, string>(), string.Empty);
        var converter = new RowConverter(identity, references, new Dictionary<string, string>());
        var specs = LineageSpec.Of(sources, _ => target);
        var rules = sources.Select((source, i) => new UnifyRule(i, source, specs.FirstOrDefault(s => ReferenceEquals(s.Rule, source)).Spec, target))
            .ToList();
        var cachePath = CachePath(target.Name);
        var cacheKey = CacheKey(target.Name, context);
        writes.Wait(cachePath);
        var cache = fromScratch ? new UnifyCache(cachePath, cacheKey, rules.Count) : LoadCache(cachePath, cacheKey, rules.Count);
        var inputs = (fromScratch ? null : fromCache(cache)) ?? all();

        var files = inputs.SelectMany(i => i.Files).DistinctBy(f => f.Path).ToDictionary(f => paths.Relative(f.Path), StringComparer.Ordinal);
        // Oldest first, so later files win: by snapshot time, then (for files of one name, which share
        // it) by version number: name.v10.json is newer than name.v9.json.
        var ranks = inputs.Select(input => input.Files
                .OrderBy(f => f.SnapshotAt, StringComparer.Ordinal)
                .ThenBy(f => RawVersion.Of(f.RawPath).Unversioned, StringComparer.Ordinal)
                .ThenBy(f => RawVersion.Of(f.RawPath).Number)
                .ThenBy(f => f.Path, StringComparer.Ordinal)
                .Select((f, rank) => (Relative: paths.Relative(f.Path), rank))
                .ToDictionary(f => f.Relative, f => f.rank, StringComparer.Ordinal))
            .ToList();
        var changed = files.Where(f => cache.Files.GetValueOrDefault(f.Key)?.Sha256 != f.Value.Sha256).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var gone = cache.Files.Keys.Where(f => !files.ContainsKey(f) || changed.Contains(f)).ToList();
        var rawTotals = RawTotalsOf(target, files, cache);

        // Rule 1: the newest file of each snapshot partition, decided again only where files came or went.
        var affected = ReadChanged(rules, ranks, cache, changed, gone);
        var (wanted, ownersChanged) = Decide(rules, ranks, cache, affected, changed);
        ReadWinners(rules, cache, wanted, shape, converter);

        var stamp = files.Values.Select(f => f.SnapshotAt).DefaultIfEmpty("1970-01-01").Max(StringComparer.Ordinal)![..10].Replace("-", "");
        var merge = cache.Merge;
        var mismatches = (Count: 0, TotalsPath: string.Empty);
        if (ownersChanged || merge is null || merge.Stamp != stamp || !Intact(merge.Outputs))
        {
            if (!cache.LoadRows(shape) && !fromScratch)
            {
                log.Warning("{Target}: the rows of the last build could not be read; building from every staging file", target.Name);
                return BuildFrom(target, sources, _ => null, all, context, fromScratch: true, fingerprint);
            }

            var owned = rules.SelectMany(rule => cache.Owners[rule.Index].Values
                    .Select(o => new OwnedGroup(rule.Index, ranks[rule.Index][o.File], files[o.File].Path, o.Group!)))
                .ToList();
            foreach (var rule in rules)
            {
                cache.Won[rule.Index] = Won.Of(cache.Owners[rule.Index].Values.Select(o => o.Group!));
            }

            var merger = new UnifiedMerge(paths, shape, converter, specs.GroupBy(s => s.Spec.Source, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Spec.Discriminators.Select(d => d.Column).ToList(), StringComparer.Ordinal));
            merge = merger.Write(owned, stamp);
            mismatches = merger.Mismatches;
        }
        else
        {
            log.Debug("{Target}: every snapshot partition kept its newest file; the unified rows are as last written", target.Name);
        }

        var lineage = Lineage(rules, cache, rawTotals, merge);
        var lineagePath = Path.Combine(paths.CrossPlatform, $"{target.Name}_lineage_totals_{stamp}.csv");
        var outputs = new Dictionary<string, string>(merge.Outputs, StringComparer.Ordinal)
        {
            [paths.Relative(lineagePath)] = StagingFiles.WriteRecords(lineagePath, LineageRow.Header,
                lineage.Where(l => !l.Value.IsEmpty).Select(l => l.Value.Record(l.Key.Source, l.Key.Month, l.Key.Measure))),
        };
        Reconcile(target, mismatches, lineage, lineagePath);
        cache.Files.Clear();
        foreach (var (file, totals) in rawTotals)
        {
            cache.Files[file] = totals;
        }

        cache.Merge = merge;
        cache.BuiltFor = fingerprint;
        // Nothing reads or changes this cache after the build returns; the next build of the dataset waits for it.
        writes.Start(cachePath, () => cache.Save(rows: ownersChanged));

        var read = changed.Union(wanted.Keys).Count();
        var rowsIn = rules.Sum(rule => cache.Summaries[rule.Index].Values.Sum(s => (long)s.Rows));
        var won = cache.Won.Sum(w => w.Rows);
        log.Information("Unified {Rows} rows into {Output}: {Removed} removed by latest-snapshot-wins, {Merged} combined by key, {Superseded} set aside by source precedence, {Rejected} rejected; {Read} of {Files} staging file(s) read",
            merge.Counts["rows_out"], merge.Output, rowsIn - won, merge.Counts["combined.same_key"], merge.Counts["removed.source_precedence"],
            merge.Counts["rows_rejected"], read, files.Count);
        return new ItemResult
        {
            Outputs = outputs,
            Counts = new Dictionary<string, long>(merge.Counts, StringComparer.Ordinal)
            {
                ["rows_in"] = rowsIn,
                ["removed.latest_snapshot_wins"] = rowsIn - won,
                ["lineage_lines"] = lineage.Count(l => !l.Value.IsEmpty),
            },
            Facts = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["output"] = merge.Output,
                ["lineage"] = paths.Relative(lineagePath),
                ["precedence"] = target.SourcePrecedence.Count > 0 ? paths.Relative(Path.Combine(paths.CrossPlatform, $"{target.Name}_precedence_{stamp}.csv")) : string.Empty,
            },
        };
    }

    /// <summary>
    /// Starts reading the cache of <paramref name="target"/>'s last build on another thread, for a build
    /// expected soon (its staging files changed): the build takes it if it was read with the build's
    /// key and rule count from the file as it still is, and otherwise reads the file itself.
    /// </summary>
    /// <param name="target">The unified dataset's name.</param>
    /// <param name="context">What its build depends on besides the staging files (as <see cref="Build"/> is given it).</param>
    /// <param name="rules">How many unify rules the dataset has.</param>
    public void Prefetch(string target, string context, int rules)
    {
        var path = CachePath(target);
        if (!File.Exists(path) || _prefetched.ContainsKey(path))
        {
            return;
        }

        var key = CacheKey(target, context);
        var stamp = FileStamp.Of(path);
        _prefetched[path] = (key, rules, stamp, Task.Run(() => UnifyCache.Load(path, key, rules)));
    }

    /// <summary>Caches being read ahead, by path: the key and rule count each is read with, and its file's size and time before the read.</summary>
    private readonly ConcurrentDictionary<string, (string Key, int Rules, string Stamp, Task<UnifyCache> Load)> _prefetched = new(StringComparer.Ordinal);

    /// <summary>The cache at <paramref name="path"/>: the one read ahead when it matches and the file did not change since, else read now.</summary>
    private UnifyCache LoadCache(string path, string key, int rules)
    {
        if (_prefetched.TryRemove(path, out var ahead) && ahead.Key == key && ahead.Rules == rules)
        {
            var cache = ahead.Load.GetAwaiter().GetResult();
            if (ahead.Stamp == FileStamp.Of(path))
            {
                return cache;
            }
        }

        return UnifyCache.Load(path, key, rules);
    }

    private string CachePath(string target) => Path.Combine(paths.Cache, "unify", target + ".bin");

    private static string CacheKey(string target, string context) => Hashing.Of($"{CacheVersion}\u001f{target}\u001f{context}");

    /// <summary>
    /// Forgets what gone or changed files gave each rule and reads what new or changed files give
    /// it; returns, per rule, the partitions those files have (whose newest file may have changed).
    /// </summary>
    private List<HashSet<string>> ReadChanged(
        IReadOnlyList<UnifyRule> rules, IReadOnlyList<Dictionary<string, int>> ranks, UnifyCache cache,
        IReadOnlySet<string> changed, IReadOnlyList<string> gone)
    {
        var affected = rules.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToList();
        foreach (var rule in rules)
        {
            foreach (var file in gone.Where(cache.Summaries[rule.Index].ContainsKey))
            {
                affected[rule.Index].UnionWith(cache.Summaries[rule.Index][file].Partitions);
                cache.Summaries[rule.Index].Remove(file);
            }
        }

        foreach (var (file, readers, results) in ForEachFile(changed, (file, rule) => ranks[rule.Index].ContainsKey(file), rules, StagedExtract.Summarize))
        {
            for (var i = 0; i < readers.Count; i++)
            {
                cache.Summaries[readers[i].Index][file] = results[i];
                affected[readers[i].Index].UnionWith(results[i].Partitions);
            }
        }

        return affected;
    }

    /// <summary>Reads the rows of the partitions files newly win, and records those files as their owners.</summary>
    private void ReadWinners(
        IReadOnlyList<UnifyRule> rules, UnifyCache cache, Dictionary<string, Dictionary<int, HashSet<string>>> wanted,
        TargetShape shape, RowConverter converter)
    {
        var groups = ForEachFile(wanted.Keys, (file, rule) => wanted[file].ContainsKey(rule.Index), rules, (path, readers) =>
            StagedExtract.Group(path, readers.Select(r => (r, (IReadOnlySet<string>)wanted[paths.Relative(path)][r.Index])).ToList(), shape, converter));
        foreach (var (file, readers, results) in groups)
        {
            for (var i = 0; i < readers.Count; i++)
            {
                foreach (var partition in wanted[file][readers[i].Index])
                {
                    cache.Owners[readers[i].Index][partition] = new Owner(file, results[i].GetValueOrDefault(partition) ?? new PartitionGroup());
                }
            }
        }
    }

    /// <summary>A defect, not bad data: the control totals or the lineage from raw to unified do not hold.</summary>
    private void Reconcile(TableSchema target, (int Count, string TotalsPath) mismatches,
        SortedDictionary<(string Source, string Month, string Measure), LineageRow> lineage, string lineagePath)
    {
        if (mismatches.Count > 0)
        {
            throw new InvalidDataException(
                $"{target.Name}: control totals do not reconcile for {mismatches.Count} {string.Join("/", target.ControlTotalsBy)} group(s); see {paths.Relative(mismatches.TotalsPath)}.");
        }

        var broken = lineage.Where(l => l.Value.Status != "ok").ToList();
        if (broken.Count > 0)
        {
            var (first, line) = broken[0];
            throw new InvalidDataException(
                $"{target.Name}: control totals from raw to unified do not reconcile for {broken.Count} source/month/measure line(s), " +
                $"first {first.Source} {first.Month} {first.Measure}: {line.Status}; see {paths.Relative(lineagePath)}.");
        }
    }

    /// <summary>
    /// For each partition whose files changed, its newest file now; returns the files to read for
    /// the partitions they newly win (by file, rule and partition), and whether any partition's
    /// newest file changed. The cache's owners are updated, except for the rows still to be read.
    /// </summary>
    private static (Dictionary<string, Dictionary<int, HashSet<string>>> Wanted, bool Changed) Decide(
        IReadOnlyList<UnifyRule> rules, IReadOnlyList<Dictionary<string, int>> ranks, UnifyCache cache,
        IReadOnlyList<HashSet<string>> affected, IReadOnlySet<string> changedFiles)
    {
        var wanted = new Dictionary<string, Dictionary<int, HashSet<string>>>(StringComparer.Ordinal);
        var changed = false;
        foreach (var rule in rules.Where(r => affected[r.Index].Count > 0))
        {
            var newest = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (file, summary) in cache.Summaries[rule.Index].OrderBy(s => ranks[rule.Index][s.Key]))
            {
                foreach (var partition in summary.Partitions)
                {
                    if (affected[rule.Index].Contains(partition))
                    {
                        newest[partition] = file; // later (newer) files overwrite: the newest snapshot wins
                    }
                }
            }

            var owners = cache.Owners[rule.Index];
            foreach (var partition in affected[rule.Index])
            {
                var had = owners.GetValueOrDefault(partition);
                if (!newest.TryGetValue(partition, out var file))
                {
                    changed |= owners.Remove(partition);
                }
                else if (had?.File != file || changedFiles.Contains(file))
                {
                    changed = true;
                    owners.Remove(partition);
                    var byRule = wanted.TryGetValue(file, out var known) ? known : wanted[file] = [];
                    (byRule.TryGetValue(rule.Index, out var partitions) ? partitions : byRule[rule.Index] = new HashSet<string>(StringComparer.Ordinal))
                        .Add(partition);
                }
            }
        }

        return (wanted, changed);
    }

    /// <summary>
    /// Runs <paramref name="read"/> once per file, with the rules it <paramref name="reads"/> for, up to <c>parallelism</c>
    /// files at a time; the results come back in a fixed order (by file path), whatever the timing.
    /// </summary>
    private List<(string File, IReadOnlyList<UnifyRule> Rules, T[] Results)> ForEachFile<T>(
        IEnumerable<string> files, Func<string, UnifyRule, bool> reads, IReadOnlyList<UnifyRule> rules,
        Func<string, IReadOnlyList<UnifyRule>, T[]> read)
    {
        var work = files.Order(StringComparer.Ordinal)
            .Select(file => (File: file, Rules: (IReadOnlyList<UnifyRule>)rules.Where(r => reads(file, r)).ToList()))
            .Where(w => w.Rules.Count > 0)
            .ToList();
        var results = new T[work.Count][];
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) },
            i => results[i] = read(paths.Full(work[i].File), work[i].Rules));
        return work.Select((w, i) => (w.File, w.Rules, results[i])).ToList();
    }

    /// <summary>Each staging file as the cache will know it: its raw-side control totals for this target parsed only when their text changed since the cache.</summary>
    private static Dictionary<string, CachedFile> RawTotalsOf(TableSchema target, IReadOnlyDictionary<string, StagedFile> files, UnifyCache cache)
    {
        var totals = new Dictionary<string, CachedFile>(StringComparer.Ordinal);
        foreach (var (relative, file) in files)
        {
            var hash = file.RawTotalsHash;
            totals[relative] = cache.Files.GetValueOrDefault(relative) is { } known && known.Sha256 == file.Sha256 && known.RawTotalsHash == hash
                ? known.SnapshotAt == file.SnapshotAt && known.RawPath == file.RawPath ? known : known with { SnapshotAt = file.SnapshotAt, RawPath = file.RawPath }
                : new CachedFile(file.Sha256, file.SnapshotAt, file.RawPath, hash, RawTotal.Parse(file.RawTotals).Where(t => t.Target == target.Name).ToList());
        }

        return totals;
    }

    /// <summary>
    /// The lines followed from raw to unified: raw and rejected in staging from the raw files;
    /// staged from every file's rows; removed, staged less what the winning partitions hold; rejected
    /// in unify from the winning partitions; set aside and unified from the output.
    /// </summary>
    private static SortedDictionary<(string Source, string Month, string Measure), LineageRow> Lineage(
        IReadOnlyList<UnifyRule> rules, UnifyCache cache, IReadOnlyDictionary<string, CachedFile> rawTotals, MergeResult merge)
    {
        // Summed by hash first, sorted once at the end.
        var lines = new Dictionary<(string Source, string Month, string Measure), LineageRow>();
        LineageRow Line(string source, string month, string measure)
        {
            if (!lines.TryGetValue((source, month, measure), out var line))
            {
                line = new LineageRow();
                lines[(source, month, measure)] = line;
            }

            return line;
        }

        foreach (var total in rawTotals.Values.SelectMany(f => f.RawTotals))
        {
            var line = Line(total.Source, total.Month, total.Measure);
            line.Raw += total.Read;
            line.RejectedInStaging += total.Rejected;
        }

        foreach (var rule in rules.Where(r => r.Spec is not null))
        {
            var source = rule.Spec!.Source;
            foreach (var ((month, measure), amount) in cache.Summaries[rule.Index].Values.SelectMany(s => s.Staged.Amounts))
            {
                var line = Line(source, month, measure);
                line.Staged += amount;
                line.RemovedBySnapshot += amount;
            }

            foreach (var ((month, measure), amount) in cache.Won[rule.Index].Staged.Amounts)
            {
                Line(source, month, measure).RemovedBySnapshot -= amount;
            }

            foreach (var ((month, measure), amount) in cache.Won[rule.Index].Rejected.Amounts)
            {
                Line(source, month, measure).RejectedInUnify += amount;
            }
        }

        foreach (var unified in merge.Lines)
        {
            var line = Line(unified.Source, unified.Month, unified.Measure);
            line.SetAside += unified.SetAside;
            line.Unified += unified.Unified;
        }

        return new SortedDictionary<(string Source, string Month, string Measure), LineageRow>(lines, LineOrder);
    }

    /// <summary>Lineage lines by source, month and measure, compared as ordinal text: the same order in every culture.</summary>
    private static readonly IComparer<(string Source, string Month, string Measure)> LineOrder =
        Comparer<(string Source, string Month, string Measure)>.Create(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Source, b.Source);
            order = order != 0 ? order : string.CompareOrdinal(a.Month, b.Month);
            return order != 0 ? order : string.CompareOrdinal(a.Measure, b.Measure);
        });

    /// <summary>Whether each output is where it was written, with the content it was written with.</summary>
    private bool Intact(IReadOnlyDictionary<string, string> outputs) =>
        outputs.All(o => hashes.HashIfExists(paths.Full(o.Key)) == o.Value);
}
