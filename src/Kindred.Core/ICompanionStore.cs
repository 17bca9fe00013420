namespace Kindred.Core;

/// <summary>
/// The durable home of everything a companion knows. A write that returns has been committed to stable storage,
/// so a process killed right after it loses nothing.
/// </summary>
public interface ICompanionStore
{
    /// <summary>The companion with this id, or null if it has never woken.</summary>
    Task<CompanionIdentity?> FindCompanionAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a newly woken companion. If one with the same id already exists, nothing changes and the stored one
    /// is returned: the first name a companion chose is the one it keeps.
    /// </summary>
    Task<CompanionIdentity> CreateCompanionAsync(CompanionIdentity identity, CancellationToken cancellationToken);

    /// <summary>Every companion in the store, oldest first.</summary>
    Task<IReadOnlyList<CompanionIdentity>> ListCompanionsAsync(CancellationToken cancellationToken);

    /// <summary>The relationship of an existing companion with its person.</summary>
    /// <exception cref="KeyNotFoundException">The companion does not exist.</exception>
    Task<Relationship> GetRelationshipAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>Records the person's name as they told it.</summary>
    /// <exception cref="KeyNotFoundException">The companion does not exist.</exception>
    Task SetPersonNameAsync(string companionId, string personName, CancellationToken cancellationToken);

    /// <summary>Appends a turn durably and returns it with its id.</summary>
    /// <exception cref="KeyNotFoundException">The companion does not exist.</exception>
    Task<StoredTurn> AppendTurnAsync(NewTurn turn, CancellationToken cancellationToken);

    /// <summary>Deletes one turn with everything indexed from it (its words and its vector).</summary>
    /// <returns>False, changing nothing, when the companion has no turn with that id (another companion's included).</returns>
    Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken);

    /// <summary>The latest <paramref name="count"/> turns of a companion, oldest first.</summary>
    Task<IReadOnlyList<StoredTurn>> GetRecentTurnsAsync(string companionId, int count, CancellationToken cancellationToken);

    /// <summary>A page of a companion's whole history, oldest first: turns with id greater than <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<StoredTurn>> GetHistoryAsync(string companionId, long afterId, int take, CancellationToken cancellationToken);
}
