using Kindred.Core;

namespace Kindred.Memory.Recall;

/// <summary>
/// Recall with long-term memory: the recent conversation, plus the older turns that best match what the person
/// just said (full text and meaning, fused). Turns not yet indexed are indexed first, so nothing said in an
/// earlier session, or before a crash, is out of reach.
/// </summary>
public sealed class HybridRecall(IMemoryStore store, MemoryIndex memory, int recentTurns = 40, int memories = 8) : IRecall
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
        var hits = await memory.SearchAsync(request.CompanionId, request.PersonTurn, memories + inView.Count, request.Now, cancellationToken).ConfigureAwait(false);
        var recalled = hits.Where(h => !inView.Contains(h.Turn.Id)).Take(memories).ToList();
        var best = recalled.Count > 0 ? recalled[0].Score : 1;
        return new RecallResult(
            recent,
            [.. recalled.Select(h => new RecalledMemory(Describe(h.Turn), h.Score / best, h.Why, h.Turn.At))]);
    }

    private static string Describe(StoredTurn turn) =>
        turn.Speaker == Speaker.Person ? $"They said: \"{turn.Text}\"" : $"You said: \"{turn.Text}\"";
}
