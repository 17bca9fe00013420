using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Core.Life;
using Kindred.Server.Contracts;
using Kindred.Server.Inner;
using Kindred.Server.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

// Grain code resumes on the grain's own scheduler: no ConfigureAwait(false) here (ORLEANS0014).
#pragma warning disable CA2007

namespace Kindred.Server.Grains;

/// <summary>
/// One companion on this silo: the host of its <see cref="CompanionLife"/>, the one owner of its turns and of what it
/// says. The grain only translates: the life's refusals into the contract's exceptions, and each turn into metrics and
/// a span. Everything the companion knows lives in the store, so a silo that dies loses nothing acknowledged.
/// </summary>
/// <remarks>
/// Reentrant, because a streamed reply is many grain calls (one per batch of tokens): a second turn waits for the
/// first inside the life, not by blocking the grain's scheduler the first one needs to finish.
/// </remarks>
[Reentrant]
[SuppressMessage("Design", "CA1001", Justification = "The life is disposed when the grain deactivates, which is a grain's end.")]
internal sealed partial class CompanionGrain(
    CompanionBackend backend, CompanionServices services, ServerInnerLife inner, LifeEvents events, ServerOptions options, CompanionMetrics metrics, ILogger<CompanionGrain> logger)
    : Grain, ICompanionGrain
{
    private CompanionLife _life = null!;

    private string CompanionId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _life = new CompanionLife(CompanionId, services);
        StartOutreach(inner, events, options, logger);
        metrics.Activated();
        ServerLog.CompanionActivated(logger, CompanionId);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        StopOutreach();
        metrics.Deactivated();
        ServerLog.CompanionDeactivated(logger, CompanionId, reason.ReasonCode.ToString());

        // The life disposes its memory, the one cache of this companion on the silo: the memory routes go through it.
        await _life.DisposeAsync();
    }

    public async Task<CompanionWoken> WakeAsync(string sessionId, CancellationToken cancellationToken)
    {
        var awakening = await _life.WakeAsync(sessionId, cancellationToken);
        var identity = awakening.Companion.Identity;
        return new CompanionWoken(identity.CompanionId, identity.Name, identity.WokeAt, awakening.Greeting);
    }

    public async IAsyncEnumerable<string> ReplyAsync(string personText, string sessionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = services.Time.GetTimestamp();

        // One span per turn for operators: ids, counts and the outcome only, never the words.
        using var span = ServerTelemetry.Source.StartActivity("companion turn");
        span?.SetTag("kindred.companion.id", CompanionId);
        var outcome = "interrupted";
        var tokens = 0;
        try
        {
            await foreach (var chunk in Translate(_life.ReplyAsync(personText, sessionId, cancellationToken), Refused, cancellationToken))
            {
                if (tokens == 0)
                {
                    metrics.FirstToken(services.Time.GetElapsedTime(started));
                    span?.AddEvent(new ActivityEvent("first token"));
                }

                metrics.Token();
                tokens++;
                yield return chunk;
            }

            metrics.TurnCompleted(services.Time.GetElapsedTime(started));
            outcome = "complete";
        }
        finally
        {
            span?.SetTag("kindred.turn.tokens", tokens);
            span?.SetTag("kindred.turn.outcome", outcome);
        }

        void Refused(Exception refusal) => outcome = refusal is CompanionBusyException ? "busy" : "off";
    }

    public IAsyncEnumerable<string> PrivateReplyAsync(string personText, string conversationId, CancellationToken cancellationToken) =>
        Translate(_life.ReplyPrivatelyAsync(personText, conversationId, cancellationToken), null, cancellationToken);

    public Task EndPrivateAsync(string conversationId) => _life.EndPrivateAsync(conversationId);

    public async Task<int> WithdrawLastReplyAsync(string sessionId, CancellationToken cancellationToken)
    {
        var forgotten = await _life.WithdrawLastExchangeAsync(sessionId, cancellationToken);
        if (forgotten > 0)
        {
            ServerLog.ReplyWithdrawn(logger, CompanionId, forgotten);
        }

        return forgotten;
    }

    public async Task<long> SayAsync(string words, string sessionId, CancellationToken cancellationToken) =>
        (await _life.SayAsync(words, sessionId, cancellationToken)).Id;

    public Task<string?> SwitchOnAsync(string sessionId, CancellationToken cancellationToken) => _life.SwitchOnAsync(sessionId, cancellationToken);

    public Task SwitchOffAsync(CancellationToken cancellationToken) => _life.SwitchOffAsync(cancellationToken);

    public Task<bool> IsReplyingAsync() => Task.FromResult(_life.IsReplying);

    public async Task<IReadOnlyList<RememberedTurn>> SearchMemoriesAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var found = await _life.SearchMemoriesAsync(query, limit, cancellationToken);
        return [.. found.Select(Remembered)];
    }

    public Task<bool> ForgetMemoryAsync(long turnId, CancellationToken cancellationToken) => _life.ForgetTurnAsync(turnId, cancellationToken);

    public Task ReloadMemoryAsync(CancellationToken cancellationToken) => _life.ReloadMemoryAsync(cancellationToken);

    public async Task<bool> ForgetAsync(CancellationToken cancellationToken)
    {
        var forgotten = await _life.ForgetAsync(token => backend.Store.ForgetCompanionAsync(CompanionId, token), cancellationToken);
        DeactivateOnIdle();
        return forgotten;
    }

    // In the route's words (TurnView), so its JSON is what it was when the route searched the silo's shared index.
    private static RememberedTurn Remembered(FoundMemory found)
    {
        var turn = Companions.TurnView.From(found.Turn);
        return new RememberedTurn
        {
            Id = turn.Id, SessionId = turn.SessionId, Speaker = turn.Speaker, Text = turn.Text, At = turn.At, Status = turn.Status,
            Score = found.Score, Why = found.Why,
        };
    }

    /// <summary>
    /// The life's refusals in the contract's terms, which each channel then maps once (<see cref="Companions.ReplyStreams"/>):
    /// a full model is 429 with Retry-After, switched off is 409.
    /// </summary>
    private async IAsyncEnumerable<string> Translate(IAsyncEnumerable<string> reply, Action<Exception>? refused, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunks = reply.GetAsyncEnumerator(cancellationToken);
        await using (chunks)
        {
            while (true)
            {
                Exception? refusal = null;
                try
                {
                    if (!await chunks.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (ModelBusyException)
                {
                    ServerLog.ModelBusy(logger, CompanionId);
                    metrics.Refused();
                    refusal = new CompanionBusyException(options.BusyRetryAfterSeconds);
                }
                catch (CompanionSwitchedOffException)
                {
                    refusal = new CompanionOffException();
                }

                if (refusal is not null)
                {
                    refused?.Invoke(refusal);
                    throw refusal;
                }

                yield return chunks.Current;
            }
        }
    }
}
