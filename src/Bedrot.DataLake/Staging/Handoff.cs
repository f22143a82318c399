namespace Bedrot.DataLake.Staging;

/// <summary>
/// A bounded queue between one thread that produces and one that consumes. A side that must wait
/// sleeps on the queue's monitor at once, without spinning: on a two-core machine a spinning
/// consumer would take the very core its producer needs.
/// </summary>
internal sealed class Handoff<T>(int capacity)
{
    private readonly Queue<T> _items = new(capacity);
    private bool _completed;
    private bool _cancelled;

    /// <summary>Adds an item, waiting while the queue is full; false when the consumer has gone.</summary>
    public bool Add(T item)
    {
        lock (_items)
        {
            while (_items.Count >= capacity && !_cancelled)
            {
                Monitor.Wait(_items);
            }

            if (_cancelled)
            {
                return false;
            }

            _items.Enqueue(item);
            Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>Takes the next item, waiting for one; false once the producer completed and all were taken.</summary>
    public bool TryTake(out T item)
    {
        lock (_items)
        {
            while (_items.Count == 0 && !_completed && !_cancelled)
            {
                Monitor.Wait(_items);
            }

            if (_items.Count == 0 || _cancelled)
            {
                item = default!;
                return false;
            }

            item = _items.Dequeue();
            Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>The producer is done: the consumer takes what is left, then stops.</summary>
    public void Complete()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>The consumer is done early: a waiting or later <see cref="Add"/> returns false.</summary>
    public void Cancel()
    {
        lock (_items)
        {
            _cancelled = true;
            Monitor.PulseAll(_items);
        }
    }
}
