using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Kindred.Core;
using Kindred.Models.Local;
using Kindred.Server.Contracts;
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
internal sealed class CompanionGrain(CompanionBackend backend, CompanionServices services, ServerOptions options, CompanionMetrics metrics, ILogger<CompanionGrain> logger) : Grain, ICompanionGrain
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private Companion? _companion;
    private int _replying;

    private string CompanionId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.Activated();
        ServerLog.CompanionActivated(logger, CompanionId);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Deactivated();
        ServerLog.CompanionDeactivated(logger, CompanionId, reason.ReasonCode.ToString());
        return Task.CompletedTask;
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
        try
        {
            _companion ??= (await Companion.WakeAsync(CompanionId, sessionId, services, cancellationToken)).Companion;
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
                        await UnstoreRefusedTurnAsync(personText, sessionId);
                        throw new CompanionBusyException(options.BusyRetryAfterSeconds);
                    }

                    if (first)
                    {
                        metrics.FirstToken(services.Time.GetElapsedTime(started));
                        first = false;
                    }

                    metrics.Token();
                    yield return reply.Current;
                }
            }

            metrics.TurnCompleted(services.Time.GetElapsedTime(started));
        }
        finally
        {
            Interlocked.Exchange(ref _replying, 0);
            _turn.Release();
        }
    }

    // The person's turn is stored before the model is asked, so that nothing said is lost if the process dies. A
    // refusal (429, "busy") tells the client to say it again, though: the refused turn must go, or the retry stores it
    // twice. Turns of this companion are serialised on _turn, so the latest one is the one just stored.
    private async Task UnstoreRefusedTurnAsync(string personText, string sessionId)
    {
        var latest = await services.Store.GetRecentTurnsAsync(CompanionId, 1, CancellationToken.None);
        if (latest is [{ Speaker: Speaker.Person } turn] && turn.SessionId == sessionId && turn.Text == personText.Trim())
        {
            await backend.Memory.ForgetTurnAsync(CompanionId, turn.Id, CancellationToken.None);
        }
    }

    public Task<bool> IsReplyingAsync() => Task.FromResult(Volatile.Read(ref _replying) == 1);

    public async Task<bool> ForgetAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            _companion = null;
            var forgotten = await backend.Memory.ForgetCompanionAsync(CompanionId, cancellationToken);
            DeactivateOnIdle();
            return forgotten;
        }
        finally
        {
            _turn.Release();
        }
    }

}
