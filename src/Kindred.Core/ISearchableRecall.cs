namespace Kindred.Core;

/// <summary>
/// A memory its owner can also search and correct on the person's behalf, beyond what a turn needs (<see cref="IRecall"/>):
/// what a host's memory routes ask of a life's memory (<see cref="Life.CompanionLife.SearchMemoriesAsync"/>).
/// </summary>
/// <remarks>
/// Declared here, not in Kindred.Memory, so that the life can offer its memory to its host without Core knowing how
/// memory is kept, and the host needs no cast to the memory's own type; a recall that keeps no index need not be one.
/// </remarks>
public interface ISearchableRecall : IRecall
{
    /// <summary>The remembered turns that best match <paramref name="query"/>, best first, after indexing what was stored since.</summary>
    Task<IReadOnlyList<FoundMemory>> SearchAsync(string companionId, string query, int limit, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets a turn everywhere: the store (text and vector) and what this memory holds of it.</summary>
    /// <returns>False when there was no such turn.</returns>
    Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken);

    /// <summary>
    /// Drops what is held in memory, so the next search loads it again from the store: after turns were deleted
    /// through the store directly (forgetting a person).
    /// </summary>
    void Reload(string companionId);
}

/// <summary>A remembered turn found by a search, how well it matched (higher is better) and why.</summary>
/// <param name="Why">How it matched: by its words, its meaning, or both.</param>
public sealed record FoundMemory(StoredTurn Turn, double Score, string Why);
