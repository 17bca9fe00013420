using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Server.Companions;
using Kindred.Server.Inner;
using Kindred.Models.Local;
using Kindred.Server.Contracts;
using Kindred.Server.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

// Grain code resumes on the grain's own scheduler: no ConfigureAwait(false) here (ORLEANS0014).
#pragma warning disable CA2007

namespace Kindred.Server.Grains;

/// <summary>
/// One companion on this silo. Hot state is only who the companion is; every turn goes to the store before it is
/// acknowledged, so a silo that dies loses nothing and the next activation, here or on another silo, carries on.
/// </summary>
/// <remarks>
/// Reentrant, because a streamed reply is many grain calls (one per batch of tokens): a second turn must wait for
/// the first on <see cref="_turn"/>, not block the grain's scheduler the first one needs to finish.
/// </remarks>
[Reentrant]
[SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never asked for holds nothing to dispose, and a late waiter may still hold it at deactivation.")]
internal sealed class CompanionGrain(CompanionBackend backend, CompanionServices services, ServerOptions options, CompanionMetrics metrics, ILogger<CompanionGrain> logger, ServerInnerLife inner, OutreachHub outreach, ServerKnowledge knowledge) : Grain, ICompanionGrain
{
    // Private conversations live here only, so a grain holds a few at most; the oldest goes first.
    private const int MaxPrivateConversations = 8;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Dictionary<string, PrivateConversation> _private = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopReflecting = new();
    private Task _reflecting = Task.CompletedTask;
    private readonly CancellationTokenSource _stopLearning = new();
    private readonly Lock _learningGate = new();
    private Task _learning = Task.CompletedTask;
    private bool _learningRuns;
    private bool _learnAgain;
    private string? _openSession;
    private Companion? _companion;
    private int _replying;

    // The session of this companion's last reply, and the newest stored turn before it: what a withdrawal takes back.
    private (string SessionId, long After)? _lastReply;

    private string CompanionId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.Activated();
        ServerLog.CompanionActivated(logger, CompanionId);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Deactivated();
        ServerLog.CompanionDeactivated(logger, CompanionId, reason.ReasonCode.ToString());
        _private.Clear();
        await _stopReflecting.CancelAsync();
        await _reflecting;
        await _stopLearning.CancelAsync();
        await _learning;
    }

    public async Task<CompanionWoken> WakeAsync(string sessionId, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var awakening = await Companion.WakeAsync(CompanionId, sessionId, services, cancellationToken);
            _companion = awakening.Companion;
            var identity = awakening.Companion.Identity;
            return new CompanionWoken(identity.CompanionId, identity.Name, identity.WokeAt, awakening.Greeting);
        }
        finally
        {
            _turn.Release();
        }
    }

    public async IAsyncEnumerable<string> ReplyAsync(string personText, string sessionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        Interlocked.Exchange(ref _replying, 1);
        var started = services.Time.GetTimestamp();

        // One span per turn for operators: ids, counts and the outcome only, never the words.
        using var span = ServerTelemetry.Source.StartActivity("companion turn");
        span?.SetTag("kindred.companion.id", CompanionId);
        var outcome = "interrupted";
        var tokens = 0;
        try
        {
            _companion ??= (await Companion.WakeAsync(CompanionId, sessionId, services, cancellationToken)).Companion;
            _lastReply = null;
            var newest = await services.Store.GetRecentTurnsAsync(CompanionId, 1, cancellationToken);
            _lastReply = (sessionId, newest is [var before] ? before.Id : 0);
            var reply = _companion.ReplyAsync(personText, sessionId, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (reply)
            {
                var first = true;
                while (true)
                {
                    try
                    {
                        if (!await reply.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (SchedulerBusyException)
                    {
                        ServerLog.ModelBusy(logger, CompanionId);
                        metrics.Refused();
                        outcome = "busy";
                        await UnstoreRefusedTurnAsync(sessionId);
                        throw new CompanionBusyException(options.BusyRetryAfterSeconds);
                    }
                    catch (CompanionSwitchedOffException)
                    {
                        outcome = "off";
                        throw new CompanionOffException();
                    }

                    if (first)
                    {
                        metrics.FirstToken(services.Time.GetElapsedTime(started));
                        span?.AddEvent(new ActivityEvent("first token"));
                        first = false;
                    }

                    metrics.Token();
                    tokens++;
                    yield return reply.Current;
                }
            }

            metrics.TurnCompleted(services.Time.GetElapsedTime(started));
            outcome = "complete";
            ReflectIfDue();
            LearnInBackground(sessionId);
        }
        finally
        {
            span?.SetTag("kindred.turn.tokens", tokens);
            span?.SetTag("kindred.turn.outcome", outcome);
            Interlocked.Exchange(ref _replying, 0);
            _turn.Release();
        }
    }

    // The person's turn is stored before the model is asked, so that nothing said is lost if the process dies. A
    // refusal (429, "busy") tells the client to say it again, though: the refused turn must go, or the retry stores it
    // twice. Turns of this companion are serialised on _turn, so what this session stored since the turn began is it.
    private async Task UnstoreRefusedTurnAsync(string sessionId)
    {
        if (_lastReply is { } started && started.SessionId == sessionId)
        {
            _lastReply = null;
            await ForgetTurnsSinceAsync(sessionId, started.After, CancellationToken.None);
        }
    }

    public async Task<int> WithdrawLastReplyAsync(string sessionId, CancellationToken cancellationToken)
    {
        // After the reply's own turn has ended (and stored what was said): turns of this companion are serialised.
        await _turn.WaitAsync(cancellationToken);
        try
        {
            if (_lastReply is not { } last || last.SessionId != sessionId)
            {
                return 0;
            }

            _lastReply = null;
            var forgotten = await ForgetTurnsSinceAsync(sessionId, last.After, cancellationToken);
            ServerLog.ReplyWithdrawn(logger, CompanionId, forgotten);
            return forgotten;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Forgets the turns this session stored after turn <paramref name="after"/>: one reply's at most.</summary>
    private async Task<int> ForgetTurnsSinceAsync(string sessionId, long after, CancellationToken cancellationToken)
    {
        // A reply stores two turns at most (the person's and its own); a few more are read in case another session
        // of this companion spoke since, whose turns stay.
        var recent = await services.Store.GetRecentTurnsAsync(CompanionId, 8, cancellationToken);
        var forgotten = 0;
        foreach (var turn in recent.Where(t => t.Id > after && t.SessionId == sessionId))
        {
            forgotten += await backend.Memory.ForgetTurnAsync(CompanionId, turn.Id, cancellationToken) ? 1 : 0;
        }

        return forgotten;
    }

    public Task<bool> IsReplyingAsync() => Task.FromResult(Volatile.Read(ref _replying) == 1);

    public async Task<bool> ForgetAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            _companion = null;
            _private.Clear();
            var forgotten = await backend.Memory.ForgetCompanionAsync(CompanionId, cancellationToken);
            DeactivateOnIdle();
            return forgotten;
        }
        finally
        {
            _turn.Release();
        }
    }

    public async IAsyncEnumerable<string> PrivateReplyAsync(string personText, string conversationId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        Interlocked.Exchange(ref _replying, 1);
        try
        {
            _companion ??= (await Companion.WakeAsync(CompanionId, CompanionEndpoints.ApiSession, services, cancellationToken)).Companion;
            if (!_private.TryGetValue(conversationId, out var conversation))
            {
                if (_private.Count >= MaxPrivateConversations)
                {
                    _private.Remove(_private.Keys.First());
                }

                conversation = new PrivateConversation(_companion.Identity, services);
                _private[conversationId] = conversation;
            }

            var reply = conversation.ReplyAsync(personText, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (reply)
            {
                while (true)
                {
                    try
                    {
                        if (!await reply.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (SchedulerBusyException)
                    {
                        ServerLog.ModelBusy(logger, CompanionId);
                        metrics.Refused();
                        throw new CompanionBusyException(options.BusyRetryAfterSeconds);
                    }
                    catch (CompanionSwitchedOffException)
                    {
                        throw new CompanionOffException();
                    }

                    yield return reply.Current;
                }
            }
        }
        finally
        {
            Interlocked.Exchange(ref _replying, 0);
            _turn.Release();
        }
    }

    public Task EndPrivateAsync(string conversationId)
    {
        _private.Remove(conversationId);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reflects in the background when enough has happened (or a day has passed): never on a reply's critical path, one
    /// reflection at a time. A check-in it plans is handed to outreach at once.
    /// </summary>
    private void ReflectIfDue()
    {
        if (!_reflecting.IsCompleted)
        {
            return;
        }

        var (reflector, life) = (inner.Reflector, inner.Life);

        var companionId = CompanionId;
        var token = _stopReflecting.Token;
        _reflecting = Task.Run(
            async () =>
            {
                try
                {
                    if (!await life.IsOffAsync(companionId, token)
                        && await reflector.ReflectIfDueAsync(companionId, token) is { CheckIn: not null })
                    {
                        await outreach.WakeAsync(companionId, token);
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Deactivating: the reflection happens after a later turn.
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or System.Data.Common.DbException)
                {
                    InnerServerLog.ReflectionFailed(logger, companionId, ex.GetType().Name);
                }
            },
            CancellationToken.None);
    }

    /// <summary>
    /// Learns facts, people and summaries from the stored turns in the background: never on a reply's critical path,
    /// one pass at a time. A turn that ends while a pass runs asks for one more pass, so none is left unread.
    /// </summary>
    private void LearnInBackground(string sessionId)
    {
        lock (_learningGate)
        {
            _openSession = sessionId;
            if (_learningRuns)
            {
                _learnAgain = true;
                return;
            }

            _learningRuns = true;
        }

        var companionId = CompanionId;
        var token = _stopLearning.Token;
        _learning = Task.Run(
            async () =>
            {
                try
                {
                    var openSession = sessionId;
                    while (true)
                    {
                        await knowledge.LearnAsync(companionId, openSession, token);
                        lock (_learningGate)
                        {
                            if (!_learnAgain)
                            {
                                _learningRuns = false;
                                return;
                            }

                            _learnAgain = false;
                            openSession = _openSession;
                        }
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Deactivating: the turns stay past the mark and the next activation's first turn reads them.
                    lock (_learningGate)
                    {
                        _learningRuns = false;
                    }
                }
            },
            CancellationToken.None);
    }
}
