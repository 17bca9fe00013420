using Kindred.Core;

namespace Kindred.Memory.Recall;

/// <summary>A remembered turn, how well it matched (higher is better) and why.</summary>
public sealed record MemoryHit(StoredTurn Turn, double Score, string Why)
{
    /// <summary>
    /// The turns said just before and after it in the same session, in order (the hit itself left out), so it can
    /// be read in its conversation; empty when not asked for.
    /// </summary>
    public IReadOnlyList<StoredTurn> Context { get; init; } = [];
}
