using System.Text;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using CsvHelper;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Hostile;

/// <summary>What one hostile case left behind: the run, and the bytes it allocated.</summary>
public sealed record HostileResult(BedrotRun Run, long AllocatedBytes);

/// <summary>
/// Runs one hostile case on a copy of a baseline lake and checks what every case must satisfy:
/// the run goes on, the file is quarantined or its rows rejected with a reason holding the case's
/// words, landing is untouched, and nothing else in the lake changes.
/// </summary>
internal static class HostileCheck
{
    private const string LedgerPath = "raw/_ledger.jsonl";

    public static HostileResult Verify(LakeBaseline baseline, HostileCase hostile)
    {
        // Given a copy of the baseline lake, and the hostile file in landing
        using var lake = baseline.Copy();
        hostile.Drop(lake);
        var landing = HostileLake.Snapshot(lake.Landing);
        var ledgerBefore = File.ReadAllBytes(lake.InLake(LedgerPath));

        // When the default target runs
        BedrotRun? run = null;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var error = Record.Exception(() => run = lake.Run(hostile.Options));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // Then the run goes on: no exception, and every step succeeds
        Assert.True(error is null, $"{hostile.Id}: the run threw {error}");
        var failed = run!.Report.Steps.Where(s => s.Status != "succeeded" || s.ItemsFailed > 0).ToList();
        Assert.True(failed.Count == 0 && run.Report.Status == "succeeded",
            $"{hostile.Id}: steps failed: {string.Join("; ", failed.SelectMany(s => s.Errors.Prepend(s.Step)))}");

        var after = HostileLake.Snapshot(lake.Lake);
        var added = after.Keys.Where(k => !baseline.Lake.ContainsKey(k) && !IsVolatile(k)).Order(StringComparer.Ordinal).ToList();
        var changed = baseline.Lake.Where(f => !IsVolatile(f.Key) && after.GetValueOrDefault(f.Key) != f.Value)
            .Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        var story = Describe(hostile, lake, added, changed);

        switch (hostile.Expected)
        {
            case Quarantined quarantined:
                CheckQuarantined(hostile, quarantined, lake, landing, after, added, changed, story);
                break;
            case Unread unread:
                CheckUnread(hostile.Path, unread, lake, added, changed, story);
                break;
            case UnitQuarantined unit:
                CheckUnit(hostile, unit, lake, landing, after, added, changed, story);
                break;
            case RowsRejected rejected:
                CheckRejected(hostile, rejected, lake, ledgerBefore, added, changed, story);
                break;
            default:
                throw new InvalidOperationException($"Unknown outcome {hostile.Expected}");
        }

        // And landing is never modified
        Assert.Equal(landing, HostileLake.Snapshot(lake.Landing));
        hostile.Also?.Invoke(lake);
        return new HostileResult(run, allocated);
    }

    /// <summary>The full text of every problem in a reason file, for word checks.</summary>
    public static string Problems(JObject reason) =>
        string.Join("\n", ((JArray)reason["problems"]!).Select(p => $"{p["where"]}: {p["problem"]}"));

    /// <summary>The lake's files (lake-relative) whose bytes contain <paramref name="marker"/>.</summary>
    public static IEnumerable<string> FilesContaining(HostileLake lake, byte[] marker) =>
        Directory.EnumerateFiles(lake.Lake, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllBytes(f).AsSpan().IndexOf(marker) >= 0)
            .Select(f => Path.GetRelativePath(lake.Lake, f).Replace('\\', '/'));

    private static void CheckQuarantined(HostileCase hostile, Quarantined expected, HostileLake lake,
        Dictionary<string, string> landing, Dictionary<string, string> after, List<string> added, List<string> changed, string story)
    {
        // Then the file sits in quarantine/<platform>/, byte-identical, with its reason
        var target = QuarantinePath(expected.Platform, hostile.Path);
        Assert.True(added.SequenceEqual([target, target + ".reason.json"], StringComparer.Ordinal),
            $"expected only {target} and its reason to be added.{story}");
        Assert.True(changed.Count == 0, $"nothing else may change.{story}");
        Assert.Equal(landing[hostile.Path], after[target]);

        // And the reason names the problem
        var reason = JObject.Parse(File.ReadAllText(lake.InLake(target + ".reason.json")));
        Assert.Equal(expected.Platform, (string?)reason["platform"]);
        Assert.Equal(hostile.Path, (string?)reason["file"]);
        AssertWords(expected.Words, Problems(reason), story);
    }

    private static void CheckUnread(string path, Unread expected, HostileLake lake, List<string> added, List<string> changed, string story)
    {
        // Then only a reason is written, under quarantine/unknown/, and nothing else changes
        var reasonPath = $"quarantine/{RawPromoter.Unknown}/{path}.reason.json";
        Assert.True(added.SequenceEqual([reasonPath], StringComparer.Ordinal), $"expected only {reasonPath} to be added.{story}");
        Assert.True(changed.Count == 0, $"nothing else may change.{story}");

        // And the reason says the file was not read, and names why
        var reason = JObject.Parse(File.ReadAllText(lake.InLake(reasonPath)));
        Assert.Equal(RawPromoter.Unknown, (string?)reason["platform"]);
        Assert.Contains("not read", (string?)reason["note"], StringComparison.Ordinal);
        AssertWords(expected.Words, Problems(reason), story);
    }

    private static void CheckUnit(HostileCase hostile, UnitQuarantined expected, HostileLake lake,
        Dictionary<string, string> landing, Dictionary<string, string> after, List<string> added, List<string> changed, string story)
    {
        // Then every file of the unit is quarantined: copied with its reason, or named unread
        var limit = (long)(hostile.Options?.Invoke(lake.Options()) ?? lake.Options()).MaxFileMegabytes << 20;
        var members = landing.Keys.Where(k => k.StartsWith(hostile.Path + "/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(members);
        var copied = new List<(string Member, string Target)>();
        var expectedAdded = new List<string>();
        foreach (var member in members)
        {
            var unread = landing[member].StartsWith("link:", StringComparison.Ordinal) || new FileInfo(lake.InLanding(member)).Length > limit;
            if (unread)
            {
                expectedAdded.Add($"quarantine/{RawPromoter.Unknown}/{member}.reason.json");
                continue;
            }

            var target = QuarantinePath(expected.Platform, member);
            copied.Add((member, target));
            expectedAdded.Add(target);
            expectedAdded.Add(target + ".reason.json");
        }

        Assert.True(added.SequenceEqual(expectedAdded.Order(StringComparer.Ordinal), StringComparer.Ordinal),
            $"expected exactly {string.Join(", ", expectedAdded)} to be added.{story}");
        Assert.True(changed.Count == 0, $"nothing else may change.{story}");

        // And each copied member is byte-identical, and its reason names the unit's problems
        Assert.NotEmpty(copied);
        foreach (var (member, target) in copied)
        {
            Assert.Equal(landing[member], after[target]);
            var reason = JObject.Parse(File.ReadAllText(lake.InLake(target + ".reason.json")));
            Assert.Equal(expected.Platform, (string?)reason["platform"]);
            AssertWords(expected.Words, Problems(reason), story);
        }
    }

    private static void CheckRejected(HostileCase hostile, RowsRejected expected, HostileLake lake, byte[] ledgerBefore,
        List<string> added, List<string> changed, string story)
    {
        // Then the file is promoted: one ledger line is appended, and the raw copy has its sidecar
        // Only the ledger may change, and the control totals from raw to unified, which count the rejected
        // rows' amounts on their raw side; every one of their lines must still reconcile.
        Assert.True(changed.All(c => c == LedgerPath || IsLineage(c)), $"only the ledger and the control totals may change.{story}");
        foreach (var lineage in changed.Where(IsLineage))
        {
            Assert.True(File.ReadAllLines(lake.InLake(lineage)).Skip(1).All(l => l.EndsWith(",ok", StringComparison.Ordinal)),
                $"{lineage} must still reconcile.{story}");
        }

        var ledgerAfter = File.ReadAllBytes(lake.InLake(LedgerPath));
        Assert.True(ledgerAfter.AsSpan().StartsWith(ledgerBefore), $"the ledger may only grow.{story}");
        var ledger = Ledger.Load(lake.InLake(LedgerPath));
        Assert.Empty(ledger.Problems);
        var promoted = Assert.Single(ledger.Entries, e => e.Source == hostile.Path);
        Assert.Equal(LedgerEntry.Promoted, promoted.Event);
        Assert.Same(ledger.Entries[^1], promoted);

        var raw = added.Where(a => a.StartsWith("raw/", StringComparison.Ordinal)).ToList();
        Assert.Equal([promoted.RawPath, promoted.RawPath + ".lineage.json"], raw);

        // And nothing else but its staging output and its rejects appears: nothing in quarantine or cross_platform
        var staging = added.Except(raw).ToList();
        Assert.True(staging.All(s => s.StartsWith("staging/", StringComparison.Ordinal)
                                     && !s.StartsWith("staging/cross_platform/", StringComparison.Ordinal)
                                     && !s.StartsWith("staging/_warnings/", StringComparison.Ordinal)),
            $"only staging outputs and rejects may be added.{story}");
        var rejectFiles = staging.Where(s => s.StartsWith("staging/_rejects/", StringComparison.Ordinal)).ToList();
        Assert.True(rejectFiles.Count > 0, $"expected a rejects file.{story}");
        foreach (var output in staging.Except(rejectFiles))
        {
            Assert.True(File.ReadAllText(lake.InLake(output)).TrimEnd('\n').Split('\n').Length == 1,
                $"{output} must hold only its header: every row is rejected.{story}");
        }

        // And each rejected row names its rule and field, and the reason names the problem
        var rejects = rejectFiles.SelectMany(f => ReadCsv(lake.InLake(f))).ToList();
        Assert.True(rejects.Count == expected.Rows, $"expected {expected.Rows} rejected row(s), found {rejects.Count}.{story}");
        Assert.All(rejects, r => Assert.Equal(promoted.RawPath, r["source_file"]));
        Assert.All(rejects, r => Assert.Equal(promoted.Sha256, r["raw_sha256"]));
        Assert.All(rejects, r => Assert.False(string.IsNullOrEmpty(r["rule"])));
        var named = rejects.Where(r => r["rule"] == expected.Rule && r["field"] == expected.Field).ToList();
        Assert.True(named.Count > 0, $"expected a '{expected.Rule}' reject of field '{expected.Field}'.{story}");
        AssertWords(expected.Words, string.Join("\n", named.Select(r => $"{r["locator"]}: {r["value"]}: {r["message"]}")), story);
    }

    private static void AssertWords(IEnumerable<string> words, string text, string story)
    {
        foreach (var word in words)
        {
            Assert.True(text.Contains(word, StringComparison.OrdinalIgnoreCase), $"the reason must say '{word}'; it says: {text}{story}");
        }
    }

    /// <summary>Where quarantine puts a landing file: a landing folder named like the platform is not repeated.</summary>
    private static string QuarantinePath(string platform, string landingPath) =>
        "quarantine/" + platform + "/" + (landingPath.StartsWith(platform + "/", StringComparison.Ordinal)
            ? landingPath[(platform.Length + 1)..]
            : landingPath);

    private static bool IsVolatile(string path) =>
        path.StartsWith(".bedrot/", StringComparison.Ordinal) || path.StartsWith("staging/quality_reports/", StringComparison.Ordinal);

    internal static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = CsvReader.FromFile(path, new CsvReaderOptions { Separator = ',', HasHeader = true, AllowLineBreaksInQuotes = true });
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(reader.Headers.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => reader.GetString(p.i), StringComparer.Ordinal));
        }

        return rows;
    }

    private static bool IsLineage(string path) =>
        path.StartsWith("staging/cross_platform/", StringComparison.Ordinal) && path.Contains("_lineage_totals_", StringComparison.Ordinal);

    private static string Describe(HostileCase hostile, HostileLake lake, List<string> added, List<string> changed)
    {
        var text = new StringBuilder();
        text.Append("\n--- ").Append(hostile.Id).Append(" (").Append(hostile.Path).Append(")\nadded: ")
            .AppendJoin(", ", added).Append("\nchanged: ").AppendJoin(", ", changed);
        foreach (var file in added.Where(a => a.EndsWith(".reason.json", StringComparison.Ordinal) || a.StartsWith("staging/_", StringComparison.Ordinal)))
        {
            var content = File.ReadAllText(lake.InLake(file));
            text.Append("\n== ").Append(file).Append('\n').Append(content.Length > 3000 ? content[..3000] + "..." : content);
        }

        return text.ToString();
    }
}
