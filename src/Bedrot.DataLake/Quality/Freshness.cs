using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Quality;

/// <summary>Two files of one dataset that hold the same periods, and what happens to the repeated rows.</summary>
public sealed record FreshnessOverlap(string First, string Second, string Periods, int Count, string Resolution);

/// <summary>
/// How fresh one dataset is as of a date: its newest period, the newest one expected, the score,
/// the missing periods (gaps, including the ones after the newest that should be there) and the
/// files that overlap.
/// </summary>
public sealed record FreshnessResult(
    string Cadence,
    string Basis,
    int LagDays,
    int Window,
    string? Newest,
    string Expected,
    double Score,
    IReadOnlyList<string> Gaps,
    IReadOnlyList<FreshnessOverlap> Overlaps)
{
    /// <summary>
    /// Judges a dataset. <paramref name="files"/> holds each staged file's coverage (see
    /// <see cref="Coverage"/>). The score is the share of the last <see cref="FreshnessRule.Window"/>
    /// periods up to the expected newest one (the period holding <paramref name="asOf"/> less the lag)
    /// that hold data, counting only periods from the dataset's first one; newer data than expected
    /// is fine.
    /// </summary>
    public static FreshnessResult Judge(FreshnessRule rule, DateOnly asOf, IReadOnlyList<(string File, string Coverage)> files, string resolution)
    {
        var cadence = rule.Cadence;
        var expected = Coverage.Start(asOf.AddDays(-rule.LagDays), cadence);
        var present = new SortedSet<DateOnly>(files.SelectMany(f => Coverage.Periods(Coverage.Ranges(f.Coverage), cadence)));
        var basis = rule.Field ?? "the day each file was taken";
        if (present.Count == 0)
        {
            return new FreshnessResult(cadence, basis, rule.LagDays, rule.Window, null, Coverage.Text(expected, cadence), 0,
                [$"no data up to {Coverage.Text(expected, cadence)}"], []);
        }

        var first = present.Min;
        var windowStart = expected;
        for (var i = 1; i < rule.Window && windowStart > first; i++)
        {
            windowStart = cadence == "month" ? windowStart.AddMonths(-1) : windowStart.AddDays(-1);
        }

        var window = 0;
        var held = 0;
        for (var period = windowStart; period <= expected; period = Coverage.Next(period, cadence))
        {
            window++;
            held += present.Contains(period) ? 1 : 0;
        }

        // A dataset judged by the days its files were taken needs one file no older than expected;
        // a data series needs every period of its window, and its gaps are listed over its whole history.
        var bySnapshot = rule.Field is null;
        var score = first > expected || (bySnapshot && present.Max >= expected) ? 1 : bySnapshot ? 0 : (double)held / window;
        var gaps = new List<DateOnly>();
        var end = present.Max > expected ? present.Max : expected;
        for (var period = bySnapshot ? Coverage.Next(present.Max, cadence) : first; period <= end; period = Coverage.Next(period, cadence))
        {
            if (!present.Contains(period))
            {
                gaps.Add(period);
            }
        }

        var overlaps = new List<FreshnessOverlap>();
        if (rule.Field is not null)
        {
            var sets = files.Select(f => (f.File, Periods: Coverage.Periods(Coverage.Ranges(f.Coverage), cadence).ToHashSet())).ToList();
            for (var a = 0; a < sets.Count; a++)
            {
                for (var b = a + 1; b < sets.Count; b++)
                {
                    var shared = sets[a].Periods.Intersect(sets[b].Periods).Select(p => Coverage.Text(p, cadence)).ToList();
                    if (shared.Count > 0)
                    {
                        overlaps.Add(new FreshnessOverlap(sets[a].File, sets[b].File, Coverage.Format(shared, cadence), shared.Count, resolution));
                    }
                }
            }
        }

        return new FreshnessResult(cadence, basis, rule.LagDays, rule.Window, Coverage.Text(present.Max, cadence), Coverage.Text(expected, cadence),
            score, Coverage.Format(gaps.Select(g => Coverage.Text(g, cadence)), cadence).Split(' ', StringSplitOptions.RemoveEmptyEntries), overlaps);
    }
}
