using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Quality;

/// <summary>
/// A file of a dataset that holds periods earlier files already hold: <see cref="Second"/> repeats
/// <see cref="Periods"/> (<see cref="Count"/> of them), first held by <see cref="First"/> and by
/// <see cref="OtherFiles"/> more; <see cref="Resolution"/> says what happens to the repeated rows.
/// </summary>
public sealed record FreshnessOverlap(string First, string Second, string Periods, int Count, string Resolution)
{
    public int OtherFiles { get; init; }
}

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
    /// <summary>The most overlapping files listed: a lake of thousands of repeating exports lists the first ones and counts the rest.</summary>
    public const int MostOverlapsListed = 100;

    /// <summary>How many files repeat periods of earlier files (all of them, listed or not).</summary>
    public int OverlapCount { get; init; }

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
        // Files of one dataset mostly repeat a few coverage texts: each text's periods are worked out once.
        var known = new Dictionary<string, List<DateOnly>>(StringComparer.Ordinal);
        List<DateOnly> PeriodsOf(string coverage)
        {
            if (!known.TryGetValue(coverage, out var periods))
            {
                periods = Coverage.Periods(Coverage.Ranges(coverage), cadence).Distinct().ToList();
                known[coverage] = periods;
            }

            return periods;
        }

        var texts = new HashSet<string>(files.Select(f => f.Coverage), StringComparer.Ordinal);
        var present = new SortedSet<DateOnly>(texts.SelectMany(PeriodsOf));
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

        // Each file against the files before it (in the order given: the order they were taken), in one
        // pass: which earlier file first held each period, and how many hold it so far.
        var overlaps = new List<FreshnessOverlap>();
        var overlapCount = 0;
        if (rule.Field is not null)
        {
            var holders = new Dictionary<DateOnly, (string First, int Files)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (file, coverage) in files)
            {
                var periods = PeriodsOf(coverage);
                if (overlaps.Count >= MostOverlapsListed)
                {
                    // Once the list is full only whether a file repeats a period counts: a coverage text
                    // seen before repeats all its periods, and a new one is looked at period by period.
                    var repeats = false;
                    if (seen.Add(coverage))
                    {
                        foreach (var period in periods)
                        {
                            repeats |= !holders.TryAdd(period, (file, 1));
                        }
                    }
                    else
                    {
                        repeats = periods.Count > 0;
                    }

                    overlapCount += repeats ? 1 : 0;
                    continue;
                }

                seen.Add(coverage);
                var shared = periods.Where(holders.ContainsKey).ToList();
                if (shared.Count > 0)
                {
                    overlapCount++;
                    if (overlaps.Count < MostOverlapsListed)
                    {
                        var earliest = holders[shared.Min()].First;
                        var others = shared.Select(p => holders[p].Files).Max() - 1;
                        overlaps.Add(new FreshnessOverlap(earliest, file, Coverage.Format(shared.Select(p => Coverage.Text(p, cadence)), cadence), shared.Count, resolution)
                        {
                            OtherFiles = others,
                        });
                    }
                }

                foreach (var period in periods)
                {
                    holders[period] = holders.TryGetValue(period, out var holding) ? (holding.First, holding.Files + 1) : (file, 1);
                }
            }
        }

        return new FreshnessResult(cadence, basis, rule.LagDays, rule.Window, Coverage.Text(present.Max, cadence), Coverage.Text(expected, cadence),
            score, Coverage.Format(gaps.Select(g => Coverage.Text(g, cadence)), cadence).Split(' ', StringSplitOptions.RemoveEmptyEntries), overlaps)
        {
            OverlapCount = overlapCount,
        };
    }
}
