namespace Bedrot.DataLake.Staging;

/// <summary>
/// Results remembered per distinct key, for a column whose values repeat (a date, a store, an
/// artist, a month): each is computed once instead of once per row. A column whose values do not
/// repeat (amounts, IDs) would only fill the table, so after a trial the table switches itself off
/// when fewer than half of the lookups found something; it is also cleared whenever it is full.
/// </summary>
internal sealed class Recall<TKey, TValue>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _known = new(comparer);
    private RepeatTrial _trial;

    /// <summary>Whether <paramref name="key"/>'s result is known; when it is not, call <see cref="Remember"/> with it.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (!_trial.Looking(_known))
        {
            value = default!;
            return false;
        }

        if (_known.TryGetValue(key, out value!))
        {
            _trial.Found();
            return true;
        }

        return false;
    }

    public TValue Remember(TKey key, TValue value)
    {
        if (_trial.Keeping(_known))
        {
            _known[key] = value;
        }

        return value;
    }
}

/// <summary>
/// When a remembering table (<see cref="Recall{TKey,TValue}"/>, <see cref="StringRecall"/>) is
/// worth it: it is switched off, and emptied, when fewer than half of its first lookups found
/// something, and emptied whenever it holds <see cref="Capacity"/> entries.
/// </summary>
internal struct RepeatTrial
{
    private const int Capacity = 4096;
    private const int Trial = 2048;

    private int _lookups;
    private int _hits;
    private bool _off;

    /// <summary>Counts a lookup about to be made in <paramref name="table"/>; false when the table is off.</summary>
    public bool Looking<TKey, TValue>(Dictionary<TKey, TValue> table)
        where TKey : notnull
    {
        if (!_off && _lookups < Trial && ++_lookups == Trial && _hits < Trial / 2)
        {
            _off = true;
            table.Clear();
        }

        return !_off;
    }

    public void Found() => _hits++;

    /// <summary>Whether a new entry is to be kept in <paramref name="table"/>, which is emptied first when full.</summary>
    public readonly bool Keeping<TKey, TValue>(Dictionary<TKey, TValue> table)
        where TKey : notnull
    {
        if (_off)
        {
            return false;
        }

        if (table.Count >= Capacity)
        {
            table.Clear();
        }

        return true;
    }
}
