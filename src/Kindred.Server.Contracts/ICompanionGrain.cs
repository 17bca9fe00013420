namespace Kindred.Server.Contracts;

/// <summary>
/// One companion, live on one silo at a time. Its turns are serialised: a second turn waits for the first to end.
/// The grain hosts the companion's one owner (Kindred.Core's CompanionLife); everything it knows lives in the store.
/// </summary>
/// <remarks>The key is the companion id. Callers check that the companion belongs to the caller's account first.</remarks>
public interface ICompanionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Wakes the companion: the first time it chooses its name and greets (the greeting is stored as its first turn,
    /// in <paramref name="sessionId"/>); later, it is simply there.
    /// </summary>
    Task<CompanionWoken> WakeAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Answers the person, streaming the reply. Cancelling stops generation at once; what was said is stored as an
    /// interrupted reply.
    /// </summary>
    /// <exception cref="CompanionBusyException">The model is busy with other conversations and its queue is full.</exception>
    /// <exception cref="CompanionOffException">The companion is switched off: nothing was heard or stored.</exception>
    IAsyncEnumerable<string> ReplyAsync(string personText, string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Answers the person in a private conversation, streaming the reply: nothing of it is stored, anywhere. The
    /// conversation's turns live only in this grain's memory, under <paramref name="conversationId"/>, until
    /// <see cref="EndPrivateAsync"/> or the grain deactivates.
    /// </summary>
    /// <exception cref="CompanionOffException">The companion is switched off.</exception>
    /// <exception cref="CompanionBusyException">The model is busy with other conversations and its queue is full.</exception>
    IAsyncEnumerable<string> PrivateReplyAsync(string personText, string conversationId, CancellationToken cancellationToken);

    /// <summary>Ends a private conversation: its turns are dropped from memory.</summary>
    Task EndPrivateAsync(string conversationId);

    /// <summary>
    /// Takes back the last exchange of <paramref name="sessionId"/>, the person's turn and the reply to it, as if never
    /// said: both are forgotten from the store (as <c>memory forget</c> would). For a voice turn that turned out to be
    /// only the first part of what the person was saying; the whole of it is then answered as one turn.
    /// </summary>
    /// <returns>How many turns were forgotten: 0 when this companion's last reply was not in that session.</returns>
    Task<int> WithdrawLastReplyAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Says something unprompted (a reminder that came due, a check-in), remembered as her turn in
    /// <paramref name="sessionId"/> after any turn in progress; returns the stored turn's id.
    /// </summary>
    Task<long> SayAsync(string words, string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes a live conversation to what she says unprompted, or renews its subscription: while at least one is
    /// subscribed, the grain keeps a timer for the next due message. A subscription not renewed within
    /// <c>CompanionIdleMinutes</c> lapses. Call <see cref="WakeOutreachAsync"/> afterwards to deliver what already waits.
    /// </summary>
    /// <param name="listener">The conversation's observer.</param>
    /// <param name="sessionId">The conversation's session: a delivered message is stored as her turn in it.</param>
    /// <param name="isPrivate">A private conversation: a delivered message is stored in another listener's session if there is one.</param>
    /// <returns>True when the subscription is new here (a renewal that finds a fresh activation says so).</returns>
    Task<bool> ConnectOutreachAsync(IOutreachListener listener, string sessionId, bool isPrivate);

    /// <summary>Ends the live conversation's subscription; with none left, the outreach timer stops.</summary>
    Task DisconnectOutreachAsync(string sessionId);

    /// <summary>
    /// Delivers what is due now to the subscribed conversations, if any (claimed in the store first, so it is said once
    /// across silos), and arms the timer for what comes next. Returns when that pass is done.
    /// </summary>
    Task WakeOutreachAsync();

    /// <summary>Switches her back on; what she says about the time she was off is remembered in <paramref name="sessionId"/> and returned (null when she was on).</summary>
    Task<string?> SwitchOnAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Switches her off: nothing is heard, kept or sent until she is switched back on.</summary>
    Task SwitchOffAsync(CancellationToken cancellationToken);

    /// <summary>Whether a reply is being generated now.</summary>
    Task<bool> IsReplyingAsync();

    /// <summary>
    /// The remembered turns that best match <paramref name="query"/>, best first, searched in the memory the companion's
    /// life holds (after indexing what was stored since), so the silo keeps one cache of it.
    /// </summary>
    Task<IReadOnlyList<RememberedTurn>> SearchMemoriesAsync(string query, int limit, CancellationToken cancellationToken);

    /// <summary>Forgets one turn, from the store and from the life's memory, after any turn in progress.</summary>
    /// <returns>False when there was no such turn.</returns>
    Task<bool> ForgetMemoryAsync(long turnId, CancellationToken cancellationToken);

    /// <summary>
    /// Drops what the life's memory holds, so it loads again from the store: after turns were deleted through the
    /// store directly (forgetting a person).
    /// </summary>
    Task ReloadMemoryAsync(CancellationToken cancellationToken);

    /// <summary>Forgets the companion and everything it knows, for good, and deactivates.</summary>
    /// <returns>False when there was nothing to forget.</returns>
    Task<bool> ForgetAsync(CancellationToken cancellationToken);
}
