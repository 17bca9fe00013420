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
public sealed class HybridRecall(IMemoryStore store, MemoryIndex memory, int recentTurns = 40, int memories = 8, IKnowledgeStore? knowledge = null) : IRecall
{
    // A reply must not wait for a whole imported history to be embedded: a few turns per reply here (this
    // session's), the backlog in the background (see MemoryIndex.IndexPendingAsync).
    private const int IndexedPerReply = 32;

    public async Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var recentAndCurrent = await store.GetRecentTurnsAsync(request.CompanionId, recentTurns + 1, cancellationToken).ConfigureAwait(false);
        var recent = recentAndCurrent.Where(t => t.Id != request.CurrentTurnId).TakeLast(recentTurns).ToList();

        await memory.IndexPendingAsync(request.CompanionId, cancellationToken, IndexedPerReply).ConfigureAwait(false);

        // What is already in the recent conversation need not be recalled again.
        var inView = recent.Select(t => t.Id).Append(request.CurrentTurnId).ToHashSet();
        // "Before the trip": only what was said before the turn that speaks of the trip (when there is one).
        var sinceOrBeforeEvent = await EventTime.WindowAsync(memory, request.CompanionId, request.PersonTurn, request.Now, request.CurrentTurnId, cancellationToken).ConfigureAwait(false);
        var hits = await memory.SearchAsync(request.CompanionId, request.PersonTurn, null, memories + inView.Count, request.Now, sinceOrBeforeEvent, cancellationToken).ConfigureAwait(false);
        if (hits.Count == 0 && sinceOrBeforeEvent is not null)
        {
            hits = await memory.SearchAsync(request.CompanionId, request.PersonTurn, memories + inView.Count, request.Now, cancellationToken).ConfigureAwait(false);
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
        memory.RememberAsync(companionId, turns, cancellationToken);

    private static string Describe(StoredTurn turn) =>
        turn.Speaker == Speaker.Person ? $"They said: \"{turn.Text}\"" : $"You said: \"{turn.Text}\"";
}
