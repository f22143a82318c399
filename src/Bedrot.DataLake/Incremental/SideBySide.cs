using System.Runtime.ExceptionServices;

namespace Bedrot.DataLake.Incremental;

/// <summary>Work over independent items, up to a number at a time, that ends as a loop over them in order would.</summary>
public static class SideBySide
{
    /// <summary>
    /// <paramref name="map"/> of each item, in the items' order, computed up to
    /// <paramref name="parallelism"/> at a time. When items throw, the first of them in order throws its
    /// own exception (not an aggregate), as it would have in a loop.
    /// </summary>
    public static TResult[] Map<T, TResult>(IReadOnlyList<T> items, int parallelism, Func<T, TResult> map)
    {
        var results = new TResult[items.Count];
        var errors = new Exception?[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            try
            {
                results[i] = map(items[i]);
            }
            catch (Exception error)
            {
                errors[i] = error;
            }
        });
        if (Array.Find(errors, e => e is not null) is { } first)
        {
            ExceptionDispatchInfo.Capture(first).Throw();
        }

        return results;
    }
}
