using Kindred.Core;

namespace Kindred.Memory;

/// <summary>
/// A store's turns beyond <see cref="ICompanionStore"/>: their embeddings, batch appends and reading by id.
/// </summary>
public interface ITurnStore : ICompanionStore
{
    /// <summary>
    /// Stores (or replaces) the embeddings of turns (bytes from <see cref="Vectors.VectorCodec"/>), all in one
    /// transaction. A turn that no longer exists gets no vector.
    /// </summary>
    Task SaveTurnVectorsAsync(IReadOnlyList<(long TurnId, byte[] Vector)> vectors, CancellationToken cancellationToken);

    /// <summary>Every stored embedding of a companion's turns, in turn order.</summary>
    Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>The stored embeddings of those of these turns that have one (others' ids are ignored), in turn order.</summary>
    Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken);

    /// <summary>The companion's turns with these ids (others' ids are ignored), in id order.</summary>
    Task<IReadOnlyList<StoredTurn>> GetTurnsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken);

    /// <summary>A companion's non-empty turns that have no embedding yet, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredTurn>> GetUnindexedTurnsAsync(string companionId, int limit, CancellationToken cancellationToken);

    /// <summary>Appends many turns in order, in one transaction: all are stored or none.</summary>
    /// <exception cref="KeyNotFoundException">A turn's companion does not exist.</exception>
    Task<IReadOnlyList<StoredTurn>> AppendTurnsAsync(IReadOnlyList<NewTurn> turns, CancellationToken cancellationToken);

    /// <summary>The companion's own name and its person's (null until known): who "Sam" or "Alex" in a question is.</summary>
    /// <exception cref="KeyNotFoundException">No such companion.</exception>
    Task<(string CompanionName, string? PersonName)> GetSpeakerNamesAsync(string companionId, CancellationToken cancellationToken);
}
