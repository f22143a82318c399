namespace Bedrot.DataLake.Incremental;

/// <summary>Decides whether a work item runs, and says why in words a person reads.</summary>
/// <param name="hashOfOutput">The hash of a lake-relative file, or null when it is missing.</param>
/// <param name="force">Whether every item runs.</param>
public sealed class Planner(Func<string, string?> hashOfOutput, bool force)
{
    /// <summary>
    /// Whether a lake-relative file is there with a recorded hash, answered without making its hash's
    /// text when that can be known more cheaply; the hash of the output still says what is wrong.
    /// </summary>
    internal Func<string, string, bool>? IsIntact { get; init; }

    /// <summary>The reason the item must run, or null when it is up to date.</summary>
    public string? ReasonToRun(ItemState? previous, Fingerprint fingerprint)
    {
        if (previous is null)
        {
            return "new";
        }

        if (force)
        {
            return "forced (--force)";
        }

        if (previous.Fingerprint != fingerprint.Value)
        {
            return DescribeChanges(previous.Parts, fingerprint.Parts);
        }

        foreach (var (path, recorded) in previous.Files)
        {
            if (IsIntact?.Invoke(path, recorded) == true)
            {
                continue;
            }

            var actual = hashOfOutput(path);
            if (actual is null)
            {
                return $"output missing ({path})";
            }

            if (actual != recorded)
            {
                return $"output changed ({path})";
            }
        }

        return null;
    }

    internal static string DescribeChanges(
        IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> now)
    {
        var reasons = new List<string>();
        foreach (var name in before.Keys.Union(now.Keys).OrderBy(n => n, StringComparer.Ordinal))
        {
            var had = before.TryGetValue(name, out var old);
            var has = now.TryGetValue(name, out var current);
            if (had && has && old == current)
            {
                continue;
            }

            var (kind, subject) = Split(name);
            reasons.Add((had, has, kind) switch
            {
                (false, _, "schema") => $"schema {subject} added",
                (_, false, "schema") => $"schema {subject} no longer used",
                (_, _, "schema") => $"schema {subject} changed",
                (false, _, "input") => $"new input {subject}",
                (_, false, "input") => $"input {subject} removed",
                (_, _, "input") => "input changed" + (subject.Length > 0 ? $" ({subject})" : string.Empty),
                (_, _, "code" or "step") => $"code changed ({subject}{(has ? " " + current : string.Empty)})",
                _ => $"{name} changed",
            });
        }

        return reasons.Count == 0 ? "fingerprint changed" : string.Join("; ", reasons);
    }

    private static (string Kind, string Subject) Split(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (name, name) : (name[..colon], name[(colon + 1)..]);
    }
}
