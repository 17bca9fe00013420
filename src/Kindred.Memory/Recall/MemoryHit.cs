using Kindred.Core;

namespace Kindred.Memory.Recall;

/// <summary>A remembered turn, how well it matched (higher is better) and why.</summary>
public sealed record MemoryHit(StoredTurn Turn, double Score, string Why);
