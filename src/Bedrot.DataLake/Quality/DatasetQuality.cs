namespace Bedrot.DataLake.Quality;

/// <summary>
/// The rows and the five scores of one dataset (a staging dataset, or a unified one). Every score is
/// in [0,1] and 1 when there is nothing to judge; each is defined in <see cref="QualityReporter.Definitions"/>.
/// </summary>
public sealed record DatasetQuality(string Dataset, int Files, long RowsIn, long RowsOut, long RowsRejected,
    IReadOnlyDictionary<string, long> RejectsByRule)
{
    /// <summary>The rules that reject a row for breaking a business rule (a negative count, a ctr above 1): they lower accuracy, not validity.</summary>
    public static readonly IReadOnlyList<string> BusinessRules = ["minimum", "maximum"];

    public static readonly IReadOnlyList<string> ScoreNames = ["completeness", "validity", "consistency", "freshness", "accuracy"];

    /// <summary><c>staging</c> or <c>unified</c>.</summary>
    public string Layer { get; init; } = "staging";

    /// <summary>Rows kept but flagged by a soft check, by check.</summary>
    public IReadOnlyDictionary<string, long> WarningsByCheck { get; init; } = new Dictionary<string, long>();

    public long RowsWarned => WarningsByCheck.Values.Sum();

    /// <summary>Rows kept but flagged by a plausibility check (<c>between</c>).</summary>
    public long FlaggedImplausible { get; init; }

    /// <summary>Comparisons of one measure against another (rows a <c>ratioOf</c> check ran on, keys two sources both report).</summary>
    public long Compared { get; init; }

    /// <summary>Comparisons that disagreed beyond their tolerance.</summary>
    public long Disagreed { get; init; }

    /// <summary>The freshness judgement, or null when the dataset has no periods to judge.</summary>
    public FreshnessResult? FreshnessDetail { get; init; }

    /// <summary>Where a person looks when a score is low (rejects, warnings, precedence files), by score.</summary>
    public IReadOnlyDictionary<string, string> LookAt { get; init; } = new Dictionary<string, string>();

    /// <summary>Rows not rejected for a missing required value, over rows read.</summary>
    public double Completeness => Share(RejectsByRule.GetValueOrDefault("required"), RowsIn);

    /// <summary>Rows not rejected for a type, pattern, enum, length, key or structure rule, over rows read.</summary>
    public double Validity => Share(RowsRejected - RejectsByRule.GetValueOrDefault("required") - BusinessRejects, RowsIn);

    /// <summary>Comparisons that agree, over comparisons made.</summary>
    public double Consistency => Share(Disagreed, Compared);

    /// <summary>Expected periods present in the freshness window, over the window.</summary>
    public double Freshness => FreshnessDetail?.Score ?? 1;

    /// <summary>Rows neither rejected by a business rule nor flagged as implausible, over rows read.</summary>
    public double Accuracy => Share(BusinessRejects + FlaggedImplausible, RowsIn);

    public long BusinessRejects => BusinessRules.Sum(r => RejectsByRule.GetValueOrDefault(r));

    public double ScoreOf(string name) => name switch
    {
        "completeness" => Completeness,
        "validity" => Validity,
        "consistency" => Consistency,
        "freshness" => Freshness,
        "accuracy" => Accuracy,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a score"),
    };

    private static double Share(long bad, long of) => of <= 0 ? 1 : Math.Clamp(1 - (double)bad / of, 0, 1);
}
