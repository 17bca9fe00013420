namespace Kindred.Core;

/// <summary>
/// The Recall stage of a turn: what the companion brings to mind before it answers. Today the recent turns;
/// long-term memory plugs in here.
/// </summary>
public interface IRecall
{
    /// <summary>Recalls what is relevant to the person's turn.</summary>
    Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken);
}

/// <summary>What to recall for.</summary>
/// <param name="CurrentTurnId">The id of the person's turn being answered; it is excluded from recent turns.</param>
public sealed record RecallRequest(string CompanionId, string PersonTurn, long CurrentTurnId, DateTimeOffset Now);

/// <summary>A memory brought to mind, with how well it matched and why.</summary>
/// <param name="Score">Relevance in [0, 1]; higher is kept first when the prompt is tight.</param>
/// <param name="Why">A short human-readable reason it matched.</param>
public sealed record RecalledMemory(string Text, double Score, string Why, DateTimeOffset? At);

/// <summary>Recent conversation (oldest first) and recalled memories (best first).</summary>
public sealed record RecallResult(IReadOnlyList<StoredTurn> RecentTurns, IReadOnlyList<RecalledMemory> Memories);
