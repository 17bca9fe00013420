using Kindred.Core;

namespace Kindred.Memory;

/// <summary>
/// What long-term memory needs from a store beyond <see cref="ICompanionStore"/>: full-text search, the turns'
/// embeddings, batch appends and forgetting. SQLite (<see cref="SqliteCompanionStore"/>, the zero-configuration
/// default) and PostgreSQL (<see cref="Postgres.PostgresCompanionStore"/>, for a server at scale) both implement it and pass
/// the same contract tests. Like every store write, a write here that returns has been committed durably.
/// </summary>
public interface IMemoryStore : ICompanionStore, IAsyncDisposable
{
    /// <summary>
    /// The companion's turns whose words best match <paramref name="query"/>, best first, at most
    /// <paramref name="limit"/>. The query is what a person typed, never query syntax: any text is safe, and text
    /// with no words finds nothing. Words match ignoring case and accents, and by stem ("walked" finds "walking").
    /// Scores are positive and comparable only within one search. An unknown companion has no matches.
    /// </summary>
    Task<IReadOnlyList<TextMatch>> SearchTurnsAsync(string companionId, string query, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Stores (or replaces) the embeddings of turns (bytes from <see cref="Vectors.VectorCodec"/>), all in one
    /// transaction. A turn that no longer exists gets no vector.
    /// </summary>
    Task SaveTurnVectorsAsync(IReadOnlyList<(long TurnId, byte[] Vector)> vectors, CancellationToken cancellationToken);

    /// <summary>Every stored embedding of a companion's turns, in turn order.</summary>
    Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>The companion's turns with these ids (others' ids are ignored), in id order.</summary>
    Task<IReadOnlyList<StoredTurn>> GetTurnsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken);

    /// <summary>A companion's non-empty turns that have no embedding yet, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredTurn>> GetUnindexedTurnsAsync(string companionId, int limit, CancellationToken cancellationToken);

    /// <summary>Appends many turns in order, in one transaction: all are stored or none.</summary>
    /// <exception cref="KeyNotFoundException">A turn's companion does not exist.</exception>
    Task<IReadOnlyList<StoredTurn>> AppendTurnsAsync(IReadOnlyList<NewTurn> turns, CancellationToken cancellationToken);

    /// <summary>Deletes a companion and everything it remembers; its id can wake again afterwards, as a stranger.</summary>
    /// <returns>False, changing nothing, when there is no such companion.</returns>
    Task<bool> ForgetCompanionAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>
    /// For each given turn, the ids of the companion's turns just before and just after it in the same session (null
    /// where the session begins or ends), so recall can read a hit in its conversation. Another companion's ids are
    /// ignored.
    /// </summary>
    Task<IReadOnlyDictionary<long, (long? Before, long? After)>> GetAdjacentTurnIdsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken);

    /// <summary>The companion's own name and its person's (null until known): who "Sam" or "Alex" in a question is.</summary>
    /// <exception cref="KeyNotFoundException">No such companion.</exception>
    Task<(string CompanionName, string? PersonName)> GetSpeakerNamesAsync(string companionId, CancellationToken cancellationToken);
}
