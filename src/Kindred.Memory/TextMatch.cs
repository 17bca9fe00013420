namespace Kindred.Memory;

/// <summary>A turn whose words matched a full-text search.</summary>
/// <param name="TurnId">The matching turn's id.</param>
/// <param name="Score">
/// BM25 relevance, higher is better and always positive. Comparable only within one search: it depends on the query
/// and on how common its words are in the store.
/// </param>
/// <param name="Snippet">
/// Plain text from the turn around the best-matching words, about a dozen words long, with "…" where the turn was cut.
/// </param>
public sealed record TextMatch(long TurnId, double Score, string Snippet);
