using System.Globalization;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Schemas;
using Newtonsoft.Json;
using Serilog;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// The validate-raw work for one landing file: recognise, validate, then promote a byte-identical,
/// read-only copy with its lineage sidecar and a ledger line, record a duplicate, or quarantine the
/// file with every reason. Landing is never modified. Each landing file is read once: that one pass
/// gives its hash (unless the hash cache knows it), the bytes to validate and the bytes to copy.
/// What a batch of files writes is made durable together by <see cref="Commit"/>.
/// </summary>
public sealed class RawPromoter(
    LakePaths paths, SchemaCatalog schemas, Recognizer recognizer, Ledger ledger, HashCache hashes, TimeProvider time, ILogger log,
    long maxFileBytes = 512L << 20, long holdBytes = RawPromoter.HoldBytes)
{
    /// <summary>
    /// The largest landing file held in memory whole. A larger one of a kind validated from its first
    /// lines (<see cref="RawFileKind.ValidatesFromStart"/>) is read in pieces and copied as it is read.
    /// </summary>
    public const long HoldBytes = 64L << 20;

    public const string Unknown = "unknown";

    private readonly AtomicBatch _writes = new(paths.Raw);
    private readonly ReadBuffers _buffers = new();

    /// <summary>The quarantine paths this promoter has given out, with the landing file each holds.</summary>
    private readonly Dictionary<string, string> _quarantined = new(StringComparer.Ordinal);
    private int _filesRead;
    private int _filesHashed;

    /// <summary>Landing files read since this promoter was made.</summary>
    public int FilesRead => _filesRead;

    /// <summary>Landing files read and hashed (a file whose hash the cache knew is read but not hashed again).</summary>
    public int FilesHashed => _filesHashed;

    /// <summary>One landing file's whole work, made durable before it returns.</summary>
    public ItemResult Process(LandingFile file, Action<string>? hashed = null)
    {
        var result = Read(file, hashed)();
        Commit();
        return result;
    }

    /// <summary>
    /// Makes what the steps returned by <see cref="Read"/> wrote durable, in order: the raw copies,
    /// sidecars and quarantine files are flushed to disk together and renamed into place, then the
    /// ledger lines naming them are appended and flushed once. A raw copy is thus on disk before the
    /// ledger line that records it, and an interrupted batch leaves at most copies that no ledger line
    /// names yet, which the next run recognises by their hash and reuses.
    /// </summary>
    public void Commit()
    {
        _writes.Commit();
        ledger.Commit();
    }

    /// <summary>
    /// The part of a landing file's work that reads: the landing gate, the one pass over its bytes
    /// (their hash is passed to <paramref name="hashed"/>), recognition, validation, and the copy the
    /// rest of the work will need, written to a temporary file while the bytes are in memory. It
    /// changes neither the ledger nor anything a reader of the lake sees, so files can be read side by
    /// side; the returned step (promote, record a duplicate, or quarantine) must then run in landing
    /// order, one at a time, followed by <see cref="Commit"/>.
    /// </summary>
    public Func<ItemResult> Read(LandingFile file, Action<string>? hashed = null)
    {
        if (file.Refusal(maxFileBytes) is { } refusal)
        {
            return () => Refused(file, refusal);
        }

        if ((file.Seen?.Size ?? new FileInfo(file.FullPath).Length) > holdBytes && ReadLarge(file, hashed) is { } large)
        {
            return large;
        }

        using var content = ReadLanding(file, hashed);
        var (kind, problems) = Check(file, content.Bytes);
        var sha = content.Sha256;
        long size = content.Bytes.Length;
        if (kind is null || problems.Count > 0)
        {
            var copy = _writes.Stage(content.Bytes.Span);
            return () => Quarantine(file, copy, sha, size, kind, problems);
        }

        var staged = StageUnlessInRaw(content.Bytes.Span, sha);
        return () => Promote(file, staged, sha, size, kind);
    }

    /// <summary>
    /// The validate-raw work for a unit folder (an SDK dump): each file must be one of the unit's
    /// members, every member must be there, and each must validate. Then each member is promoted
    /// into one raw folder named like the unit; otherwise every file of the unit is quarantined,
    /// each with the problems of the whole unit.
    /// </summary>
    /// <remarks>It runs in the ordered part of a batch, as it appends to the ledger throughout; <see cref="Commit"/> follows it.</remarks>
    public ItemResult ProcessUnit(string unitRelative, IReadOnlyList<LandingFile> files, IReadOnlyList<RawFileKind> members,
        Action<LandingFile, string>? hashed = null)
    {
        var unitName = unitRelative.Split('/')[^1];
        var platform = members[0].Platform;
        var problems = new List<RawProblem>();
        var found = new List<(LandingFile File, LandingContent? Content, RawFileKind? Kind, RawProblem? Refusal)>();
        foreach (var file in files)
        {
            if (file.Refusal(maxFileBytes) is { } refusal)
            {
                // A member that may not be read makes the unit incomplete; it is named, not read.
                problems.Add(refusal with { Where = $"{file.Name}: {refusal.Where}" });
                found.Add((file, null, null, refusal));
                continue;
            }

            var content = ReadLanding(file, hashed is null ? null : sha => hashed(file, sha));
            var bytes = content.Bytes;
            var kind = members.FirstOrDefault(m => string.Equals(m.UnitMember, file.Name, StringComparison.OrdinalIgnoreCase));
            found.Add((file, content, kind, null));
            if (kind is null)
            {
                problems.Add(new RawProblem(file.Name,
                    $"not a member of a {unitName} folder; expected only {string.Join(", ", members.Select(m => m.UnitMember))}"));
                continue;
            }

            IReadOnlyList<RawProblem> memberProblems = Encoding(bytes.Span) is { } encoding
                ? [encoding]
                : kind.Validate(new RawContent(file.Name, bytes, schemas));
            problems.AddRange(memberProblems.Select(p => p with { Where = $"{file.Name}: {p.Where}" }));
        }

        foreach (var missing in members.Where(m => found.All(f => f.Kind != m)))
        {
            problems.Add(new RawProblem(missing.UnitMember!, $"missing: a {unitName} folder holds {string.Join(", ", members.Select(m => m.UnitMember))}"));
        }

        var results = problems.Count > 0
            ? found.Select(f => f.Content is not { } content
                ? Refused(f.File, f.Refusal!)
                : Quarantine(f.File, _writes.Stage(content.Bytes.Span), content.Sha256, content.Bytes.Length, f.Kind, problems, platform)).ToList()
            : found.Select(f =>
            {
                var extracted = FileNameTimestamp.Parse(FileNameTimestamp.Text(unitName));
                var month = extracted ?? DateTimeOffset.Parse(Now(), CultureInfo.InvariantCulture);
                var content = f.Content!;
                return Promote(f.File, StageUnlessInRaw(content.Bytes.Span, content.Sha256), content.Sha256, content.Bytes.Length, f.Kind!,
                    $"raw/{platform}/dump/{month:yyyy}/{month:MM}/{unitName}", extracted);
            }).ToList();
        foreach (var content in found.Select(f => f.Content).OfType<LandingContent>())
        {
            content.Dispose();
        }

        return Merge(results, platform, unitRelative);
    }

    /// <summary>
    /// A landing file that is not read at all (<see cref="LandingFile.Refusal"/>): its reason is
    /// written to quarantine; the file itself stays in landing, which is never modified.
    /// </summary>
    private ItemResult Refused(LandingFile file, RawProblem problem)
    {
        var info = new FileInfo(file.FullPath);
        var reason = QuarantineTarget(Unknown, file.Relative, file.Relative) + ".reason.json";
        log.Warning("Quarantined {File}: {Problem}", file.Relative, problem.Problem);
        return new ItemResult
        {
            Outputs = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [reason] = _writes.WriteText(paths.Full(reason), JsonConvert.SerializeObject(new
                {
                    file = file.Relative,
                    size = info.LinkTarget is null ? info.Length : (long?)null,
                    platform = Unknown,
                    problems = new[] { new { where = problem.Where, problem = problem.Problem } },
                    note = "the file was not read or copied; it is still in landing",
                }, Formatting.Indented) + "\n"),
            },
            Counts = new Dictionary<string, long> { ["quarantined"] = 1 },
            Facts = new Dictionary<string, string>
            {
                ["platform"] = Unknown,
                ["outcome"] = "quarantined",
                ["reasons"] = $"{problem.Where}: {problem.Problem}",
            },
        };
    }

    /// <summary>
    /// Where the quarantine copy of the landing file <paramref name="landing"/> goes: <see cref="QuarantinePath"/>,
    /// unless the copy there (or the one this run is putting there) is another landing file's. A file
    /// at the top of landing and one of the same name in its platform's folder both belong at one
    /// path; the one that comes later then takes the name with a hash of its landing path before the
    /// extension, so neither copy is lost and each keeps its path on later runs.
    /// </summary>
    private string QuarantineTarget(string platform, string relative, string landing)
    {
        var target = QuarantinePath(platform, relative);
        lock (_quarantined)
        {
            if (HeldByOther(target, landing))
            {
                var extension = Path.GetExtension(relative);
                target = QuarantinePath(platform, $"{relative[..^extension.Length]}~{Hashing.Of(landing)[..8]}{extension}");
            }

            _quarantined[target] = landing;
        }

        return target;
    }

    /// <summary>Whether the quarantine path <paramref name="target"/> holds another landing file's copy, as its reason file names it.</summary>
    private bool HeldByOther(string target, string landing)
    {
        if (_quarantined.TryGetValue(target, out var holder))
        {
            return !string.Equals(holder, landing, StringComparison.Ordinal);
        }

        var reason = paths.Full(target + ".reason.json");
        if (!File.Exists(reason))
        {
            return false;
        }

        try
        {
            return !string.Equals((string?)Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(reason))["file"], landing, StringComparison.Ordinal);
        }
        catch (Exception error) when (error is IOException or JsonException or InvalidCastException)
        {
            // A reason that cannot be read is not known to be this file's: it is not overwritten.
            return true;
        }
    }

    /// <summary>
    /// Where a landing file's quarantine copy goes. A name too long to take the <c>.reason.json</c>
    /// suffix within the file system's 255-byte limit is shortened, keeping its start, a hash of
    /// the whole name and its extension; the reason file records the full landing path.
    /// </summary>
    private static string QuarantinePath(string platform, string relative)
    {
        var slash = relative.LastIndexOf('/');
        var folder = slash < 0 ? string.Empty : relative[..(slash + 1)];
        var name = relative[(slash + 1)..];
        if (System.Text.Encoding.UTF8.GetByteCount(name) + ".reason.json".Length > 255)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length <= 12 ? extension : string.Empty;
            var start = new string(name.TakeWhile((_, i) => System.Text.Encoding.UTF8.GetByteCount(name[..(i + 1)]) <= 150).ToArray());
            name = $"{start}~{Hashing.Of(name)[..8]}{extension}";
        }

        return $"quarantine/{platform}/{folder}{name}";
    }

    /// <summary>Text in an encoding no export uses (UTF-16 or UTF-32, by its byte-order mark), or an empty file.</summary>
    private static RawProblem? Encoding(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return new RawProblem("file", "the file is empty (0 bytes)");
        }

        if (bytes.StartsWith(new byte[] { 0xFF, 0xFE, 0, 0 }) || bytes.StartsWith(new byte[] { 0, 0, 0xFE, 0xFF }))
        {
            return new RawProblem("byte 0", "UTF-32 text (byte-order mark); exports are UTF-8 (or Latin-1): save it as UTF-8");
        }

        if (bytes.StartsWith(new byte[] { 0xFF, 0xFE }) || bytes.StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            return new RawProblem("byte 0", "UTF-16 text (byte-order mark); exports are UTF-8 (or Latin-1): save it as UTF-8");
        }

        return null;
    }

    private static ItemResult Merge(IReadOnlyList<ItemResult> results, string platform, string unitRelative)
    {
        var outcomes = results.Select(r => r.Facts["outcome"]).ToList();
        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["platform"] = platform,
            ["unit"] = unitRelative,
            ["files"] = results.Count.ToString(CultureInfo.InvariantCulture),
            // A unit counts as promoted when any member is new in raw or already there from an
            // interrupted run: the same lake either way.
            ["outcome"] = new[] { "quarantined", "promoted", "already_in_raw", "duplicate" }.FirstOrDefault(outcomes.Contains) ?? "duplicate",
        };
        if (results.FirstOrDefault(r => r.Facts.ContainsKey("reasons")) is { } quarantined)
        {
            facts["reasons"] = quarantined.Facts["reasons"];
        }

        return new ItemResult
        {
            Outputs = results.SelectMany(r => r.Outputs).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal),
            Retained = results.SelectMany(r => r.Retained).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal),
            Counts = results.SelectMany(r => r.Counts).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal),
            Facts = facts,
        };
    }

    private ItemResult Promote(LandingFile file, AtomicBatch.StagedFile? staged, string sha, long size, RawFileKind kind,
        string? unitFolder = null, DateTimeOffset? unitExtracted = null)
    {
        var existing = ledger.PromotionOf(sha);
        if (existing is not null)
        {
            EnsureRawCopy(existing.RawPath, sha, staged);
            var outcome = "already_in_raw";
            if (existing.Source != file.Relative)
            {
                outcome = "duplicate";
                if (!ledger.Records(LedgerEntry.Duplicate, sha, file.Relative))
                {
                    ledger.Stage(existing with
                    {
                        Event = LedgerEntry.Duplicate,
                        Source = file.Relative,
                        ValidatedAt = Now(),
                    });
                }

                log.Information("{File} is a duplicate of {RawPath}; not copied", file.Relative, existing.RawPath);
            }

            return Result(outcome, kind, existing.RawPath, new Dictionary<string, string>(StringComparer.Ordinal) { [existing.RawPath] = sha });
        }

        var extracted = unitFolder is null ? FileNameTimestamp.Parse(FileNameTimestamp.Text(file.Name)) : unitExtracted;
        var validatedAt = Now();
        var month = extracted ?? DateTimeOffset.Parse(validatedAt, CultureInfo.InvariantCulture);
        var folder = unitFolder ?? $"raw/{kind.Platform}/{kind.Datatype}/{month:yyyy}/{month:MM}";
        var (rawPath, leftOver) = FreeRawPath(folder, file.Name, sha);
        var copy = staged ?? throw new InvalidOperationException($"{file.Relative}: no copy was staged for new content");
        if (leftOver)
        {
            _writes.Discard(copy);
        }
        else
        {
            _writes.Place(copy, paths.Full(rawPath), readOnly: true);
        }

        var entry = new LedgerEntry
        {
            Event = LedgerEntry.Promoted,
            Sha256 = sha,
            Size = size,
            Source = file.Relative,
            Platform = kind.Platform,
            Datatype = kind.Datatype,
            RawPath = rawPath,
            ExtractedAt = extracted?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ValidatedAt = validatedAt,
            Validator = $"{kind.Validator}/{kind.Version}",
        };
        var sidecar = rawPath + ".lineage.json";
        var retained = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [rawPath] = sha,
            [sidecar] = _writes.WriteText(paths.Full(sidecar), JsonConvert.SerializeObject(entry, Formatting.Indented) + "\n"),
        };
        ledger.Stage(entry);
        log.Information("Promoted {File} to {RawPath} ({Bytes} bytes)", file.Relative, rawPath, size);
        return Result("promoted", kind, rawPath, retained);
    }

    /// <summary>
    /// The raw path for a new promotion: the file's own name, or name.vN.ext beside an older version;
    /// and whether a copy is already there, left by a run that stopped before its ledger line.
    /// </summary>
    private (string RawPath, bool LeftOver) FreeRawPath(string folder, string name, string sha)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var version = 1; ; version++)
        {
            var candidate = $"{folder}/{(version == 1 ? name : $"{stem}.v{version}{extension}")}";
            if (ledger.UsesRawPath(candidate))
            {
                continue;
            }

            var full = paths.Full(candidate);
            if (!File.Exists(full))
            {
                return (candidate, false);
            }

            // A copy left by a run that stopped before its ledger line is this same content: reuse it.
            if (Hashing.OfFile(full) == sha)
            {
                return (candidate, true);
            }
        }
    }

    /// <summary>
    /// The copy the rest of the work may need, staged while the bytes are in memory: none when the
    /// raw zone already holds this content intact (the usual duplicate), else one to promote or restore.
    /// </summary>
    private AtomicBatch.StagedFile? StageUnlessInRaw(ReadOnlySpan<byte> bytes, string sha) =>
        ledger.PromotionOf(sha) is { } existing && RawCopyIntact(existing.RawPath, sha) ? null : _writes.Stage(bytes);

    /// <summary>Puts the raw copy back from the staged landing bytes when it is missing or damaged.</summary>
    private void EnsureRawCopy(string rawPath, string sha, AtomicBatch.StagedFile? staged)
    {
        if (staged is null)
        {
            return; // the read found the copy intact
        }

        var full = paths.Full(rawPath);
        if (_writes.Places(full) || RawCopyIntact(rawPath, sha))
        {
            // Placed by this batch (the content was new when the file was read), or left intact by a stopped run.
            _writes.Discard(staged);
            return;
        }

        if (File.Exists(full))
        {
            log.Warning("Raw copy {RawPath} did not match its ledger hash; restored from landing", rawPath);
            File.SetAttributes(full, FileAttributes.Normal);
            MakeWritable(full);
        }

        _writes.Place(staged, full, readOnly: true);
    }

    /// <summary>Whether the raw copy is there with this content (by the hash cache: a copy unchanged since it was hashed is not read).</summary>
    private bool RawCopyIntact(string rawPath, string sha)
    {
        var full = paths.Full(rawPath);
        return File.Exists(full) && hashes.Hash(full) == sha;
    }

    private ItemResult Quarantine(LandingFile file, AtomicBatch.StagedFile copy, string sha, long size, RawFileKind? kind,
        IReadOnlyList<RawProblem> problems, string? unitPlatform = null)
    {
        var platform = kind?.Platform ?? unitPlatform ?? Unknown;
        // Landing is usually organised by platform already: landing/toolost/x.json goes to
        // quarantine/toolost/x.json, not quarantine/toolost/toolost/x.json.
        var relative = file.Relative.StartsWith(platform + "/", StringComparison.Ordinal)
            ? file.Relative[(platform.Length + 1)..]
            : file.Relative;
        var target = QuarantineTarget(platform, relative, file.Relative);
        var reason = target + ".reason.json";
        _writes.Place(copy, paths.Full(target));
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [target] = sha,
            [reason] = _writes.WriteText(paths.Full(reason), JsonConvert.SerializeObject(new
            {
                file = file.Relative,
                sha256 = sha,
                size,
                platform,
                datatype = kind?.Datatype,
                validator = kind is null ? null : $"{kind.Validator}/{kind.Version}",
                problems = problems.Select(p => new { where = p.Where, problem = p.Problem }),
            }, Formatting.Indented) + "\n"),
        };
        log.Warning("Quarantined {File}: {Problems}", file.Relative,
            string.Join("; ", problems.Select(p => $"{p.Where}: {p.Problem}")));
        return new ItemResult
        {
            Outputs = outputs,
            Counts = new Dictionary<string, long> { ["quarantined"] = 1 },
            Facts = new Dictionary<string, string>
            {
                ["platform"] = platform,
                ["outcome"] = "quarantined",
                ["reasons"] = string.Join("; ", problems.Select(p => $"{p.Where}: {p.Problem}")),
            },
        };
    }

    /// <summary>Reads a landing file in one pass (<see cref="LandingContent"/>), counting it, and passes on its hash.</summary>
    private LandingContent ReadLanding(LandingFile file, Action<string>? hashed)
    {
        var content = LandingContent.Read(file.FullPath, hashes, _buffers);
        Interlocked.Increment(ref _filesRead);
        if (content.Hashed)
        {
            Interlocked.Increment(ref _filesHashed);
        }

        hashed?.Invoke(content.Sha256);
        return content;
    }

    /// <summary>
    /// The work of <see cref="Read"/> for a file over <c>holdBytes</c> whose first bytes show a kind
    /// validated from its first lines: one pass in pieces hashes it and writes its copy, keeping only
    /// its start; null for any other file, which is read whole.
    /// </summary>
    private Func<ItemResult>? ReadLarge(LandingFile file, Action<string>? hashed)
    {
        var head = new byte[64 << 10];
        int length;
        using (var handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            length = RandomAccess.Read(handle, head, 0);
        }

        if (recognizer.Recognize(file.Name, head.AsSpan(0, length)) is not { ValidatesFromStart: true })
        {
            return null;
        }

        var copy = _writes.Begin();
        LandingContent content;
        try
        {
            content = LandingContent.ReadLarge(file.FullPath, hashes, _buffers, copy);
        }
        catch
        {
            _writes.Discard(copy);
            throw;
        }

        using (content)
        {
            Interlocked.Increment(ref _filesRead);
            Interlocked.Increment(ref _filesHashed);
            hashed?.Invoke(content.Sha256);
            copy.StartFlush();
            var whole = content.Whole!;
            if (recognizer.Recognize(file.Name, content.Bytes.Span) is { ValidatesFromStart: false })
            {
                // The longer start shows another kind, which needs the whole file: it is read whole.
                _writes.Discard(copy);
                return null;
            }

            var (kind, problems) = Check(file, content.Bytes, whole);
            var sha = content.Sha256;
            if (kind is null || problems.Count > 0)
            {
                return () => Quarantine(file, copy, sha, whole.Size, kind, problems);
            }

            if (ledger.PromotionOf(sha) is { } existing && RawCopyIntact(existing.RawPath, sha))
            {
                _writes.Discard(copy);
                return () => Promote(file, null, sha, whole.Size, kind);
            }

            return () => Promote(file, copy, sha, whole.Size, kind);
        }
    }

    /// <summary>The file's kind and every problem that keeps it out of the raw zone.</summary>
    private (RawFileKind? Kind, IReadOnlyList<RawProblem> Problems) Check(LandingFile file, ReadOnlyMemory<byte> bytes, WholeFile? whole = null)
    {
        var kind = recognizer.Recognize(file.Name, bytes.Span);
        if (kind is null)
        {
            return (null, [new RawProblem("file", "no platform recognises this file by its name or its content; " +
                "known kinds: " + string.Join(", ", recognizer.Kinds.Select(k => $"{k.Platform}/{k.Datatype}")))]);
        }

        return (kind, Encoding(bytes.Span) is { } encoding ? [encoding] : kind.Validate(new RawContent(file.Name, bytes, schemas) { Whole = whole }));
    }

    private static ItemResult Result(string outcome, RawFileKind kind, string rawPath, Dictionary<string, string> retained) =>
        new()
        {
            Retained = retained,
            Counts = new Dictionary<string, long> { [outcome] = 1 },
            Facts = new Dictionary<string, string>
            {
                ["platform"] = kind.Platform,
                ["datatype"] = kind.Datatype,
                ["outcome"] = outcome,
                ["raw_path"] = rawPath,
            },
        };

    private string Now() =>
        time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void MakeWritable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
