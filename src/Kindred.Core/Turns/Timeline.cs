using Kindred.Core.Inner;

namespace Kindred.Core;

/// <summary>
/// Where a conversation's turns are kept: the store (a remembered conversation) or nowhere but memory (a private one).
/// The turn's four steps are the same for both; only what they read and keep differs.
/// </summary>
internal abstract class Timeline
{
    /// <summary>Whether anything of the conversation outlives it: the person's name, appraisals, reminders, the turns.</summary>
    public abstract bool Keeps { get; }

    /// <summary>Keeps the person's turn, and returns it with the turn said just before it (null at the start).</summary>
    public abstract Task<(StoredTurn Turn, StoredTurn? Previous)> HearAsync(NewTurn turn, CancellationToken cancellationToken);

    /// <summary>What the inner life makes of the turn, as words for the reply's prompt; null when there is none.</summary>
    public abstract Task<string?> UnderstandAsync(CompanionIdentity identity, StoredTurn turn, StoredTurn? previous, string? personName, CancellationToken cancellationToken);

    /// <summary>The recent conversation and what memory brings to mind.</summary>
    public abstract Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken);

    /// <summary>Keeps the reply to <paramref name="personTurn"/>, and returns it as kept.</summary>
    public abstract Task<StoredTurn> KeepReplyAsync(StoredTurn personTurn, NewTurn reply, CancellationToken cancellationToken);
}

/// <summary>A remembered conversation: every turn goes to the store, and memory indexes it as it is kept.</summary>
internal sealed class RememberedTimeline(string companionId, CompanionServices services) : Timeline
{
    public override bool Keeps => true;

    public override async Task<(StoredTurn Turn, StoredTurn? Previous)> HearAsync(NewTurn turn, CancellationToken cancellationToken)
    {
        var previous = await services.Store.GetRecentTurnsAsync(companionId, 1, cancellationToken).ConfigureAwait(false);
        var heard = await services.Store.AppendTurnAsync(turn, cancellationToken).ConfigureAwait(false);
        return (heard, previous.Count > 0 ? previous[^1] : null);
    }

    public override async Task<string?> UnderstandAsync(CompanionIdentity identity, StoredTurn turn, StoredTurn? previous, string? personName, CancellationToken cancellationToken) =>
        services.Inner is { } inner
            ? (await inner.PerceiveAsync(identity, turn, previous is null ? [] : [previous], personName, cancellationToken).ConfigureAwait(false))?.Guidance
            : null;

    public override Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken) =>
        services.Recall.RecallAsync(request, cancellationToken);

    public override async Task<StoredTurn> KeepReplyAsync(StoredTurn personTurn, NewTurn reply, CancellationToken cancellationToken)
    {
        var kept = await services.Store.AppendTurnAsync(reply, cancellationToken).ConfigureAwait(false);
        await services.Recall.RememberAsync(companionId, [personTurn, kept], cancellationToken).ConfigureAwait(false);
        return kept;
    }
}

/// <summary>
/// A private conversation: its turns live only in this object and go when it does. Nothing is written anywhere (no
/// turn, no appraisal, no persona change, no reminder, no name learned, no log of its words).
/// </summary>
internal sealed class PrivateTimeline(CompanionServices services) : Timeline
{
    // Ids that no stored turn can have, increasing in the order said, as the prompt composer orders by id.
    private const long PrivateIdBase = long.MinValue / 2;
    private readonly List<StoredTurn> _turns = [];

    public override bool Keeps => false;

    public int TurnCount => _turns.Count;

    public override Task<(StoredTurn Turn, StoredTurn? Previous)> HearAsync(NewTurn turn, CancellationToken cancellationToken)
    {
        var heard = new StoredTurn(PrivateIdBase + _turns.Count, turn.CompanionId, turn.SessionId, turn.Speaker, turn.Text, turn.At, turn.Status);
        return Task.FromResult((heard, _turns.Count > 0 ? _turns[^1] : (StoredTurn?)null));
    }

    public override async Task<string?> UnderstandAsync(CompanionIdentity identity, StoredTurn turn, StoredTurn? previous, string? personName, CancellationToken cancellationToken) =>
        services.Inner is { } inner
            ? await inner.PrivateGuidanceAsync(identity.CompanionId, cancellationToken).ConfigureAwait(false)
            : "This is a private conversation: nothing said in it will be remembered.";

    public override Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new RecallResult([.. _turns], []));

    public override Task<StoredTurn> KeepReplyAsync(StoredTurn personTurn, NewTurn reply, CancellationToken cancellationToken)
    {
        // Only a whole exchange is kept, as the person's turn and the reply together.
        var kept = new StoredTurn(personTurn.Id + 1, reply.CompanionId, reply.SessionId, reply.Speaker, reply.Text, reply.At, reply.Status);
        if (reply.Status == TurnStatus.Complete)
        {
            _turns.Add(personTurn);
            _turns.Add(kept);
        }

        return Task.FromResult(kept);
    }
}

/// <summary>The turns one exchange kept, so its owner can take exactly them back (a voice turn the person went on with).</summary>
internal sealed class Exchange(string sessionId)
{
    public string SessionId => sessionId;

    public long? PersonTurnId { get; private set; }

    public long? ReplyTurnId { get; private set; }

    public bool Completed { get; private set; }

    public void Heard(StoredTurn turn) => PersonTurnId = turn.Id;

    public void Replied(StoredTurn? reply, bool completed)
    {
        ReplyTurnId = reply?.Id;
        Completed = completed;
    }
}
