namespace Bedrot.DataLake.Staging;

/// <summary>A row that broke a hard rule: where it is, which rule, which field, what value.</summary>
public sealed record RowReject(string Locator, string Rule, string Field, string? Value, string Message);

/// <summary>The counters the quality report reads from a step's rejected and warned rows.</summary>
public static class RuleCounts
{
    /// <summary>
    /// <c>rows_rejected</c> and <c>rejected.&lt;rule&gt;</c>; <c>rows_warned</c> and <c>warned.&lt;check&gt;</c>;
    /// <c>checked.consistency</c> (the rows kept, when the schema has a ratio check); and
    /// <c>flagged.consistency</c> / <c>flagged.accuracy</c>, the rows flagged by at least one check of that kind.
    /// </summary>
    public static Dictionary<string, long> Of(Schemas.TableSchema schema, IReadOnlyCollection<RowReject> rejects,
        IReadOnlyCollection<RowReject> warnings, long rowsKept)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["rows_rejected"] = rejects.Count,
            ["rows_warned"] = warnings.Count,
            ["checked.consistency"] = schema.Checks.Any(c => c.Score == "consistency") ? rowsKept : 0,
        };
        foreach (var group in rejects.GroupBy(r => r.Rule, StringComparer.Ordinal))
        {
            counts["rejected." + group.Key] = group.Count();
        }

        foreach (var group in warnings.GroupBy(w => w.Rule, StringComparer.Ordinal))
        {
            counts["warned." + group.Key] = group.Count();
        }

        var scoreOf = schema.Checks.ToDictionary(c => c.Name, c => c.Score, StringComparer.Ordinal);
        foreach (var score in new[] { "consistency", "accuracy" })
        {
            counts["flagged." + score] = warnings.Where(w => scoreOf.GetValueOrDefault(w.Rule) == score)
                .Select(w => w.Locator).Distinct(StringComparer.Ordinal).Count();
        }

        return counts;
    }
}
