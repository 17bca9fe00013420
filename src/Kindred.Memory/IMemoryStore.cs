namespace Kindred.Memory;

/// <summary>
/// What long-term memory needs from a store: the companion and its turns (<see cref="ITurnStore"/>; forgetting one is
/// <see cref="Kindred.Core.ICompanionStore.ForgetTurnAsync"/>), forgetting a whole companion, and closing it.
/// SQLite (<see cref="SqliteCompanionStore"/>, the zero-configuration default) and PostgreSQL
/// (<see cref="Postgres.PostgresCompanionStore"/>, for a server at scale) both implement it and pass the same contract
/// tests. Like every store write, a write here that returns has been committed durably.
/// </summary>
public interface IMemoryStore : ITurnStore, IAsyncDisposable
{
    /// <summary>Deletes a companion and everything it remembers; its id can wake again afterwards, as a stranger.</summary>
    /// <returns>False, changing nothing, when there is no such companion.</returns>
    Task<bool> ForgetCompanionAsync(string companionId, CancellationToken cancellationToken);
}
