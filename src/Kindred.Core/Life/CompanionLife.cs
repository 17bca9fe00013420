using System.Runtime.CompilerServices;
using Kindred.Core.Inner;

namespace Kindred.Core.Life;

/// <summary>
/// The one owner of a companion's life on a host: it takes the companion's turns one at a time, appends everything she
/// says (replies, messages she planned, what she says when switched back on), and runs what happens after a turn
/// (learning, reflection) by one set of rules. The server's grain and the CLI's chat host this same type.
/// </summary>
/// <remarks>
/// Everything it knows lives in the store; what it holds is only who the companion is, her memory's caches (opened by
/// <see cref="CompanionServices.OpenRecall"/>, disposed with the life), private conversations (which are never
/// stored) and the last exchange, so a host that dies loses nothing acknowledged. Its host searches and corrects that
/// memory through the life (<see cref="SearchMemoriesAsync"/>, <see cref="ForgetTurnAsync"/>,
/// <see cref="ReloadMemoryAsync"/>), so that it holds no second cache of the companion.
/// </remarks>
public sealed partial class CompanionLife : IAsyncDisposable
{
    // Private conversations live here only, so a life holds a few at most; the oldest goes first.
    private const int MaxPrivateConversations = 8;
    private CompanionServices _services;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Dictionary<string, PrivateConversation> _private = new(StringComparer.Ordinal);
    private Companion? _companion;
    private Exchange? _lastExchange;
    private int _replying;

    public CompanionLife(string companionId, CompanionServices services)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(services);
        CompanionId = companionId;
        _services = services.OpenRecall is { } open ? services with { Recall = open(companionId) } : services;
    }

    public string CompanionId { get; }

    /// <summary>Who the companion is, once woken here; null before.</summary>
    public CompanionIdentity? Identity => _companion?.Identity;

    /// <summary>Whether a reply is being generated now.</summary>
    public bool IsReplying => Volatile.Read(ref _replying) == 1;

    /// <summary>
    /// Wakes the companion: the first time it chooses its name and greets (the greeting is stored as its first turn, in
    /// <paramref name="sessionId"/>); later, it is simply there.
    /// </summary>
    public async Task<Awakening> WakeAsync(string sessionId, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var awakening = await Companion.WakeAsync(CompanionId, sessionId, _services, cancellationToken).ConfigureAwait(false);
            _companion = awakening.Companion;
            return awakening;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Answers the person, streaming, and remembers the exchange; then learns and reflects in the background. Turns
    /// wait for each other. Cancelling stops generation at once; what was said is stored as an interrupted reply.
    /// </summary>
    /// <exception cref="CompanionSwitchedOffException">Switched off: nothing was heard or stored.</exception>
    /// <exception cref="ModelBusyException">The model cannot take another conversation now: nothing was stored.</exception>
    public async IAsyncEnumerable<string> ReplyAsync(string personText, string sessionId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _replying, 1);
        var exchange = new Exchange(sessionId);
        try
        {
            // The model serves the reply first: a learning pass in progress is put off until after the turn, and one
            // that starts during it already knows this session is the open one (not a finished one to summarise).
            PutOffLearning(sessionId);
            var companion = await CompanionAsync(sessionId, cancellationToken).ConfigureAwait(false);
            _lastExchange = exchange;
            await foreach (var chunk in companion.TurnAsync(personText, sessionId, new RememberedTimeline(CompanionId, _services), exchange, cancellationToken).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
        finally
        {
            Interlocked.Exchange(ref _replying, 0);
            _turn.Release();
            if (exchange.PersonTurnId is not null)
            {
                AfterTurn(sessionId, exchange.Completed);
            }
        }
    }

    /// <summary>
    /// Answers the person in a private conversation, streaming: nothing of it is stored, anywhere. Its turns live only
    /// here, under <paramref name="conversationId"/>, until <see cref="EndPrivateAsync"/> or this life ends.
    /// </summary>
    /// <exception cref="CompanionSwitchedOffException">Switched off.</exception>
    /// <exception cref="ModelBusyException">The model cannot take another conversation now.</exception>
    public async IAsyncEnumerable<string> ReplyPrivatelyAsync(string personText, string conversationId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _replying, 1);
        try
        {
            var companion = await CompanionAsync(conversationId, cancellationToken).ConfigureAwait(false);
            if (!_private.TryGetValue(conversationId, out var conversation))
            {
                if (_private.Count >= MaxPrivateConversations)
                {
                    _private.Remove(_private.Keys.First());
                }

                conversation = new PrivateConversation(companion.Identity, _services);
                _private[conversationId] = conversation;
            }

            await foreach (var chunk in conversation.ReplyAsync(personText, cancellationToken).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
        finally
        {
            Interlocked.Exchange(ref _replying, 0);
            _turn.Release();
        }
    }

    /// <summary>Ends a private conversation: its turns are dropped.</summary>
    public async Task EndPrivateAsync(string conversationId)
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            _private.Remove(conversationId);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Takes back the last exchange of <paramref name="sessionId"/> (the person's turn and the reply to it) as if never
    /// said: exactly the turns it kept are forgotten. For a voice turn that was only the first part of what the person
    /// was saying; the whole is then answered as one turn.
    /// </summary>
    /// <returns>How many turns were forgotten: 0 when the last exchange was not in that session.</returns>
    public async Task<int> WithdrawLastExchangeAsync(string sessionId, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastExchange is not { } last || last.SessionId != sessionId)
            {
                return 0;
            }

            _lastExchange = null;
            var forgotten = 0;
            foreach (var turnId in new[] { last.PersonTurnId, last.ReplyTurnId }.OfType<long>())
            {
                forgotten += await _services.Store.ForgetTurnAsync(CompanionId, turnId, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }

            LifeLog.Withdrawn(_services.Logger, CompanionId, forgotten);
            return forgotten;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// The remembered turns that best match <paramref name="query"/>, best first, searched in this life's own memory (so
    /// a host keeps one cache of it). Not serialised with turns: a search only reads, and need not wait for a reply.
    /// </summary>
    /// <exception cref="InvalidOperationException">This life's memory cannot be searched (it keeps no index).</exception>
    public Task<IReadOnlyList<FoundMemory>> SearchMemoriesAsync(string query, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        return SearchableMemory().SearchAsync(CompanionId, query, limit, _services.Time.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Forgets one turn everywhere (the store, and this life's memory of it), after any turn in progress, so that a
    /// reply never recalls a turn half-forgotten.
    /// </summary>
    /// <returns>False when there was no such turn.</returns>
    public async Task<bool> ForgetTurnAsync(long turnId, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _services.Recall is ISearchableRecall memory
                ? await memory.ForgetTurnAsync(CompanionId, turnId, cancellationToken).ConfigureAwait(false)
                : await _services.Store.ForgetTurnAsync(CompanionId, turnId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Drops what this life's memory holds (after any turn in progress), so that it loads again from the store: for
    /// a host that deleted turns through the store directly (forgetting a person).
    /// </summary>
    public async Task ReloadMemoryAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            (_services.Recall as ISearchableRecall)?.Reload(CompanionId);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Says something unprompted (a reminder that came due, a check-in) and remembers it as her turn in
    /// <paramref name="sessionId"/>; waits for a turn in progress to end first.
    /// </summary>
    public async Task<StoredTurn> SayAsync(string words, string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(words);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _services.Store.AppendTurnAsync(new NewTurn(CompanionId, sessionId, Speaker.Companion, words, _services.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Switches her off: from now nothing is heard, kept or sent, and private conversations end.</summary>
    public async Task SwitchOffAsync(CancellationToken cancellationToken)
    {
        var inner = InnerLife();
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _private.Clear();
            await Switching.OffAsync(inner, CompanionId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Switches her back on: what she says about the time she was off is remembered as her turn in
    /// <paramref name="sessionId"/> and returned; null when she was not off.
    /// </summary>
    public async Task<string?> SwitchOnAsync(string sessionId, CancellationToken cancellationToken)
    {
        var inner = InnerLife();
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Switching.OnAsync(inner, _services.Store, CompanionId, sessionId, _services.Time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="forget"/> (which deletes the companion and everything it knows) while no turn runs, stops
    /// what runs in the background, and forgets who she was here: a later turn wakes her as a stranger.
    /// </summary>
    public async Task<bool> ForgetAsync(Func<CancellationToken, Task<bool>> forget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(forget);
        await StopBackgroundAsync().ConfigureAwait(false);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _companion = null;
            _lastExchange = null;
            _private.Clear();
            var forgotten = await forget(cancellationToken).ConfigureAwait(false);

            // What her memory held of the companion forgotten must not outlive it: the next one starts from the store.
            if (_services.OpenRecall is { } open)
            {
                await CloseRecallAsync().ConfigureAwait(false);
                _services = _services with { Recall = open(CompanionId) };
            }

            return forgotten;
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopBackgroundAsync().ConfigureAwait(false);
        _private.Clear();
        await CloseRecallAsync().ConfigureAwait(false);
    }

    // The memory this life opened (see CompanionServices.OpenRecall) goes with it.
    private async Task CloseRecallAsync()
    {
        if (_services.OpenRecall is null)
        {
            return;
        }

        switch (_services.Recall)
        {
            case IAsyncDisposable recall:
                await recall.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable recall:
                recall.Dispose();
                break;
        }
    }

    private async Task<Companion> CompanionAsync(string sessionId, CancellationToken cancellationToken) =>
        _companion ??= (await Companion.WakeAsync(CompanionId, sessionId, _services, cancellationToken).ConfigureAwait(false)).Companion;

    // A capability of the memory this life holds, as disposal is (CloseRecallAsync): Core knows only the interface.
    private ISearchableRecall SearchableMemory() =>
        _services.Recall as ISearchableRecall ?? throw new InvalidOperationException("This companion's memory cannot be searched.");

    private InnerLife InnerLife() =>
        _services.Inner ?? throw new InvalidOperationException("This companion has no inner life to switch.");
}
