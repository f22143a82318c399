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
/// file with every reason. Landing is never modified.
/// </summary>
public sealed class RawPromoter(
    LakePaths paths, SchemaCatalog schemas, Recognizer recognizer, Ledger ledger, TimeProvider time, ILogger log)
{
    public const string Unknown = "unknown";

    public ItemResult Process(LandingFile file)
    {
        var bytes = File.ReadAllBytes(file.FullPath);
        var sha = Hashing.Of(bytes);
        var content = new RawContent(file.Name, bytes, schemas);
        var kind = recognizer.Recognize(file.Name, bytes);
        if (kind is null)
        {
            return Quarantine(file, bytes, sha, null,
                [new RawProblem("file", "no platform recognises this file by its name or its content; " +
                    "known kinds: " + string.Join(", ", recognizer.Kinds.Select(k => $"{k.Platform}/{k.Datatype}")))]);
        }

        var problems = kind.Validate(content);
        return problems.Count > 0
            ? Quarantine(file, bytes, sha, kind, problems)
            : Promote(file, bytes, sha, kind);
    }

    private ItemResult Promote(LandingFile file, byte[] bytes, string sha, RawFileKind kind)
    {
        var existing = ledger.PromotionOf(sha);
        if (existing is not null)
        {
            var restored = EnsureRawCopy(existing.RawPath, bytes, sha);
            var outcome = "already_in_raw";
            if (existing.Source != file.Relative)
            {
                outcome = "duplicate";
                if (!ledger.Records(LedgerEntry.Duplicate, sha, file.Relative))
                {
                    ledger.Append(existing with
                    {
                        Event = LedgerEntry.Duplicate,
                        Source = file.Relative,
                        ValidatedAt = Now(),
                    });
                }

                log.Information("{File} is a duplicate of {RawPath}; not copied", file.Relative, existing.RawPath);
            }

            return Result(outcome, kind, existing.RawPath, restored);
        }

        var stamp = FileNameTimestamp.Text(file.Name);
        var extracted = FileNameTimestamp.Parse(stamp);
        var validatedAt = Now();
        var month = extracted ?? DateTimeOffset.Parse(validatedAt, CultureInfo.InvariantCulture);
        var folder = $"raw/{kind.Platform}/{kind.Datatype}/{month:yyyy}/{month:MM}";
        var rawPath = FreeRawPath(folder, file.Name, sha);
        var retained = EnsureRawCopy(rawPath, bytes, sha);

        var entry = new LedgerEntry
        {
            Event = LedgerEntry.Promoted,
            Sha256 = sha,
            Size = bytes.LongLength,
            Source = file.Relative,
            Platform = kind.Platform,
            Datatype = kind.Datatype,
            RawPath = rawPath,
            ExtractedAt = extracted?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ValidatedAt = validatedAt,
            Validator = $"{kind.Validator}/{kind.Version}",
        };
        var sidecar = rawPath + ".lineage.json";
        retained[sidecar] = AtomicFile.WriteAllText(paths.Full(sidecar),
            JsonConvert.SerializeObject(entry, Formatting.Indented) + "\n");
        ledger.Append(entry);
        log.Information("Promoted {File} to {RawPath} ({Bytes} bytes)", file.Relative, rawPath, bytes.LongLength);
        return Result("promoted", kind, rawPath, retained);
    }

    /// <summary>The raw path for a new promotion: the file's own name, or name.vN.ext beside an older version.</summary>
    private string FreeRawPath(string folder, string name, string sha)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var version = 1; ; version++)
        {
            var candidate = $"{folder}/{(version == 1 ? name : $"{stem}.v{version}{extension}")}";
            var full = paths.Full(candidate);
            if (!File.Exists(full) && !ledger.UsesRawPath(candidate))
            {
                return candidate;
            }

            // A copy left by a run that stopped before its ledger line is this same content: reuse it.
            if (File.Exists(full) && !ledger.UsesRawPath(candidate) && Hashing.OfFile(full) == sha)
            {
                return candidate;
            }
        }
    }

    /// <summary>Writes the raw copy when it is missing or damaged, and marks it read-only.</summary>
    private Dictionary<string, string> EnsureRawCopy(string rawPath, byte[] bytes, string sha)
    {
        var full = paths.Full(rawPath);
        if (!File.Exists(full) || Hashing.OfFile(full) != sha)
        {
            if (File.Exists(full))
            {
                log.Warning("Raw copy {RawPath} did not match its ledger hash; restored from landing", rawPath);
                File.SetAttributes(full, FileAttributes.Normal);
                MakeWritable(full);
            }

            AtomicFile.WriteAllBytes(full, bytes);
            MakeReadOnly(full);
        }

        return new Dictionary<string, string>(StringComparer.Ordinal) { [rawPath] = sha };
    }

    private ItemResult Quarantine(LandingFile file, byte[] bytes, string sha, RawFileKind? kind, IReadOnlyList<RawProblem> problems)
    {
        var platform = kind?.Platform ?? Unknown;
        // Landing is usually organised by platform already: landing/toolost/x.json goes to
        // quarantine/toolost/x.json, not quarantine/toolost/toolost/x.json.
        var relative = file.Relative.StartsWith(platform + "/", StringComparison.Ordinal)
            ? file.Relative[(platform.Length + 1)..]
            : file.Relative;
        var target = $"quarantine/{platform}/{relative}";
        var reason = target + ".reason.json";
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [target] = AtomicFile.WriteAllBytes(paths.Full(target), bytes),
            [reason] = AtomicFile.WriteAllText(paths.Full(reason), JsonConvert.SerializeObject(new
            {
                file = file.Relative,
                sha256 = sha,
                size = bytes.LongLength,
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

    private static void MakeReadOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, FileAttributes.ReadOnly);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    private static void MakeWritable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
