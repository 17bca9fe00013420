namespace Kindred.Core;

/// <summary>
/// Memory as a turn uses it: the Recall step brings to mind what bears on the person's turn, and the Remember step
/// indexes the turns it just stored, so the next turn finds them without indexing them first.
/// </summary>
public interface IRecall
{
    /// <summary>Recalls what is relevant to the person's turn.</summary>
    Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken);

    /// <summary>Indexes turns just stored (their words and meaning); a memory that keeps no index does nothing.</summary>
    Task RememberAsync(string companionId, IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken);
}

/// <summary>What to recall for.</summary>
/// <param name="CurrentTurnId">The id of the person's turn being answered; it is excluded from recent turns.</param>
public sealed record RecallRequest(string CompanionId, string PersonTurn, long CurrentTurnId, DateTimeOffset Now);

/// <summary>A memory brought to mind, with how well it matched and why.</summary>
/// <param name="Score">Relevance in [0, 1]; higher is kept first when the prompt is tight.</param>
/// <param name="Why">A short human-readable reason it matched.</param>
public sealed record RecalledMemory(string Text, double Score, string Why, DateTimeOffset? At);

/// <summary>Recent conversation (oldest first) and recalled memories (best first).</summary>
public sealed record RecallResult(IReadOnlyList<StoredTurn> RecentTurns, IReadOnlyList<RecalledMemory> Memories)
{
    /// <summary>Facts about the person and their world: current ones first, then (for questions about the past) ones that no longer hold.</summary>
    public IReadOnlyList<RecalledFact> Facts { get; init; } = [];

    /// <summary>People in the person's life who bear on the turn, best first.</summary>
    public IReadOnlyList<RecalledPerson> People { get; init; } = [];
}

/// <summary>A fact brought to mind, with the span of time it held.</summary>
/// <param name="Text">The fact as a sentence about the person.</param>
/// <param name="Score">Relevance in [0, 1].</param>
/// <param name="Why">A short human-readable reason it matched.</param>
/// <param name="ValidTo">When it stopped being true; null while it holds.</param>
public sealed record RecalledFact(string Text, double Score, string Why, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo);

/// <summary>Someone in the person's life, brought to mind.</summary>
/// <param name="Relation">Who they are to the person, if known.</param>
/// <param name="Score">Relevance in [0, 1].</param>
public sealed record RecalledPerson(string Name, string? Relation, IReadOnlyList<string> Aliases, double Score, string Why);
