using System.Globalization;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Quality;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Unify;
using Serilog;

namespace Bedrot.DataLake.Pipeline;

/// <summary>
/// The steps of the build, one method each, called by the Cake tasks: validate-raw, stage-platform,
/// unify, quality-report, verify-raw and clean. Opening it takes the lake's lock; disposing it
/// saves the hash cache and releases the lock.
/// </summary>
public sealed partial class BedrotPipeline : IDisposable
{
    public const string ValidateRawStep = "validate-raw";
    public const string StagePlatformStep = "stage-platform";
    public const string UnifyStep = "unify";
    public const string QualityReportStep = "quality-report";

    // Bump a step's version when its own logic changes what it writes.
    private const string ValidateRawVersion = "validate-raw/1";
    private const string StagePlatformVersion = "stage-platform/2";
    private const string UnifyVersion = "unify/2";
    private const string QualityReportVersion = "quality-report/2";

    /// <summary>How many runs' reports (<c>.bedrot/runs/</c>) and logs (<c>.bedrot/logs/</c>) a lake keeps.</summary>
    public const int KeptRuns = 100;

    /// <summary>The fingerprint's input part of a landing file until its first read fills the hash in.</summary>
    private const string NotReadYet = "not read yet";

    private readonly LakeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IDisposable? _ownedLogger;
    private readonly RunLock _lock;
    private readonly HashCache _hashes;
    private readonly SchemaCatalog _schemas;
    private readonly IReadOnlyList<PlatformMapping> _mappings;
    private readonly ReferenceTables _references;
    private readonly IReadOnlyList<RawFileKind> _kinds;
    private readonly StepExecutor _executor;
    private readonly DateTimeOffset _started;
    private readonly List<StepReport> _reports = [];
    private IReadOnlyList<string> _ignored = [];
    private int _landingFilesRead;
    private int _promotionHashes;

    /// <summary>Whether <see cref="Complete"/> found every step succeeded (so the lake may be marked as finished cleanly).</summary>
    private bool _finishedCleanly;

    /// <summary>The ledger validate-raw read and appended to, with the file's size and time when it was done.</summary>
    private (Ledger Ledger, string Stamp)? _ledger;

    /// <summary>Writes the quality outputs; made once, so staging scores it made ahead during unify are there for the report.</summary>
    private QualityReporter Reporter => field ??= new QualityReporter(Paths, _options.Thresholds, QualityContextOf(_options.Thresholds));

    /// <summary>Builds the unified datasets; made once, so a cache it read ahead during staging is there for unify.</summary>
    private Unifier Unifier => field ??= new Unifier(Paths, _references, _log, _hashes, _executor.Writes, _options.Parallelism);
    private Func<string, string?> _environment = Environment.GetEnvironmentVariable;

    /// <summary>Where the run reads CI variables (<c>GITHUB_ACTIONS</c>, <c>GITHUB_STEP_SUMMARY</c>); the process environment by default.</summary>
    public Func<string, string?> EnvironmentVariables
    {
        get => _environment;
        set => _environment = value;
    }

    private BedrotPipeline(LakeOptions options, TimeProvider time, ILogger? logger, IReadOnlyList<RawFileKind> kinds)
    {
        if ("\u00e9".Normalize(System.Text.NormalizationForm.FormD).Length == 1)
        {
            throw new LakeConfigurationException(
                "Unicode normalisation is unavailable (globalization invariant mode); unset DOTNET_SYSTEM_GLOBALIZATION_INVARIANT and install ICU (libicu).");
        }

        var unknown = options.Platforms.Where(p => kinds.All(k => k.Platform != p)).ToList();
        if (unknown.Count > 0)
        {
            throw new LakeConfigurationException(
                $"--platform: unknown platform(s) {string.Join(", ", unknown)}; known: {string.Join(", ", kinds.Select(k => k.Platform).Distinct())}.");
        }

        _options = options;
        _time = time;
        _started = time.GetUtcNow();
        Paths = new LakePaths(options.Lake);
        try
        {
            Directory.CreateDirectory(Paths.Logs);
            var probe = Path.Combine(Paths.Control, ".write-probe-" + Environment.ProcessId);
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new LakeConfigurationException(
                $"--lake: cannot write to '{options.Lake}' ({error.Message}); pass a folder this user can create and write.");
        }

        if (logger is null)
        {
            var owned = Logging.Create(Paths.Logs, Stamp(_started), verbose: false);
            _ownedLogger = owned;
            logger = owned;
        }

        _log = logger;
        _schemas = SchemaCatalog.Load(options.Schemas);
        _mappings = _schemas.DocumentsUnder("mappings").Select(m => PlatformMapping.Load(_schemas, m)).ToList();
        CheckPrecedence(_schemas, _mappings);
        _references = new ReferenceTables(_schemas);
        _lock = RunLock.Acquire(Paths, _started);
        if (_lock.TakenOverFrom is { } holder)
        {
            _log.Warning("The previous run stopped without releasing the lake ({Holder}); its lock was taken over, and unfinished work is redone", holder);
        }

        // Only a run that was killed or failed can have left writes half done; finding them means
        // walking the whole lake, which on a lake of thousands of files is a noticeable part of a rerun.
        if (!File.Exists(Paths.FinishedCleanly) || _lock.TakenOverFrom is not null)
        {
            RemoveTemporaries();
        }

        File.Delete(Paths.FinishedCleanly);
        _kinds = kinds;
        _hashes = HashCache.Load(Paths.HashCache);
        _executor = new StepExecutor(Paths, _hashes, _log, options.Force, options.Explain);
    }

    public LakePaths Paths { get; }

    public IReadOnlyList<StepReport> Reports => _reports;

    /// <summary>
    /// Reads of landing files by validate-raw in this run: one per new file, none per unchanged one; a
    /// file changed since it was hashed is read to hash it, and once more when its bytes are new.
    /// </summary>
    public int LandingFilesRead => _landingFilesRead;

    /// <summary>The file, in the lake's cache, in which the runtime records the methods a run compiled.</summary>
    public const string CompileProfile = "pipeline.jitprofile";

    /// <summary>
    /// Has the runtime record, in the lake's cache, which methods this process compiles as it runs, and
    /// compile those the last run recorded on a spare core ahead of their first call (the runtime's
    /// multicore JIT). Code compiled ahead of time covers the library, not the framework's generic
    /// types over its own (a dictionary keyed by a tuple, say): a fresh process compiles some two
    /// thousand of those on the way. Call once, from the program that hosts the pipeline, before it
    /// opens: the profile belongs to the process. A profile of other code is passed over, a missing one
    /// is written at exit, and without a spare core the call does nothing.
    /// </summary>
    public static void StartCompileProfile(LakeOptions options)
    {
        System.Runtime.ProfileOptimization.SetProfileRoot(new LakePaths(options.Lake).Cache);
        System.Runtime.ProfileOptimization.StartProfile(CompileProfile);
    }

    /// <summary>Opens the lake for a run; throws <see cref="LakeConfigurationException"/> before any work when a setting is wrong.</summary>
    public static BedrotPipeline Open(LakeOptions options, TimeProvider? time = null, ILogger? logger = null) =>
        new(options, time ?? TimeProvider.System, logger, PlatformCatalog.Kinds);

    /// <summary>Validates landing files into the raw zone or quarantine.</summary>
    /// <remarks>
    /// Planned from what changed: while the code, schemas and settings are those of its last plan, a
    /// landing file whose content (by the stat cache) is the one its summary records keeps its recorded
    /// item, and only new and changed files (and dump folders) are made items and planned. A recorded
    /// file that is gone, another context, or a choice of platforms plans every file.
    /// </remarks>
    public StepReport ValidateRaw()
    {
        var files = LandingFile.Scan(_options.Landing, out _ignored);
        foreach (var ignored in _ignored)
        {
            _log.Information("Ignored hidden landing file {File}", ignored);
        }

        var head = LedgerHead.Read(Paths.LedgerHead);
        var ledger = Ledger.Load(Paths.Ledger, head);
        ReportLedgerProblems(ledger);
        var recognizer = new Recognizer(_kinds);
        var promoter = new RawPromoter(Paths, _schemas, recognizer, ledger, _hashes, _time, _log, (long)_options.MaxFileMegabytes << 20);
        var unitKinds = new Dictionary<string, List<RawFileKind>>(StringComparer.Ordinal);
        var units = files
            .Select(f => (File: f, Unit: UnitOf(f, unitKinds)))
            .Where(u => u.Unit is not null)
            .GroupBy(u => u.Unit!.Value.Folder, StringComparer.Ordinal)
            .ToList();
        var inUnits = units.SelectMany(g => g.Select(u => u.File.Relative)).ToHashSet(StringComparer.Ordinal);
        units = units.Where(unit => _options.Includes(unit.First().Unit!.Value.Members[0].Platform)).ToList();
        var lone = files
            .Where(f => !inUnits.Contains(f.Relative))
            .Where(f => _options.Platforms.Count == 0 || _kinds.Any(k => k.MatchesName(f.Name) && _options.Includes(k.Platform)))
            .ToList();
        // Read only when the hash cache lacks a landing file (a new file, or a cache lost).
        var recorded = new Lazy<StepState>(() => _executor.State(ValidateRawStep));

        // Landing files are read, hashed and validated side by side, each in one pass; each promotion,
        // duplicate or quarantine is then decided one at a time, in order, and made durable per batch.
        WorkItem LoneItem(LandingFile file)
        {
            var input = "input:" + file.Relative;
            var fingerprint = new Fingerprint()
                .Add("step", ValidateRawVersion)
                .Add(input, InputHash(file, () => recorded.Value.Items.ContainsKey(file.Relative)))
                .AddAll(RulesFor(file.Name));
            // A file read for the first time gets its hash from that read, before the item is recorded.
            return new WorkItem(file.Relative, fingerprint, () => promoter.Process(file, sha => fingerprint.Add(input, sha)))
            {
                ReadFirst = () => promoter.Read(file, sha => fingerprint.Add(input, sha)),
            };
        }

        WorkItem UnitItem(IGrouping<string, (LandingFile File, (string Folder, IReadOnlyList<RawFileKind> Members)? Unit)> unit)
        {
            var members = unit.First().Unit!.Value.Members;
            var unitFiles = unit.Select(u => u.File).ToList();
            var fingerprint = new Fingerprint()
                .Add("step", ValidateRawVersion)
                .AddAll(unitFiles.Select(file => KeyValuePair.Create("input:" + file.Relative, InputHash(file, () => recorded.Value.Items.ContainsKey(unit.Key + "/")))))
                .AddAll(RulesOf(members));
            ItemResult Process() => promoter.ProcessUnit(unit.Key, unitFiles, members, (file, sha) => fingerprint.Add("input:" + file.Relative, sha));

            return new WorkItem(unit.Key + "/", fingerprint, () =>
            {
                var result = Process();
                promoter.Commit();
                return result;
            })
            {
                // A dump folder does all its work in the ordered part: it appends to the ledger throughout.
                ReadFirst = () => Process,
            };
        }

        List<WorkItem> ItemsOf(
            IReadOnlyList<LandingFile> files, IEnumerable<IGrouping<string, (LandingFile File, (string Folder, IReadOnlyList<RawFileKind> Members)? Unit)>> folders)
        {
            var items = files.AsParallel().AsOrdered().WithDegreeOfParallelism(_options.Parallelism).Select(LoneItem).ToList();
            items.AddRange(folders.Select(UnitItem));
            return [.. items.OrderBy(i => i.Key, StringComparer.Ordinal)];
        }

        // The items of the files and dump folders whose content is not the one the summary records;
        // null when a recorded file is gone (a full plan retracts its outputs) or platforms are chosen
        // (the summary does not tell whose a recorded file is).
        List<WorkItem>? Changed(StepSummary summary)
        {
            var current = lone.Select(f => f.Relative).Concat(units.Select(u => u.Key + "/")).ToHashSet(StringComparer.Ordinal);
            if (_options.Platforms.Count > 0 || summary.Inputs is null || summary.Keys.Any(key => !current.Contains(key)))
            {
                return null;
            }

            bool Unchanged(string key, IEnumerable<LandingFile> inputs) =>
                summary.InputOf(key) is { } recorded
                && recorded == ItemState.InputsDigest(inputs.Select(file => KeyValuePair.Create("input:" + file.Relative, InputHash(file, () => true))));
            var changed = lone.AsParallel().AsOrdered().WithDegreeOfParallelism(_options.Parallelism)
                .Where(file => !Unchanged(file.Relative, [file]))
                .ToList();
            var items = ItemsOf(changed, units.Where(unit => !Unchanged(unit.Key + "/", unit.Select(u => u.File))));
            if (items.Count > 0)
            {
                // A changed landing file is usually promoted, and then staging plans from its state: read it on the spare core meanwhile.
                _ = _executor.ReadAhead(StagePlatformStep);
            }

            return items;
        }

        var context = PlanKey(ValidateRawStep);
        var extension = new PlanExtension(() => context, (previous, summary) => previous == context ? Changed(summary) : null)
        {
            Commit = promoter.Commit,
            RecordsInputs = true,
        };
        var report = Record(_executor.SkipUnchanged(ValidateRawStep, plan: null, _options.Parallelism, extension)
                            ?? _executor.Run(ValidateRawStep, ItemsOf(lone, units), InScope, _options.Parallelism, promoter.Commit, prefix: context, recordsInputs: true));
        Interlocked.Add(ref _landingFilesRead, promoter.FilesRead);
        _promotionHashes += promoter.FilesHashed;
        if (ledger.Problems.Count == 0 && ledger.Head != head)
        {
            // What verify-raw later compares against (lines cut from the end leave no broken chain), and
            // what the next run trusts without checking each line again.
            ledger.Head.Write(Paths.LedgerHead);
        }

        if (ledger.Problems.Count == 0)
        {
            _ledger = (ledger, FileStamp.Of(Paths.Ledger));
        }

        return report;
    }

    /// <summary>
    /// The ledger as validate-raw left it, while the file is as it was then (by size and time): staging
    /// plans from its entries, which validate-raw has usually just read, so they are not read twice.
    /// </summary>
    private Ledger LedgerForStaging() =>
        _ledger is ({ } known, var stamp) && stamp == FileStamp.Of(Paths.Ledger)
            ? known
            : Ledger.Load(Paths.Ledger, LedgerHead.Read(Paths.LedgerHead));

    /// <summary>Cleans every promoted raw file into its staging dataset.</summary>
    /// <remarks>
    /// Its items are made from the ledger's entries, which only grow: a run whose ledger starts with
    /// the entries the last plan was made from (same code, schemas and settings) keeps the recorded
    /// items and makes and plans only those of the entries after them.
    /// </remarks>
    public StepReport StagePlatform()
    {
        var plan = PlanKey(StagePlatformStep, FileStamp.Of(Paths.Ledger));
        var context = PlanKey(StagePlatformStep);
        var ledger = LedgerForStaging();
        var extension = ledger.Problems.Count > 0 ? null : new PlanExtension(
            () => LedgerPrefix(context, ledger, ledger.Count),
            (recorded, _) => EntriesAfter(context, ledger, recorded) is { } after ? PrefetchFor(StagingItems(after)) : null);
        if (_executor.SkipUnchanged(StagePlatformStep, plan, _options.Parallelism, extension) is { } unchanged)
        {
            return Record(unchanged);
        }

        // Planned item by item from here: its state is read while the items are built.
        _ = _executor.ReadAhead(StagePlatformStep);
        var items = StagingItems(ledger.Entries);
        // Staging items are independent (each writes its own outputs): they run up to --parallelism at a time.
        return Record(_executor.Run(StagePlatformStep, items, InScope, _options.Parallelism, plan: plan, prefix: extension?.Prefix()));
    }

    /// <summary>Where a plan made from the first <paramref name="lines"/> entries of a ledger ends: its context, the line count and the last line's hash.</summary>
    private static string? LedgerPrefix(string context, Ledger ledger, int lines) =>
        lines == 0 ? $"{context}:0:{Ledger.Genesis}"
        : ledger.EntryAt(lines - 1)?.LineHash is { } hash ? $"{context}:{lines.ToString(CultureInfo.InvariantCulture)}:{hash}"
        : null;

    /// <summary>
    /// The entries after the <paramref name="recorded"/> prefix, when this ledger starts with the entries
    /// it marks (a verified ledger's last line hash stands for every line up to it) under the same
    /// <paramref name="context"/>; otherwise null.
    /// </summary>
    private static IEnumerable<LedgerEntry>? EntriesAfter(string context, Ledger ledger, string recorded)
    {
        var mark = recorded.Split(':');
        return mark.Length == 3 && mark[0] == context
            && int.TryParse(mark[1], NumberStyles.None, CultureInfo.InvariantCulture, out var lines) && lines <= ledger.Count
            && LedgerPrefix(context, ledger, lines) == recorded
                ? ledger.EntriesFrom(lines)
                : null;
    }

    /// <summary>The staging items of the promotions among <paramref name="entries"/>: one per raw file and dataset it feeds.</summary>
    private List<WorkItem> StagingItems(IEnumerable<LedgerEntry> entries)
    {
        var stager = new DatasetStager(Paths, _schemas, _references, _log);
        var rules = _mappings.SelectMany(m => m.Unify)
            .ToList();
        var lineage = LineageSpec.Of(rules, target => TableSchema.Load(_schemas, $"staging/{target}.json"));
        // What every item of a dataset shares, made once per dataset rather than once per raw file.
        var shared = new Dictionary<DatasetMapping, (List<LineageSpec> Feeds, KeyValuePair<string, string>[] Parts)>(ReferenceEqualityComparer.Instance);
        var items = new List<WorkItem>();
        foreach (var raw in entries.Where(e => e.Event == LedgerEntry.Promoted && _options.Includes(e.Platform)))
        {
            var kind = _kinds.FirstOrDefault(k => k.Platform == raw.Platform && k.Datatype == raw.Datatype);
            var datasets = _mappings.FirstOrDefault(m => m.Platform == raw.Platform)?.ForRawDatatype(raw.Datatype) ?? [];
            if (kind is null || datasets.Count == 0)
            {
                _log.Warning("No staging dataset for {Platform}/{Datatype}; {File} stays in raw only", raw.Platform, raw.Datatype, raw.RawPath);
                continue;
            }

            foreach (var dataset in datasets)
            {
                if (!shared.TryGetValue(dataset, out var of))
                {
                    var specs = lineage.Where(l => ReferenceEquals(l.Rule.Dataset, dataset)).Select(l => l.Spec).ToList();
                    of = shared[dataset] = (specs, [
                        .. SchemaParts(dataset),
                        // What the raw-side control totals follow (not the whole target schema: a new precedence order restages nothing).
                        KeyValuePair.Create("lineage", string.Join(';', specs.Select(f =>
                            $"{f.Target}/{f.Source}:{f.DateField}|{string.Join(',', f.Measures.Select(m => $"{m.Field}>{f.Label(m.Measure)}"))}|" +
                            string.Join(',', f.Where.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key}={w.Value}"))))),
                    ]);
                }

                var feeds = of.Feeds;
                // One item per raw file and dataset: a file holding several kinds of record feeds several datasets.
                items.Add(new WorkItem(
                    datasets.Count == 1 ? raw.RawPath : $"{raw.RawPath} -> {dataset.Name}",
                    new Fingerprint()
                        .Add("step", StagePlatformVersion)
                        .Add($"code:{kind.Platform}.{kind.Datatype}", kind.Version)
                        .Add("input:" + raw.RawPath, raw.Sha256)
                        .AddAll(of.Parts),
                    () => stager.Stage(raw, kind, dataset, feeds),
                    new Dictionary<string, string> { ["platform"] = raw.Platform, ["dataset"] = dataset.Name, ["raw_path"] = raw.RawPath }));
            }
        }

        return items;
    }

    /// <summary>
    /// Starts reading, on another thread, unify's cache of each dataset that <paramref name="added"/>
    /// staging items feed: those datasets are built next, and their cache (hundreds of thousands of
    /// values) is otherwise read on the main thread just before the build.
    /// </summary>
    private List<WorkItem> PrefetchFor(List<WorkItem> added)
    {
        var fed = added.Select(i => (Platform: i.Facts?.GetValueOrDefault("platform"), Dataset: i.Facts?.GetValueOrDefault("dataset"))).ToHashSet();
        foreach (var target in UnifyTargets().Where(t => t.Any(source => fed.Contains((source.Dataset.Platform, source.Dataset.Name)))))
        {
            Unifier.Prefetch(target.Key, UnifyRules(target).Value, target.Count());
        }

        return added;
    }

    /// <summary>The unify rules of every mapping, by the dataset they build, in name order.</summary>
    private IEnumerable<IGrouping<string, UnifySource>> UnifyTargets() =>
        _mappings.SelectMany(m => m.Unify).GroupBy(u => u.Target).OrderBy(g => g.Key, StringComparer.Ordinal);

    /// <summary>What a unified dataset's build depends on besides its staging files: the step, its schema and its sources' schemas.</summary>
    private Fingerprint UnifyRules(IGrouping<string, UnifySource> target) => new Fingerprint()
        .Add("step", UnifyVersion)
        .Add($"schema:staging/{target.Key}.json", _schemas.FingerprintOf($"staging/{target.Key}.json"))
        .AddAll(target.SelectMany(s => SchemaParts(s.Dataset)));

    /// <summary>Builds the cross-platform datasets from the staging datasets.</summary>
    /// <remarks>
    /// When stage-platform ran in this process from the staging state unify last planned from, unify
    /// plans from the staging items that run changed: a dataset none of them feeds keeps its recorded
    /// item, and a dataset they feed gets its fingerprint from the one recorded with those files
    /// replaced, and its build takes the other files from its cache. Otherwise every staging item is read.
    /// </remarks>
    public StepReport Unify()
    {
        // Planning reads the staging state: while it is the same file, the plan is the same.
        var plan = PlanKey(UnifyStep, _hashes.HashIfExists(StatePath(StagePlatformStep)) ?? "absent");
        var extension = new PlanExtension(() => plan, (recorded, _) => UnifyItemsSince(recorded));
        if (_executor.SkipUnchanged(UnifyStep, plan, _options.Parallelism, extension) is { } unchanged)
        {
            return Record(unchanged);
        }

        var unifier = Unifier;
        var byDataset = StagedByDataset();
        // The report that follows scores staging as it is now: on the spare core while unify builds.
        Reporter.ScoreAhead(_executor.State(StagePlatformStep));
        var items = new List<WorkItem>();
        foreach (var target in UnifyTargets())
        {
            var schema = TableSchema.Load(_schemas, $"staging/{target.Key}.json");
            var inputs = InputsOf(target, byDataset);
            if (inputs.All(i => i.Files.Count == 0))
            {
                continue;
            }

            var rules = UnifyRules(target);
            // A hash per file (thousands for a dataset): made side by side.
            var fingerprint = new Fingerprint()
                .AddAll(rules.Parts)
                .AddAll(SideBySide.Map(inputs.SelectMany(i => i.Files).ToList(), _options.Parallelism, UnifyInput));
            items.Add(new WorkItem(target.Key, fingerprint, () => unifier.Build(schema, inputs, rules.Value, _options.Force, fingerprint.Value)));
        }

        // One dataset at a time: each reads its staging files up to --parallelism at once.
        return Record(_executor.Run(UnifyStep, items, _ => true, plan: plan, prefix: plan));
    }

    /// <summary>
    /// An input of a unified dataset, as its fingerprint names it: a staging file's bytes and what staging
    /// recorded of it (a file staged again to the same bytes may come from another snapshot or raw file,
    /// or with other raw totals for the lineage check).
    /// </summary>
    private KeyValuePair<string, string> UnifyInput(StagedFile file) => KeyValuePair.Create(
        "input:" + Paths.Relative(file.Path), file.Sha256 + "/" + Hashing.OfPairs([(file.SnapshotAt, file.RawPath), (file.RawTotalsHash, string.Empty)]));

    /// <summary>Each unify rule of <paramref name="target"/> with the staging files of its dataset.</summary>
    private static List<(UnifySource Source, IReadOnlyList<StagedFile> Files)> InputsOf(
        IGrouping<string, UnifySource> target, ILookup<(string? Platform, string? Dataset), StagedFile> byDataset) =>
        [.. target.Select(source => (Source: source, Files: (IReadOnlyList<StagedFile>)byDataset[(source.Dataset.Platform, source.Dataset.Name)].ToList()))];

    /// <summary>
    /// Every staging file by its dataset, from the staging state. Of each item only the facts unify plans
    /// with are read, and its raw totals only hashed: they are read if they changed. Side by side, since
    /// each item's facts are its own; a state that lacks a fact fails as a serial pass would, on its first such item.
    /// </summary>
    private ILookup<(string? Platform, string? Dataset), StagedFile> StagedByDataset() =>
        SideBySide.Map(_executor.State(StagePlatformStep).Items.ToArray(), _options.Parallelism, entry => StagedFileOf(entry.Key, entry.Value))
            .Where(file => file is not null)
            .ToLookup(file => (file!.Value.Platform, file.Value.Dataset), file => file!.Value.File);

    /// <summary>
    /// The unify items of the datasets fed by the staging items stage-platform changed in this process,
    /// when unify's last plan (<paramref name="recorded"/>) was made from the staging state that run
    /// started from and the state is still the one it wrote; null otherwise (every item is planned).
    /// Each item's fingerprint is the one recorded, with the files of the changed staging items replaced.
    /// </summary>
    private List<WorkItem>? UnifyItemsSince(string recorded)
    {
        if (_options.Force || _executor.ChangesOf(StagePlatformStep) is not { } changes
            || recorded != PlanKey(UnifyStep, changes.Before ?? "absent")
            || _hashes.HashIfExists(StatePath(StagePlatformStep)) != changes.After)
        {
            return null;
        }

        var staged = _executor.State(StagePlatformStep);
        var gone = new List<(string? Platform, string? Dataset, StagedFile File)>();
        var added = new List<(string? Platform, string? Dataset, StagedFile File)>();
        foreach (var (key, before) in changes.Items)
        {
            if (before is not null && StagedFileOf(key, before) is { } was)
            {
                gone.Add(was);
            }

            if (staged.Items.TryGetValue(key, out var now) && StagedFileOf(key, now) is { } file)
            {
                added.Add(file);
            }
        }

        var unified = _executor.State(UnifyStep);
        var unifier = Unifier;
        // The report that follows scores staging as it is now: on the spare core while unify builds.
        Reporter.ScoreAhead(staged);
        var items = new List<WorkItem>();
        foreach (var target in UnifyTargets())
        {
            bool Feeds((string? Platform, string? Dataset, StagedFile File) file) =>
                target.Any(source => source.Dataset.Platform == file.Platform && source.Dataset.Name == file.Dataset);
            var (goneHere, addedHere) = (gone.Where(Feeds).ToList(), added.Where(Feeds).ToList());
            if (goneHere.Count == 0 && addedHere.Count == 0)
            {
                continue;
            }

            // A dataset built for the first time, or left with no file, is planned with every item.
            if (!unified.Items.TryGetValue(target.Key, out var last))
            {
                return null;
            }

            var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in last.Parts.Where(p => p.Key.StartsWith("input:", StringComparison.Ordinal)))
            {
                inputs[name] = value;
            }

            foreach (var file in goneHere)
            {
                inputs.Remove(UnifyInput(file.File).Key);
            }

            foreach (var (name, value) in addedHere.Select(f => UnifyInput(f.File)))
            {
                inputs[name] = value;
            }

            if (inputs.Count == 0)
            {
                return null;
            }

            var rules = UnifyRules(target);
            var fingerprint = new Fingerprint().AddAll(rules.Parts).AddAll(inputs);
            var schema = TableSchema.Load(_schemas, $"staging/{target.Key}.json");
            var since = new StagedChanges(
                goneHere.Select(f => Paths.Relative(f.File.Path)).ToHashSet(StringComparer.Ordinal),
                addedHere.ToLookup(f => (f.Platform!, f.Dataset!), f => f.File));
            items.Add(new WorkItem(target.Key, fingerprint, () => unifier.BuildSince(
                schema, [.. target], last.Fingerprint, since, () => InputsOf(target, StagedByDataset()), rules.Value, fingerprint.Value)));
        }

        return items;
    }

    /// <summary>The facts of a staging item unify plans with, in <see cref="StagedFileOf"/>'s order.</summary>
    private static readonly string[] StagedFacts = ["output", "platform", "dataset", "snapshot_at", "raw_path"];

    /// <summary>The staging file a staging item recorded, with its dataset; null for an item that staged no file.</summary>
    private (string? Platform, string? Dataset, StagedFile File)? StagedFileOf(string key, ItemState item)
    {
        var facts = new string?[StagedFacts.Length];
        var rawTotals = item.PickFacts(StagedFacts, facts, "raw_totals");
        if (facts[0] is not { } output)
        {
            return null;
        }

        string Fact(int index) => facts[index] ?? throw new InvalidDataException($"{key}: the staging state records no {StagedFacts[index]} for {output}");
        var sha = item.OutputHash(output) ?? throw new InvalidDataException($"{key}: the staging state records no hash for its output {output}");
        var file = new StagedFile(Paths.Full(output), sha, Fact(3), Fact(4))
        {
            RawTotalsHash = rawTotals,
            ReadRawTotals = () => item.Facts.GetValueOrDefault("raw_totals"),
        };
        return (facts[1], facts[2], file);
    }

    /// <summary>The day freshness is judged against: <c>--as-of</c>, or the day the run started (UTC).</summary>
    public DateOnly AsOf => _options.AsOf ?? DateOnly.FromDateTime(_started.UtcDateTime);

    /// <summary>Writes the quality outputs and the transformation log, and applies the quality gate.</summary>
    public StepReport QualityReport()
    {
        // The steps' recorded state is read only when the report runs (or GitHub Actions asks for the scores).
        var raw = new Lazy<StepState>(() => _executor.State(ValidateRawStep));
        var staging = new Lazy<StepState>(() => _executor.State(StagePlatformStep));
        var unified = new Lazy<StepState>(() => _executor.State(UnifyStep));
        var thresholds = _options.Thresholds;
        var reporter = Reporter;
        var context = reporter.Context;
        string DateOfNewestData()
        {
            // From the facts the report picks of each staging item for its scores (once per state).
            var newest = reporter.NewestSnapshot(staging.Value) ?? string.Empty;
            return newest.Length >= 10 ? newest[..10].Replace("-", string.Empty) : _started.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        }

        // What the report reads is the recorded state of the three steps: their files' hashes stand for it
        // (a step that changed nothing leaves its file as it was; the stat cache knows the hash of one it wrote).
        string StateHash(string step) => _hashes.HashIfExists(StatePath(step)) ?? "absent";
        var previous = _executor.State(QualityReportStep).Items.GetValueOrDefault("quality_report");
        var item = new WorkItem("quality_report",
            new Fingerprint()
                .Add("step", QualityReportVersion)
                .Add("input:state/" + ValidateRawStep, StateHash(ValidateRawStep))
                .Add("input:state/" + StagePlatformStep, StateHash(StagePlatformStep))
                .Add("input:state/" + UnifyStep, StateHash(UnifyStep))
                .Add("setting:thresholds", thresholds.Fingerprint)
                .Add("setting:as-of", context.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Add("setting:freshness", string.Join(';', context.Freshness.OrderBy(f => f.Key, StringComparer.Ordinal)
                    .Select(f => $"{f.Key}={f.Value.Field}/{f.Value.Cadence}/{f.Value.LagDays}/{f.Value.Window}"))),
            () => reporter.Write(DateOfNewestData(), raw.Value, staging.Value, unified.Value, previous));
        var report = Record(_executor.Run(QualityReportStep, [item], _ => true));

        var recorded = _executor.State(QualityReportStep).Items.GetValueOrDefault("quality_report");
        var failing = recorded?.Facts.GetValueOrDefault("failing");
        var date = recorded?.Facts.GetValueOrDefault("date") ?? DateOfNewestData();
        var flags = (recorded?.Facts.GetValueOrDefault("flags") ?? string.Empty).Split("; ", StringSplitOptions.RemoveEmptyEntries);
        foreach (var flag in flags)
        {
            _log.Warning("Since the previous report: {Flag}", flag);
        }

        WriteTransformationLog(date, string.IsNullOrEmpty(failing)
            ? "quality gate: pass"
            : $"quality gate: {(_options.QualityGate == QualityGateMode.Fail ? "fail" : "fail (warn only)")}: {failing}");
        var actions = new GitHubActions(_environment, Console.Out);
        if (actions.Active)
        {
            var quarantined = QualityReporter.Quarantined(raw.Value);
            actions.Report(reporter.Score(staging.Value, unified.Value), thresholds, _options.QualityGate == QualityGateMode.Fail, quarantined, flags);
        }

        if (!string.IsNullOrEmpty(failing))
        {
            if (_options.QualityGate == QualityGateMode.Fail)
            {
                report.Status = "failed";
                report.Errors.Add("Quality gate: " + failing);
                throw new QualityGateException("Quality gate failed: " + failing);
            }

            _log.Warning("Quality gate (warn only): {Failing}", failing);
        }

        return report;
    }

    /// <summary>What the report needs from the schemas and settings: freshness rules, unified sources, overlap rules.</summary>
    private QualityContext QualityContextOf(QualityThresholds thresholds)
    {
        var freshness = new SortedDictionary<string, FreshnessRule>(StringComparer.Ordinal);
        foreach (var mapping in _mappings)
        {
            foreach (var dataset in mapping.Datasets)
            {
                var key = $"{mapping.Platform}/{dataset.Name}";
                freshness[key] = thresholds.FreshnessFor(key, dataset.Schema.Freshness);
            }
        }

        var rules = _mappings.SelectMany(m => m.Unify.Select(u => (Key: $"{m.Platform}/{u.Dataset.Name}", Rule: u))).ToList();
        var unifiedFrom = rules.GroupBy(r => r.Rule.Target, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Key).Distinct().ToList(), StringComparer.Ordinal);
        var overlapRule = rules.GroupBy(r => r.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(r => r.Rule.Snapshot.Count > 0
                ? $"{r.Rule.Target}: the newest file wins per {string.Join(", ", r.Rule.Snapshot)}"
                : $"{r.Rule.Target}: rows with the same key are summed")), StringComparer.Ordinal);
        return new QualityContext(AsOf, freshness, unifiedFrom, overlapRule, _options.Parallelism);
    }

    /// <summary>Appends this run's record (what ran, what was skipped, and why) to the day's transformation log.</summary>
    private void WriteTransformationLog(string date, string gate)
    {
        // The recorded facts of the items that ran; a run that ran nothing needs no state.
        var states = new[] { ValidateRawStep, StagePlatformStep, UnifyStep, QualityReportStep }
            .Where(step => _reports.Any(r => r.Step == step && r.Reasons.Count > 0))
            .ToDictionary(step => step, _executor.State, StringComparer.Ordinal);
        var header = $"run started {_started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}, " +
                     $"as of {AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" +
                     (_options.Platforms.Count > 0 ? $", platforms {string.Join(",", _options.Platforms.Order(StringComparer.Ordinal))}" : string.Empty) +
                     (_options.Force ? ", forced" : string.Empty);
        // Appended, not rewritten: a day's log grows with every run, and rewriting it made each run cost the whole day's log.
        Directory.CreateDirectory(Paths.QualityReports);
        using var log = new FileStream(Path.Combine(Paths.QualityReports, $"transformation_log_{date}.txt"), FileMode.Append, FileAccess.Write, FileShare.Read);
        using (var text = new StreamWriter(log, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true))
        {
            text.Write(log.Length > 0 ? "\n" : string.Empty);
            QualityReporter.TransformationLog(text, header, _reports, states);
            text.Write(gate + "\n");
        }

        log.Flush(flushToDisk: true);
    }

    /// <summary>Re-hashes the raw zone against the ledger; returns every discrepancy (empty when sound).</summary>
    public IReadOnlyList<string> VerifyRaw()
    {
        var report = new RawVerifier(Paths).Verify();
        foreach (var problem in report)
        {
            _log.Error("verify-raw: {Problem}", problem);
        }

        _log.Information("verify-raw: {Count} problem(s) in {Raw}", report.Count, Paths.Raw);
        return report;
    }

    /// <summary>Removes the derived zones (staging, quarantine), their state and unify's cache; raw and the ledger stay.</summary>
    public void Clean()
    {
        _executor.Writes.WaitAll();
        foreach (var folder in new[] { Paths.Staging, Paths.Quarantine, Paths.Cache })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        foreach (var step in new[] { ValidateRawStep, StagePlatformStep, UnifyStep, QualityReportStep })
        {
            foreach (var path in new[] { StatePath(step), StepSummary.PathOf(StatePath(step)) }.Where(File.Exists))
            {
                File.Delete(path);
            }
        }

        _log.Information("Removed staging/, quarantine/, the step state and unify's cache of {Lake}; raw/ is untouched", Paths.Root);
    }

    /// <summary>Writes the run report and prints the task summary; returns the report.</summary>
    public RunReport Complete(bool succeeded)
    {
        var finished = _time.GetUtcNow();
        var failed = !succeeded || _reports.Any(r => r.Status != "succeeded");
        var report = new RunReport(
            _started.ToString("O", CultureInfo.InvariantCulture),
            finished.ToString("O", CultureInfo.InvariantCulture),
            Math.Round((finished - _started).TotalSeconds, 3),
            Paths.Root,
            _options.Landing,
            failed ? "failed" : "succeeded",
            failed ? 1 : 0,
            _reports,
            _ignored,
            _hashes.FilesRead + _promotionHashes);
        _finishedCleanly = !failed;
        // The stat cache is complete once the steps are done: saved while the report is written (and again on disposal if it changed since).
        _executor.Writes.Start(Paths.HashCache, () => _hashes.Save(Paths.HashCache));
        // Serialised once, straight to UTF-8 (a run over thousands of files lists each one skipped), and written twice.
        var json = new MemoryStream();
        System.Text.Json.JsonSerializer.Serialize(json, report, RunReportJson.Indented.RunReport);
        json.WriteByte((byte)'\n');

        var bytes = json.GetBuffer().AsMemory(0, (int)json.Length);
        AtomicFile.Replace(Path.Combine(Paths.Runs, Stamp(_started) + ".json"), stream => stream.Write(bytes.Span));
        AtomicFile.Replace(Path.Combine(Paths.Control, "last-run.json"), stream => stream.Write(bytes.Span));
        KeepNewest(Paths.Runs, "*.json");
        KeepNewest(Paths.Logs, "run-*.clef");
        RunSummary.Print(_log, report);
        return report;
    }

    /// <summary>
    /// Removes all but the newest <see cref="KeptRuns"/> files matching <paramref name="pattern"/> in
    /// <paramref name="folder"/> (their names start with the run's UTC stamp, so they sort by time): a
    /// lake of thousands of files writes megabytes per run, and a daily run would fill the disk.
    /// </summary>
    private void KeepNewest(string folder, string pattern)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var old in Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal).SkipLast(KeptRuns))
        {
            File.Delete(old);
            _log.Debug("Removed {File}: only the newest {Kept} runs are kept", Paths.Relative(old), KeptRuns);
        }
    }

    public void Dispose()
    {
        _executor.Writes.WaitAll();
        _hashes.Save(Paths.HashCache);
        if (_finishedCleanly)
        {
            // Last: a run stopped before this point is not known to have left no half-done write.
            File.WriteAllBytes(Paths.FinishedCleanly, []);
        }

        _lock.Dispose();
        _ownedLogger?.Dispose();
    }

    private StepReport Record(StepReport report)
    {
        _reports.Add(report);
        return report;
    }

    private bool InScope(ItemState item) => _options.Includes(item.Facts.GetValueOrDefault("platform") ?? RawPromoter.Unknown);

    /// <summary>
    /// Deletes the temporary files of writes a killed run left half done (<c>*.tmp-&lt;pid&gt;</c>);
    /// only the lock holder runs this, so no live write is touched. Finished files are never temporary.
    /// </summary>
    private void RemoveTemporaries()
    {
        if (!Directory.Exists(Paths.Root))
        {
            return;
        }

        foreach (var temporary in Directory.EnumerateFiles(Paths.Root, "*.tmp-*", SearchOption.AllDirectories)
                     .Where(f => TemporaryName().IsMatch(f)))
        {
            File.Delete(temporary);
            _log.Information("Removed {File}, left by a write that was interrupted", Paths.Relative(temporary));
        }
    }

    /// <summary>
    /// A landing file's content hash for its item's fingerprint. An unchanged file's comes from the
    /// hash cache (by path, size and time). A new file (neither in the cache nor recorded by
    /// validate-raw) is not read here: it runs whatever its hash, and its one read, by the promotion,
    /// fills the hash in before the item is recorded. A file that changed since it was hashed, or
    /// whose item is recorded while the cache lost it (a run stopped before saving the cache), is read
    /// now: if its bytes are the recorded ones, it is skipped and keeps what it recorded. A file the
    /// landing gate refuses (a symbolic link, a file over the size limit) is never read, not even to
    /// hash it: the refusal, which alone decides its fate, stands in.
    /// </summary>
    /// <param name="file">The landing file.</param>
    /// <param name="recorded">Whether validate-raw's state holds the item the file belongs to (asked only when the cache lacks the file).</param>
    private string InputHash(LandingFile file, Func<bool> recorded)
    {
        var info = file.Seen is null ? new FileInfo(file.FullPath) : null;
        if (file.Refusal((long)_options.MaxFileMegabytes << 20, info) is { } refusal)
        {
            return "unread:" + refusal.Problem;
        }

        var (size, ticks) = file.Seen ?? (info!.Length, info.LastWriteTimeUtc.Ticks);
        if (_hashes.Known(file.FullPath, size, ticks) is { } known)
        {
            return known;
        }

        if (_hashes.Cached(file.FullPath) is null && !recorded())
        {
            return NotReadYet;
        }

        Interlocked.Increment(ref _landingFilesRead);
        return _hashes.Hash(file.FullPath);
    }

    /// <summary>
    /// The unit folder a landing file belongs to (an SDK dump), with the kinds of its members; null for
    /// a lone file. <paramref name="known"/> keeps each folder name's answer: its files share it.
    /// </summary>
    private (string Folder, IReadOnlyList<RawFileKind> Members)? UnitOf(LandingFile file, Dictionary<string, List<RawFileKind>> known)
    {
        var slash = file.Relative.LastIndexOf('/');
        if (slash < 0)
        {
            return null;
        }

        // Looked up by the folder name's characters: most files are in no unit, and need no text made.
        var folder = file.Relative.AsSpan(0, slash);
        var folderName = folder[(folder.LastIndexOf('/') + 1)..];
        if (!known.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(folderName, out var members))
        {
            var name = folderName.ToString();
            members = _kinds.Where(k => k.UnitFolder?.IsMatch(name) == true).ToList();
            known[name] = members;
        }

        return members.Count > 0 ? (folder.ToString(), members) : null;
    }

    /// <summary>
    /// The code versions and raw contracts that can decide a landing file's fate. Recognition prefers
    /// a kind whose name pattern matches, so those kinds are the only candidates when there are any;
    /// a name no kind claims may be recognised by content, so then every kind counts. Changing
    /// TooLost's contract therefore re-validates TooLost files, not DistroKid's.
    /// </summary>
    private IEnumerable<KeyValuePair<string, string>> RulesFor(string fileName)
    {
        var candidates = _kinds.Where(k => k.MatchesName(fileName)).ToList();
        return RulesOf(candidates.Count > 0 ? candidates : _kinds);
    }

    /// <summary>The code version and raw contract of each kind, as fingerprint parts.</summary>
    private IEnumerable<KeyValuePair<string, string>> RulesOf(IEnumerable<RawFileKind> kinds)
    {
        foreach (var kind in kinds)
        {
            yield return KeyValuePair.Create($"code:{kind.Platform}.{kind.Datatype}", kind.Version);
            if (kind.Contract is { } contract)
            {
                yield return KeyValuePair.Create("schema:" + contract, _schemas.FingerprintOf(contract));
            }
        }
    }

    /// <summary>Every source feeding a unified dataset that states a precedence must be ranked in it.</summary>
    private static void CheckPrecedence(SchemaCatalog schemas, IReadOnlyList<PlatformMapping> mappings)
    {
        foreach (var target in mappings.SelectMany(m => m.Unify.Select(u => (Mapping: m, Source: u))).GroupBy(u => u.Source.Target))
        {
            var order = TableSchema.Load(schemas, $"staging/{target.Key}.json").SourcePrecedence;
            if (order.Count == 0)
            {
                continue;
            }

            foreach (var (mapping, source) in target)
            {
                var column = source.Columns.GetValueOrDefault("source");
                if (column is null || !column.StartsWith('=') || !order.Contains(column[1..]))
                {
                    throw new LakeConfigurationException(
                        $"schemas/{mapping.Path}: unify of '{source.Dataset.Name}' into {target.Key} must set \"source\" to one of " +
                        $"{string.Join(", ", order)} (the sourcePrecedence of schemas/staging/{target.Key}.json); found {column ?? "nothing"}.");
                }
            }
        }
    }

    private IEnumerable<KeyValuePair<string, string>> SchemaParts(DatasetMapping dataset)
    {
        yield return KeyValuePair.Create("schema:" + dataset.Schema.Path, _schemas.FingerprintOf(dataset.Schema.Path));
        yield return KeyValuePair.Create("schema:" + dataset.MappingPath, _schemas.FingerprintOf(dataset.MappingPath));
        foreach (var table in dataset.Schema.Fields.Select(f => f.Derived?.Table).OfType<string>().Distinct())
        {
            yield return KeyValuePair.Create("schema:" + table, _schemas.FingerprintOf(table));
        }
    }

    private void ReportLedgerProblems(Ledger ledger)
    {
        foreach (var problem in ledger.Problems)
        {
            _log.Error("Ledger: {Problem}; run verify-raw", problem);
        }
    }

    private string StatePath(string step) => Path.Combine(Paths.State, step + ".json");

    /// <summary>
    /// The key of a step's plan: what its planning reads, namely this build of the code, every file
    /// under <c>schemas/</c>, the platforms chosen, and <paramref name="inputs"/>. While the key is the
    /// one its last complete run was planned from, the step is skipped unplanned (its outputs checked).
    /// </summary>
    private string PlanKey(string step, params string[] inputs) => new Fingerprint()
        .Add("step", step)
        .Add("code", typeof(BedrotPipeline).Assembly.ManifestModule.ModuleVersionId.ToString())
        .Add("schemas", _schemas.Fingerprint)
        .Add("platforms", string.Join(',', _options.Platforms.Order(StringComparer.Ordinal)))
        .AddAll(inputs.Select((input, i) => KeyValuePair.Create($"input:{i}", input)))
        .Value;

    private static string Stamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex(@"\.tmp-\d+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();
}
