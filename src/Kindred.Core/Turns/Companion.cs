using System.Runtime.CompilerServices;
using System.Text;
using Kindred.Core.Inner;
using Microsoft.Extensions.AI;

namespace Kindred.Core;

/// <summary>
/// One companion and its turn, in four named steps: Perceive → Recall → Respond → Remember. Whether a turn can be taken
/// (switched off, or the model full) is decided before anything is stored; the person's turn is committed before
/// generation starts and the reply when it ends, so a process that dies mid-reply loses nothing the person said. Turns
/// of one companion must not overlap: its owner (<see cref="Life.CompanionLife"/>) serialises them.
/// </summary>
public sealed class Companion
{
    private readonly CompanionServices _services;
    private readonly PromptComposer _composer;
    private readonly Timeline _remembered;

    internal Companion(CompanionIdentity identity, CompanionServices services)
    {
        Identity = identity;
        _services = services;
        _composer = new PromptComposer(services.Tokens, services.Options.MaxReplyTokens);
        _remembered = new RememberedTimeline(identity.CompanionId, services);
    }

    /// <summary>Who this companion is.</summary>
    public CompanionIdentity Identity { get; }

    /// <summary>
    /// Wakes the companion with this id. The first time, it chooses its name, introduces itself and asks the
    /// person's name; the greeting is stored as its first turn in <paramref name="sessionId"/>.
    /// </summary>
    public static Task<Awakening> WakeAsync(string companionId, string sessionId, CompanionServices services, CancellationToken cancellationToken) =>
        FirstWake.WakeAsync(companionId, sessionId, services, cancellationToken);

    /// <summary>The companion's relationship with its person, as stored now.</summary>
    public Task<Relationship> GetRelationshipAsync(CancellationToken cancellationToken) =>
        _services.Store.GetRelationshipAsync(Identity.CompanionId, cancellationToken);

    /// <summary>
    /// Answers the person, streaming the reply as it is generated, and remembers both turns. Cancelling (or abandoning
    /// the stream) stops generation at once; what was said so far is stored as an interrupted reply.
    /// </summary>
    /// <exception cref="CompanionSwitchedOffException">The companion is switched off: nothing was heard or stored.</exception>
    /// <exception cref="ModelBusyException">The model cannot take another conversation now: nothing was stored.</exception>
    public IAsyncEnumerable<string> ReplyAsync(string personText, string sessionId, CancellationToken cancellationToken = default) =>
        TurnAsync(personText, sessionId, _remembered, exchange: null, cancellationToken);

    /// <summary>The turn: the same four steps whatever keeps it (the store, or a private conversation that keeps nothing).</summary>
    internal async IAsyncEnumerable<string> TurnAsync(string personText, string sessionId, Timeline timeline, Exchange? exchange, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(personText);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        var heard = await PerceiveAsync(personText.Trim(), sessionId, timeline, cancellationToken).ConfigureAwait(false);
        using (heard.Seat)
        {
            exchange?.Heard(heard.Turn);
            var recalled = await RecallAsync(heard, timeline, cancellationToken).ConfigureAwait(false);
            var reply = new StringBuilder();
            var completed = false;
            try
            {
                await foreach (var chunk in RespondAsync(heard, recalled, cancellationToken).ConfigureAwait(false))
                {
                    reply.Append(chunk);
                    yield return chunk;
                }

                completed = true;
            }
            finally
            {
                // Not cancellable: the reply is already said.
                var kept = await RememberAsync(heard, reply.ToString(), completed, timeline).ConfigureAwait(false);
                exchange?.Replied(kept, completed);
            }
        }
    }

    /// <summary>
    /// Perceive: whether the turn can be taken at all (off, or no seat at the model), then the person's words kept,
    /// their name learned, and what the inner life makes of the turn (appraisal, feedback, reminders).
    /// </summary>
    private async Task<Heard> PerceiveAsync(string text, string sessionId, Timeline timeline, CancellationToken cancellationToken)
    {
        var id = Identity.CompanionId;
        if (_services.Inner is { } inner && await inner.IsOffAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new CompanionSwitchedOffException();
        }

        var seat = ModelSeat.Take(_services.Chat);
        try
        {
            var now = _services.Time.GetUtcNow();
            var (turn, previous) = await timeline.HearAsync(new NewTurn(id, sessionId, Speaker.Person, text, now), cancellationToken).ConfigureAwait(false);
            var relationship = await GetRelationshipAsync(cancellationToken).ConfigureAwait(false);
            if (timeline.Keeps)
            {
                relationship = await LearnPersonNameAsync(relationship, text, previous, cancellationToken).ConfigureAwait(false);
            }

            var guidance = await timeline.UnderstandAsync(Identity, turn, previous, relationship.PersonName, cancellationToken).ConfigureAwait(false);
            return new Heard(turn, relationship, guidance, seat);
        }
        catch
        {
            seat?.Dispose();
            throw;
        }
    }

    /// <summary>Recall: the recent conversation, and what memory brings to mind for the turn.</summary>
    private Task<RecallResult> RecallAsync(Heard heard, Timeline timeline, CancellationToken cancellationToken) =>
        timeline.RecallAsync(new RecallRequest(Identity.CompanionId, heard.Turn.Text, heard.Turn.Id, heard.Turn.At), cancellationToken);

    /// <summary>Respond: the prompt composed within the model's context, and the reply streamed from the model.</summary>
    private async IAsyncEnumerable<string> RespondAsync(Heard heard, RecallResult recall, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var inputs = new PromptInputs(Identity, heard.Relationship, recall.Memories, recall.RecentTurns, heard.Turn.Text, heard.Turn.At)
        {
            Facts = recall.Facts,
            People = recall.People,
            Guidance = heard.Guidance,
        };
        var prompt = _composer.Compose(inputs);
        CompanionLog.PromptComposed(_services.Logger, Identity.CompanionId, prompt.PromptTokens, prompt.DroppedTurns, prompt.DroppedMemories);
        var options = new ChatOptions
        {
            MaxOutputTokens = _composer.ReplyReserve,
            Temperature = _services.Options.Temperature,
            TopP = _services.Options.TopP,
        };
        ModelSeat.Attach(heard.Seat, options);
        await foreach (var update in _services.Chat.GetStreamingResponseAsync(prompt.Messages, options, cancellationToken).ConfigureAwait(false))
        {
            if (update.Text.Length > 0)
            {
                yield return update.Text;
            }
        }
    }

    /// <summary>Remember: the reply kept, whole or cut off, and both turns indexed now rather than at the next turn.</summary>
    private async Task<StoredTurn?> RememberAsync(Heard heard, string reply, bool completed, Timeline timeline)
    {
        var said = completed ? reply.Trim() : reply;
        var kept = said.Length == 0 ? null : await timeline.KeepReplyAsync(
            heard.Turn,
            new NewTurn(Identity.CompanionId, heard.Turn.SessionId, Speaker.Companion, said, _services.Time.GetUtcNow(), completed ? TurnStatus.Complete : TurnStatus.Interrupted),
            CancellationToken.None).ConfigureAwait(false);
        if (completed)
        {
            var elapsedMs = (long)(_services.Time.GetUtcNow() - heard.Turn.At).TotalMilliseconds;
            CompanionLog.Replied(_services.Logger, Identity.CompanionId, elapsedMs, said.Length);
        }
        else
        {
            CompanionLog.Interrupted(_services.Logger, Identity.CompanionId, said.Length);
        }

        return kept;
    }

    // Until the person has said their name, listen for it: explicit introductions any time, a bare answer only
    // right after the companion asked.
    private async Task<Relationship> LearnPersonNameAsync(Relationship relationship, string text, StoredTurn? previous, CancellationToken cancellationToken)
    {
        if (relationship.PersonName is not null)
        {
            return relationship;
        }

        var justAsked = previous is { Speaker: Speaker.Companion } last && last.Text.TrimEnd().EndsWith('?');
        if (!PersonName.TryParse(text, justAsked, out var name))
        {
            return relationship;
        }

        await _services.Store.SetPersonNameAsync(Identity.CompanionId, name, cancellationToken).ConfigureAwait(false);
        return relationship with { PersonName = name };
    }

    /// <summary>The person's turn as perceived: kept (or held privately), with what the reply is to be guided by.</summary>
    private sealed record Heard(StoredTurn Turn, Relationship Relationship, string? Guidance, ModelSeat? Seat);
}
