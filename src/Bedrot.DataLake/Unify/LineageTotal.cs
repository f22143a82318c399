using System.Globalization;
using Bedrot.DataLake.Schemas;
using Newtonsoft.Json;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// What a staging dataset carries into a unified dataset, for control totals from raw to unified:
/// the unified <see cref="Target"/>, the <see cref="Source"/> its rows are labelled with, the
/// staging field holding each row's date, each staging field feeding a summed unified measure, the
/// staging values a row must have to be taken (the unify rule's <c>where</c>), and the constant key
/// columns that tell apart rules of one source feeding one measure (a long table's <c>metric</c>).
/// </summary>
public sealed record LineageSpec(
    string Target,
    string Source,
    string DateField,
    IReadOnlyList<(string Field, string Measure)> Measures,
    IReadOnlyDictionary<string, string> Where)
{
    /// <summary>The label of rows without a readable date.</summary>
    public const string NoMonth = "(no date)";

    /// <summary>Constant key columns whose value differs between the rules of this source (e.g. metric=profile_views).</summary>
    public IReadOnlyList<(string Column, string Value)> Discriminators { get; init; } = [];

    /// <summary>The name a measure's lines carry: the measure, with the discriminators when there are any (<c>value[metric=views]</c>).</summary>
    public string Label(string measure) => Label(measure, Discriminators);

    public static string Label(string measure, IEnumerable<(string Column, string Value)> discriminators)
    {
        var parts = discriminators.Select(d => $"{d.Column}={d.Value}").ToList();
        return parts.Count == 0 ? measure : $"{measure}[{string.Join(",", parts)}]";
    }

    /// <summary>The spec of every unify rule that feeds a summed measure, judged together: rules of one target and source are told apart by their differing constant key columns.</summary>
    public static IReadOnlyList<(UnifySource Rule, LineageSpec Spec)> Of(IEnumerable<UnifySource> rules, Func<string, TableSchema> targetSchema)
    {
        var targets = new Dictionary<string, TableSchema>(StringComparer.Ordinal);
        var specs = rules.Select(rule =>
            {
                // Each target's schema is loaded once, however many rules feed it.
                var target = targets.TryGetValue(rule.Target, out var known) ? known : targets[rule.Target] = targetSchema(rule.Target);
                var measures = target.Fields
                    .Where(f => f.Aggregate == "sum" && rule.Columns.TryGetValue(f.Name, out var from) && !from.StartsWith('='))
                    .Select(f => (rule.Columns[f.Name], f.Name))
                    .ToList();
                return (Rule: rule, Key: target.PrimaryKey,
                    Spec: new LineageSpec(rule.Target, SourceOf(rule), rule.Columns.GetValueOrDefault("date") ?? string.Empty, measures, rule.Where));
            })
            .Where(s => s.Spec.Measures.Count > 0 && s.Spec.DateField.Length > 0 && !s.Spec.DateField.StartsWith('='))
            .ToList();
        return specs
            .GroupBy(s => (s.Spec.Target, s.Spec.Source))
            .SelectMany(group =>
            {
                var constants = group.Select(s => s.Key
                        .Where(k => k != "source" && s.Rule.Columns.GetValueOrDefault(k) is { } c && c.StartsWith('='))
                        .ToDictionary(k => k, k => s.Rule.Columns[k][1..], StringComparer.Ordinal))
                    .ToList();
                var differing = constants.SelectMany(c => c.Keys).Distinct()
                    .Where(k => constants.Select(c => c.GetValueOrDefault(k)).Distinct().Count() > 1)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                return group.Select((s, i) => (s.Rule, s.Spec with
                {
                    Discriminators = differing.Select(k => (k, constants[i].GetValueOrDefault(k) ?? string.Empty)).ToList(),
                }));
            })
            .ToList();
    }

    /// <summary>The source label of a unify rule's rows: its constant <c>source</c>, else the dataset's name.</summary>
    public static string SourceOf(UnifySource rule) =>
        rule.Columns.GetValueOrDefault("source") is { } source && source.StartsWith('=') ? source[1..] : rule.Dataset.Name;

    /// <summary>The month label (yyyy-MM) of a date value.</summary>
    public static string MonthOf(object? value) => value switch
    {
        DateOnly date => date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        DateTimeOffset moment => moment.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => NoMonth,
    };

    public static decimal Amount(object? value) => value switch
    {
        long whole => whole,
        int whole => whole,
        decimal number => number,
        _ => 0m,
    };
}

/// <summary>
/// One raw file's total of one measure in one month, as its parser read it (<see cref="Read"/>, every
/// row with a readable value) and the part in rows staging rejected (<see cref="Rejected"/>).
/// </summary>
public sealed record RawTotal(string Target, string Source, string Month, string Measure, decimal Read, decimal Rejected)
{
    public static string Serialize(IEnumerable<RawTotal> totals) =>
        JsonConvert.SerializeObject(totals
            .OrderBy(t => t.Target, StringComparer.Ordinal).ThenBy(t => t.Source, StringComparer.Ordinal)
            .ThenBy(t => t.Month, StringComparer.Ordinal).ThenBy(t => t.Measure, StringComparer.Ordinal)
            .Select(t => new[] { t.Target, t.Source, t.Month, t.Measure, Text(t.Read), Text(t.Rejected) }));

    public static IReadOnlyList<RawTotal> Parse(string? text) =>
        string.IsNullOrEmpty(text)
            ? []
            : (JsonConvert.DeserializeObject<string[][]>(text) ?? [])
                .Select(t => new RawTotal(t[0], t[1], t[2], t[3],
                    decimal.Parse(t[4], CultureInfo.InvariantCulture), decimal.Parse(t[5], CultureInfo.InvariantCulture)))
                .ToList();

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// One source, month and measure followed from raw to unified. Two hops must hold exactly:
/// raw less what staging rejected is what staging holds; staging less what latest-snapshot-wins
/// removed, what unify rejected and what source precedence set aside is what the unified dataset
/// holds. Any other difference is an error.
/// </summary>
public sealed class LineageRow
{
    public static readonly IReadOnlyList<string> Header =
    [
        "source", "month", "measure", "raw", "rejected_in_staging", "staged", "removed_latest_snapshot",
        "rejected_in_unify", "set_aside_by_precedence", "unified", "status",
    ];

    public decimal Raw { get; set; }
    public decimal RejectedInStaging { get; set; }
    public decimal Staged { get; set; }
    public decimal RemovedBySnapshot { get; set; }
    public decimal RejectedInUnify { get; set; }
    public decimal SetAside { get; set; }
    public decimal Unified { get; set; }

    /// <summary>Nothing to follow: every amount is zero.</summary>
    public bool IsEmpty => Raw == 0m && RejectedInStaging == 0m && Staged == 0m && RemovedBySnapshot == 0m
                           && RejectedInUnify == 0m && SetAside == 0m && Unified == 0m;

    public string Status =>
        Raw - RejectedInStaging != Staged
            ? $"raw {Format(Raw)} less rejected {Format(RejectedInStaging)} is not staged {Format(Staged)}"
            : Staged - RemovedBySnapshot - RejectedInUnify - SetAside != Unified
                ? $"staged {Format(Staged)} less removed {Format(RemovedBySnapshot)}, rejected {Format(RejectedInUnify)} and set aside {Format(SetAside)} is not unified {Format(Unified)}"
                : "ok";

    public IReadOnlyList<string?> Record(string source, string month, string measure) =>
    [
        source, month, measure, Format(Raw), Format(RejectedInStaging), Format(Staged), Format(RemovedBySnapshot),
        Format(RejectedInUnify), Format(SetAside), Format(Unified), Status,
    ];

    private static string Format(decimal value) => Staging.FieldValues.FormatNumber(value);
}
