using Kindred.Core;

namespace Kindred.Memory.Recall;

/// <summary>
/// A turn either retriever offered for a question, with what each said of it.
/// </summary>
/// <param name="Turn">The turn.</param>
/// <param name="Words">BM25 score (higher is better), or null when it shares no searched word with the question.</param>
/// <param name="WordsRank">Its place in the full-text ranking (0 = first), or -1.</param>
/// <param name="Meaning">Cosine similarity to the question, or null when it has no vector yet.</param>
/// <param name="MeaningRank">Its place in the meaning ranking (0 = first), or -1 when only full text found it.</param>
/// <param name="Before">The turn said just before it in the same session, if any.</param>
/// <param name="After">The turn said just after it in the same session, if any.</param>
/// <param name="NeighbourOnly">Neither retriever offered it: it is here as the neighbour of a turn one of them ranked high.</param>
public sealed record RecallCandidate(
    StoredTurn Turn, double? Words, int WordsRank, float? Meaning, int MeaningRank, long? Before, long? After, bool NeighbourOnly = false);

/// <summary>Everything recall gathered for one question, before the signals are weighed.</summary>
/// <param name="Now">When the question is asked.</param>
/// <param name="NamedSpeaker">Who said the turns the question is about, when it names exactly one of the two.</param>
/// <param name="NamedAs">The name that the question used for <paramref name="NamedSpeaker"/>.</param>
/// <param name="Window">The time the question names, if any.</param>
/// <param name="Candidates">The candidates, in no particular order.</param>
public sealed record RecallCandidates(
    DateTimeOffset Now, Speaker? NamedSpeaker, string? NamedAs, TimeWindow? Window, IReadOnlyList<RecallCandidate> Candidates);
