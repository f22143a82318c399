namespace Bedrot.DataLake.Unify;

/// <summary>
/// The summed measures of one control-total group (by default source, platform and month): in the
/// winning staging rows, set aside because a more trusted source reported the same key, and in
/// the unified output. For every measure, staging less set-aside must equal unified.
/// </summary>
public sealed record ControlTotal(IReadOnlyList<string> Group)
{
    public Dictionary<string, decimal> Staging { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, decimal> Superseded { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, decimal> Unified { get; } = new(StringComparer.Ordinal);

    public bool Reconciles => Staging.Keys.Concat(Unified.Keys).Distinct()
        .All(m => Staging.GetValueOrDefault(m) - Superseded.GetValueOrDefault(m) == Unified.GetValueOrDefault(m));
}
