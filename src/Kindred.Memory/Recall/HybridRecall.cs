using Kindred.Core;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Recall;

/// <summary>
/// Recall with long-term memory: the recent conversation, plus the older turns that best match what the person
/// just said (full text and meaning, fused; only those before or after an event it names, "before the trip"), and,
/// given a knowledge store, the facts and people that bear on it.
/// The turns a companion says are indexed as they are remembered (<see cref="RememberAsync"/>); turns stored another
/// way (an import, or before a crash) are indexed first, a few per turn, so nothing said is out of reach.
/// </summary>
public sealed class HybridRecall : ISearchableRecall, IDisposable
{
    // A reply must not wait for a whole imported history to be embedded: a few turns per reply here (this
    // session's), the backlog in the background (see MemoryIndex.IndexPendingAsync).
    private const int IndexedPerReply = 32;

    private readonly IMemoryStore store;
    private readonly Func<string, CompanionMemory> memoryOf;
    private readonly CompanionMemory? owned;
    private readonly int recentTurns;
    private readonly int memories;
    private readonly IKnowledgeStore? knowledge;

    /// <summary>Recall of one companion over its own memory, which this recall owns and disposes.</summary>
    public HybridRecall(IMemoryStore store, CompanionMemory memory, int recentTurns = 40, int memories = 8, IKnowledgeStore? knowledge = null)
        : this(store, Own(memory), recentTurns, memories, knowledge) =>
        owned = memory;

    /// <summary>Recall of any companion over the memory <paramref name="index"/> shares for callers that own none.</summary>
    public HybridRecall(IMemoryStore store, MemoryIndex index, int recentTurns = 40, int memories = 8, IKnowledgeStore? knowledge = null)
        : this(store, Shared(index), recentTurns, memories, knowledge)
    {
    }

    private HybridRecall(IMemoryStore store, Func<string, CompanionMemory> memoryOf, int recentTurns, int memories, IKnowledgeStore? knowledge)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
        this.memoryOf = memoryOf;
        this.recentTurns = recentTurns;
        this.memories = memories;
        this.knowledge = knowledge;
    }

    public async Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var recentAndCurrent = await store.GetRecentTurnsAsync(request.CompanionId, recentTurns + 1, cancellationToken).ConfigureAwait(false);
        var recent = recentAndCurrent.Where(t => t.Id != request.CurrentTurnId).TakeLast(recentTurns).ToList();

        var memory = memoryOf(request.CompanionId);
        await memory.IndexPendingAsync(cancellationToken, IndexedPerReply).ConfigureAwait(false);

        // What is already in the recent conversation need not be recalled again.
        var inView = recent.Select(t => t.Id).Append(request.CurrentTurnId).ToHashSet();
        // "Before the trip": only what was said before the turn that speaks of the trip (when there is one).
        var sinceOrBeforeEvent = await EventTime.WindowAsync(memory, request.PersonTurn, request.Now, request.CurrentTurnId, cancellationToken).ConfigureAwait(false);
        var hits = await memory.SearchAsync(request.PersonTurn, null, memories + inView.Count, request.Now, sinceOrBeforeEvent, cancellationToken).ConfigureAwait(false);
        if (hits.Count == 0 && sinceOrBeforeEvent is not null)
        {
            hits = await memory.SearchAsync(request.PersonTurn, memories + inView.Count, request.Now, cancellationToken).ConfigureAwait(false);
        }

        var recalled = hits.Where(h => !inView.Contains(h.Turn.Id)).Take(memories).ToList();
        var best = recalled.Count > 0 ? recalled[0].Score : 1;
        var (facts, people) = knowledge is null ? ([], []) : await new KnowledgeRecall(knowledge).RecallAsync(request.CompanionId, request.PersonTurn, cancellationToken).ConfigureAwait(false);
        return new RecallResult(
            recent,
            [.. recalled.Select(h => new RecalledMemory(Describe(h.Turn), h.Score / best, h.Why, h.Turn.At))])
        {
            Facts = facts,
            People = people,
        };
    }

    /// <summary>Embeds the turns and adds them to the word index now, so the next turn's recall only searches.</summary>
    public Task RememberAsync(string companionId, IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken) =>
        memoryOf(companionId).RememberAsync(turns, cancellationToken);

    /// <summary>The turns that best match <paramref name="query"/>, after indexing every turn stored since this memory last looked.</summary>
    public async Task<IReadOnlyList<FoundMemory>> SearchAsync(string companionId, string query, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var memory = memoryOf(companionId);
        await memory.IndexPendingAsync(cancellationToken).ConfigureAwait(false);
        var hits = await memory.SearchAsync(query, limit, now, cancellationToken).ConfigureAwait(false);
        return [.. hits.Select(h => new FoundMemory(h.Turn, h.Score, h.Why))];
    }

    /// <inheritdoc cref="CompanionMemory.ForgetTurnAsync"/>
    public Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken) =>
        memoryOf(companionId).ForgetTurnAsync(turnId, cancellationToken);

    /// <inheritdoc cref="CompanionMemory.Unload"/>
    public void Reload(string companionId) => memoryOf(companionId).Unload();

    /// <summary>Drops the memory this recall owns, if it owns one.</summary>
    public void Dispose() => owned?.Dispose();

    private static Func<string, CompanionMemory> Own(CompanionMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return companionId => companionId == memory.CompanionId
            ? memory
            : throw new ArgumentException($"This recall holds {memory.CompanionId}'s memory, not {companionId}'s.", nameof(companionId));
    }

    private static Func<string, CompanionMemory> Shared(MemoryIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.Shared;
    }

    private static string Describe(StoredTurn turn) =>
        turn.Speaker == Speaker.Person ? $"They said: \"{turn.Text}\"" : $"You said: \"{turn.Text}\"";
}
