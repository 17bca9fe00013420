namespace Kindred.Cli.Eval;

/// <summary>The LoCoMo retrieval metric (../shared/eval/README.md) and the latency percentiles reported with it.</summary>
internal static class RecallMetric
{
    /// <summary>
    /// Share of <paramref name="evidence"/> found among the first <paramref name="k"/> of <paramref name="ranked"/>
    /// (best first), 0 to 1. Evidence is counted once per id, however often it was retrieved.
    /// </summary>
    public static double RecallAt(IReadOnlyList<string> ranked, IReadOnlyCollection<string> evidence, int k)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var wanted = evidence.ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            throw new ArgumentException("A question without evidence has no recall; leave it out.", nameof(evidence));
        }

        var found = ranked.Take(k).Where(wanted.Contains).Distinct(StringComparer.Ordinal).Count();
        return (double)found / wanted.Count;
    }

    /// <summary>Nearest-rank percentile (<paramref name="percent"/> in 0..100) of <paramref name="values"/>; 0 when empty.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
