using Kindred.Core;

namespace Kindred.Memory.Storage;

/// <summary>
/// The turn writes each database does its own way (PostgreSQL locks the companion's row so ids follow commit order,
/// and sends a batch as one statement; SQLite queues on its single writer).
/// </summary>
internal interface ITurnWrites
{
    /// <exception cref="KeyNotFoundException">The companion does not exist.</exception>
    Task<StoredTurn> AppendTurnAsync(NewTurn turn, CancellationToken cancellationToken);

    /// <summary>All are stored or none; never called with none.</summary>
    /// <exception cref="KeyNotFoundException">A turn's companion does not exist.</exception>
    Task<IReadOnlyList<StoredTurn>> AppendTurnsAsync(IReadOnlyList<NewTurn> turns, CancellationToken cancellationToken);

    /// <summary>Stores or replaces the vectors in one transaction; a turn that is gone gets none. Never called with none.</summary>
    Task SaveTurnVectorsAsync(IReadOnlyList<(long TurnId, byte[] Vector)> vectors, CancellationToken cancellationToken);
}
