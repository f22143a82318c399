using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// Runs a sequence on a second thread, a batch ahead of its reader: a big file's rows are parsed
/// and converted on one core while the other writes the rows before them. Order is kept, at most
/// a few batches wait in memory, and an exception reaches the reader where the item would have.
/// </summary>
internal static class ReadAhead
{
    public static IEnumerable<T> Of<T>(IEnumerable<T> source, int batchSize = 1024, int batchesAhead = 4)
    {
        var batches = new Handoff<List<T>>(batchesAhead);
        ExceptionDispatchInfo? failure = null;
        var producer = new Thread([MethodImpl(MethodImplOptions.AggressiveOptimization)] () =>
        {
            var batch = new List<T>(batchSize);
            try
            {
                foreach (var item in source)
                {
                    batch.Add(item);
                    if (batch.Count == batchSize)
                    {
                        if (!batches.Add(batch))
                        {
                            // The reader stopped early: nothing more is wanted.
                            return;
                        }

                        batch = new List<T>(batchSize);
                    }
                }

                batches.Add(batch);
            }
            catch (Exception e)
            {
                // The items before the failure are still delivered, then the failure.
                failure = ExceptionDispatchInfo.Capture(e);
                batches.Add(batch);
            }
            finally
            {
                batches.Complete();
            }
        })
        {
            IsBackground = true,
            Name = "read-ahead",
        };
        producer.Start();

        try
        {
            while (batches.TryTake(out var batch))
            {
                foreach (var item in batch)
                {
                    yield return item;
                }
            }

            producer.Join();
            failure?.Throw();
        }
        finally
        {
            batches.Cancel();
            producer.Join();
        }
    }
}
