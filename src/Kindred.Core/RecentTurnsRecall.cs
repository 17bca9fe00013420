namespace Kindred.Core;

/// <summary>Recall of the recent conversation only; the long-term memory stage replaces it.</summary>
public sealed class RecentTurnsRecall : IRecall
{
    private readonly ICompanionStore _store;
    private readonly int _maxTurns;

    /// <param name="maxTurns">How many recent turns to offer the prompt composer (default 40); it drops what does not fit.</param>
    public RecentTurnsRecall(ICompanionStore store, int maxTurns = 40)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTurns, 1);
        _store = store;
        _maxTurns = maxTurns;
    }

    public async Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        var turns = await _store.GetRecentTurnsAsync(request.CompanionId, _maxTurns + 1, cancellationToken).ConfigureAwait(false);
        var recent = turns.Where(t => t.Id != request.CurrentTurnId).TakeLast(_maxTurns).ToList();
        return new RecallResult(recent, []);
    }

    /// <summary>The recent turns are read from the store as they are: nothing to index.</summary>
    public Task RememberAsync(string companionId, IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken) => Task.CompletedTask;
}
