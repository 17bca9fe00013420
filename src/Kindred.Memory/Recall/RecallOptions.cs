namespace Kindred.Memory.Recall;

/// <summary>How the two retrievers' rankings are combined.</summary>
public enum RecallFusion
{
    /// <summary>Reciprocal-rank fusion (Cormack et al., 2009): only the order each retriever gives counts.</summary>
    Rank,

    /// <summary>
    /// A weighted sum of each retriever's own score, scaled to the best in this search: how much better the first
    /// match is than the tenth counts, not only that it is first.
    /// </summary>
    Score,
}

/// <summary>
/// The weights of recall's signals. The defaults were chosen on LoCoMo dev conversations by leave-one-conversation-out
/// (docs/performance.md, "Memory recall on LoCoMo"); each signal stands for a general habit of conversation, not a trait of one dataset.
/// </summary>
public sealed record RecallOptions
{
    /// <summary>The defaults.</summary>
    public static RecallOptions Default { get; } = new();

    /// <summary>How many candidates full text and meaning each offer the fusion (default 100, 10 to 1,000).</summary>
    public int CandidatesPerRetriever { get; init; } = 100;

    /// <summary>How the rankings are combined (default <see cref="RecallFusion.Score"/>).</summary>
    public RecallFusion Fusion { get; init; } = RecallFusion.Score;

    /// <summary>Share of the fused score that meaning gives, 0 to 1; words give the rest (default 0.5).</summary>
    public double MeaningWeight { get; init; } = 0.5;

    /// <summary>
    /// Extra weight (a factor of 1 + this) for turns said by the one person a question names: "what did Alex say
    /// about…" is answered by Alex's own words (default 0.6; 0 turns it off).
    /// </summary>
    public double SpeakerBoost { get; init; } = 0.6;

    /// <summary>
    /// Extra weight (a factor of 1 + this) for turns said in the time a question names ("last week", "in June"), or
    /// within <see cref="TimeGrace"/> after it, because people tell of things after they happen (default 0.3).
    /// </summary>
    public double TimeBoost { get; init; } = 0.3;

    /// <summary>How long after the time a question names a turn still counts as said about it (default 7 days).</summary>
    public TimeSpan TimeGrace { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Share of the better neighbour's score a turn inherits (default 0.5): an answer often lies in the reply to a
    /// turn that matches the question, or in the question a matching answer replies to.
    /// </summary>
    public double NeighbourWeight { get; init; } = 0.5;

    /// <summary>
    /// How many of each retriever's best turns bring their neighbours in as candidates (default 20; 0: none), so a
    /// reply that shares nothing with the question can still be found through the turn it answers.
    /// </summary>
    public int NeighboursOfBest { get; init; } = 20;

    /// <summary>Extra weight for recent turns, fading with <see cref="RecencyHalfLife"/> (default 0: off).</summary>
    public double RecencyBoost { get; init; }

    /// <summary>Age at which the recency boost is half what it is for a turn said now (default 30 days).</summary>
    public TimeSpan RecencyHalfLife { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Turns before and after each hit returned with it as its context (default 1, 0 to 5).</summary>
    public int ContextTurns { get; init; } = 1;

    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range; the message names it.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(CandidatesPerRetriever, 10, nameof(CandidatesPerRetriever));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(CandidatesPerRetriever, 1000, nameof(CandidatesPerRetriever));
        ArgumentOutOfRangeException.ThrowIfNegative(MeaningWeight, nameof(MeaningWeight));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MeaningWeight, 1, nameof(MeaningWeight));
        ArgumentOutOfRangeException.ThrowIfNegative(SpeakerBoost, nameof(SpeakerBoost));
        ArgumentOutOfRangeException.ThrowIfNegative(TimeBoost, nameof(TimeBoost));
        ArgumentOutOfRangeException.ThrowIfNegative(NeighbourWeight, nameof(NeighbourWeight));
        ArgumentOutOfRangeException.ThrowIfNegative(RecencyBoost, nameof(RecencyBoost));
        ArgumentOutOfRangeException.ThrowIfNegative(NeighboursOfBest, nameof(NeighboursOfBest));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(NeighboursOfBest, CandidatesPerRetriever, nameof(NeighboursOfBest));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RecencyHalfLife, TimeSpan.Zero, nameof(RecencyHalfLife));
        ArgumentOutOfRangeException.ThrowIfLessThan(TimeGrace, TimeSpan.Zero, nameof(TimeGrace));
        ArgumentOutOfRangeException.ThrowIfNegative(ContextTurns, nameof(ContextTurns));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ContextTurns, 5, nameof(ContextTurns));
    }
}
