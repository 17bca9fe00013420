using System.Globalization;
using Kindred.Core;

namespace Kindred.Memory.Recall;

/// <summary>
/// Weighs what recall gathered into one ranking: the two retrievers fused, a share of the better neighbour's score,
/// then boosts for the speaker and the time the question names, and for recency. Pure: the same candidates and
/// options always give the same ranking, so weights can be compared without searching again.
/// </summary>
public static class RecallRanking
{
    // Reciprocal-rank fusion constant; 60 is the usual choice (Cormack et al., 2009) and rewards agreement.
    private const int FusionK = 60;

    /// <summary>The best <paramref name="limit"/> candidates, best first, each with its score and why it matched.</summary>
    /// <param name="gathered">What recall gathered for the question.</param>
    /// <param name="options">The weights.</param>
    /// <param name="limit">At most this many hits.</param>
    /// <param name="minimumSimilarity">A turn found by meaning alone must be at least this close to count.</param>
    public static IReadOnlyList<MemoryHit> Rank(RecallCandidates gathered, RecallOptions options, int limit, float minimumSimilarity)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        ArgumentNullException.ThrowIfNull(options);
        var best = options.NeighbourWeight > 0 ? BestRanked(gathered, options.NeighboursOfBest) : [];
        var candidates = gathered.Candidates
            .Where(c => c.NeighbourOnly
                ? (c.Before is { } before && best.Contains(before)) || (c.After is { } after && best.Contains(after))
                : c.Words is not null || (c.Meaning ?? float.NegativeInfinity) >= minimumSimilarity)
            .ToList();
        if (candidates.Count == 0 || limit <= 0)
        {
            return [];
        }

        var fused = Fuse(candidates, options, minimumSimilarity);
        var scored = new (RecallCandidate Candidate, double Score, Reasons Why)[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var why = Reasons.None;
            if (candidate.Words is not null)
            {
                why |= Reasons.Words;
            }

            if (candidate.MeaningRank >= 0 && candidate.Meaning is { } cosine && cosine >= minimumSimilarity)
            {
                why |= Reasons.Meaning;
            }

            var score = fused[candidate.Turn.Id];
            var neighbour = Math.Max(
                candidate.Before is { } before ? fused.GetValueOrDefault(before) : 0,
                candidate.After is { } after ? fused.GetValueOrDefault(after) : 0);
            if (options.NeighbourWeight > 0 && neighbour > 0)
            {
                score += options.NeighbourWeight * neighbour;
                if (neighbour > fused[candidate.Turn.Id])
                {
                    why |= Reasons.Neighbour;
                }
            }

            if (options.SpeakerBoost > 0 && gathered.NamedSpeaker is { } speaker && candidate.Turn.Speaker == speaker)
            {
                score *= 1 + options.SpeakerBoost;
                why |= Reasons.Speaker;
            }

            if (options.TimeBoost > 0 && gathered.Window is { } window &&
                candidate.Turn.At >= window.Start && candidate.Turn.At < SafeAdd(window.End, options.TimeGrace))
            {
                score *= 1 + options.TimeBoost;
                why |= Reasons.Time;
            }

            if (options.RecencyBoost > 0)
            {
                var age = gathered.Now - candidate.Turn.At;
                var fresh = age <= TimeSpan.Zero ? 1 : Math.Pow(0.5, age / options.RecencyHalfLife);
                score *= 1 + (options.RecencyBoost * fresh);
                if (fresh >= 0.5)
                {
                    why |= Reasons.Recent;
                }
            }

            scored[i] = (candidate, score, why);
        }

        // Best first, equal scores newest first; the reasons are written out only for the hits returned.
        Array.Sort(scored, static (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : y.Candidate.Turn.Id.CompareTo(x.Candidate.Turn.Id));
        return [.. scored.Take(limit).Select(s => new MemoryHit(s.Candidate.Turn, s.Score, Describe(s.Why, s.Candidate, gathered)))];
    }

    private static string Describe(Reasons why, RecallCandidate candidate, RecallCandidates gathered)
    {
        var parts = new List<string>(4);
        if (why.HasFlag(Reasons.Words))
        {
            parts.Add("shares words with the question");
        }

        if (why.HasFlag(Reasons.Meaning))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"close in meaning ({candidate.Meaning:0.00})"));
        }

        if (why.HasFlag(Reasons.Neighbour))
        {
            parts.Add("next to a turn that matches better");
        }

        if (why.HasFlag(Reasons.Speaker))
        {
            parts.Add($"said by {gathered.NamedAs}, whom the question names");
        }

        if (why.HasFlag(Reasons.Time))
        {
            parts.Add($"said in the time asked about (\"{gathered.Window!.Phrase}\")");
        }

        if (why.HasFlag(Reasons.Recent))
        {
            parts.Add("recent");
        }

        return string.Join("; ", parts);
    }

    /// <summary>Why a candidate scored as it did, kept as flags until it is known to be one of the hits.</summary>
    [Flags]
    private enum Reasons
    {
        None = 0,
        Words = 1,
        Meaning = 2,
        Neighbour = 4,
        Speaker = 8,
        Time = 16,
        Recent = 32,
    }

    /// <summary>The turns either retriever ranked among its first <paramref name="best"/>: their neighbours count.</summary>
    private static HashSet<long> BestRanked(RecallCandidates gathered, int best) =>
        [.. gathered.Candidates
            .Where(c => (c.WordsRank >= 0 && c.WordsRank < best) || (c.MeaningRank >= 0 && c.MeaningRank < best))
            .Select(c => c.Turn.Id)];

    /// <summary>Each candidate's fused score, 0 to 1 (1 only for a turn first by both retrievers).</summary>
    private static Dictionary<long, double> Fuse(List<RecallCandidate> candidates, RecallOptions options, float minimumSimilarity)
    {
        var meaningWeight = options.MeaningWeight;
        var fused = new Dictionary<long, double>(candidates.Count);
        if (options.Fusion == RecallFusion.Rank)
        {
            foreach (var c in candidates)
            {
                var words = c.WordsRank >= 0 ? (double)(FusionK + 1) / (FusionK + c.WordsRank + 1) : 0;
                var meaning = c.MeaningRank >= 0 ? (double)(FusionK + 1) / (FusionK + c.MeaningRank + 1) : 0;
                fused[c.Turn.Id] = ((1 - meaningWeight) * words) + (meaningWeight * meaning);
            }

            return fused;
        }

        // Scores scaled to this search: BM25 against the best match (its scale depends on the query), cosine from the
        // least to the most similar candidate (MiniLM's cosines crowd into a narrow band that differs by query), and
        // from no higher than the least similarity that counts, so that among a few candidates the last is not zero.
        var bestWords = candidates.Max(c => c.Words ?? 0);
        var cosines = candidates.Where(c => c.Meaning is not null && !c.NeighbourOnly).Select(c => (double)c.Meaning!.Value).ToList();
        var (low, high) = cosines.Count > 0 ? (Math.Min(cosines.Min(), minimumSimilarity), cosines.Max()) : (0d, 0d);
        foreach (var c in candidates)
        {
            var words = bestWords > 0 && c.Words is { } bm25 ? bm25 / bestWords : 0;
            var meaning = high > low && c.Meaning is { } cosine ? Math.Max(0, (cosine - low) / (high - low)) : 0;
            fused[c.Turn.Id] = ((1 - meaningWeight) * words) + (meaningWeight * meaning);
        }

        return fused;
    }

    private static DateTimeOffset SafeAdd(DateTimeOffset at, TimeSpan span) =>
        at > DateTimeOffset.MaxValue - span ? DateTimeOffset.MaxValue : at + span;
}
