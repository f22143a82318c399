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
    private const int Capacity = 4096;
    private const int Trial = 2048;

    private readonly Dictionary<TKey, TValue> _known = new(comparer);
    private int _lookups;
    private int _hits;
    private bool _off;

    /// <summary>Whether <paramref name="key"/>'s result is known; when it is not, call <see cref="Remember"/> with it.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (_off)
        {
            value = default!;
            return false;
        }

        if (_lookups < Trial && ++_lookups == Trial && _hits < Trial / 2)
        {
            _off = true;
            _known.Clear();
        }

        if (_known.TryGetValue(key, out value!))
        {
            _hits++;
            return true;
        }

        return false;
    }

    public TValue Remember(TKey key, TValue value)
    {
        if (_off)
        {
            return value;
        }

        if (_known.Count >= Capacity)
        {
            _known.Clear();
        }

        _known[key] = value;
        return value;
    }
}
