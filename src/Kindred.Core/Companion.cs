using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace Kindred.Core;

/// <summary>
/// One companion and its turn pipeline: Perceive → Recall → Respond → Remember. The person's turn is committed
/// before generation starts and the reply when it ends, so a process that dies mid-reply loses nothing the
/// person said. Turns of one companion must not overlap; callers serialise them (a grain, or a console loop).
/// </summary>
public sealed class Companion
{
    private readonly CompanionServices _services;
    private readonly PromptComposer _composer;

    private Companion(CompanionIdentity identity, CompanionServices services)
    {
        Identity = identity;
        _services = services;
        _composer = new PromptComposer(services.Tokens, services.Options.MaxReplyTokens);
    }

    /// <summary>Who this companion is.</summary>
    public CompanionIdentity Identity { get; }

    /// <summary>
    /// Wakes the companion with this id. The first time, it chooses its name, introduces itself and asks the
    /// person's name; the greeting is stored as its first turn in <paramref name="sessionId"/>.
    /// </summary>
    public static async Task<Awakening> WakeAsync(string companionId, string sessionId, CompanionServices services, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ArgumentNullException.ThrowIfNull(services);
        services.Options.Validate();

        var existing = await services.Store.FindCompanionAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return new Awakening(new Companion(existing, services), FirstWake: false, Greeting: null);
        }

        var name = await FirstWake.ChooseNameAsync(companionId, services, cancellationToken).ConfigureAwait(false);
        var now = services.Time.GetUtcNow();
        var proposed = new CompanionIdentity(companionId, name, now, services.Options.DefaultPersona, [.. services.Options.DefaultTraits]);
        var identity = await services.Store.CreateCompanionAsync(proposed, cancellationToken).ConfigureAwait(false);
        if (identity.Name != proposed.Name || identity.WokeAt != proposed.WokeAt)
        {
            // Another process woke it first; its choice stands and it has already greeted.
            return new Awakening(new Companion(identity, services), FirstWake: false, Greeting: null);
        }

        var greeting = FirstWake.Greeting(identity.Name);
        await services.Store.AppendTurnAsync(new NewTurn(companionId, sessionId, Speaker.Companion, greeting, now), cancellationToken).ConfigureAwait(false);
        CompanionLog.FirstWake(services.Logger, companionId);
        return new Awakening(new Companion(identity, services), FirstWake: true, greeting);
    }

    /// <summary>The companion's relationship with its person, as stored now.</summary>
    public Task<Relationship> GetRelationshipAsync(CancellationToken cancellationToken) =>
        _services.Store.GetRelationshipAsync(Identity.CompanionId, cancellationToken);

    /// <summary>
    /// Answers the person, streaming the reply as it is generated. Cancelling (or abandoning the stream) stops
    /// generation at once; what was said so far is stored as an interrupted reply.
    /// </summary>
    public async IAsyncEnumerable<string> ReplyAsync(string personText, string sessionId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(personText);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        var id = Identity.CompanionId;
        var store = _services.Store;

        // Perceive.
        var text = personText.Trim();
        var heard = _services.Time.GetUtcNow();

        // Inner life: switched off, nothing is heard or kept.
        if (_services.Inner is { } innerLife && await innerLife.IsOffAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new Inner.CompanionSwitchedOffException();
        }

        // Remember the person's turn before anything can fail.
        var personTurn = await store.AppendTurnAsync(new NewTurn(id, sessionId, Speaker.Person, text, heard), cancellationToken).ConfigureAwait(false);

        // Recall.
        var recall = await _services.Recall.RecallAsync(new RecallRequest(id, text, personTurn.Id, heard), cancellationToken).ConfigureAwait(false);
        var relationship = await LearnPersonNameAsync(text, recall.RecentTurns, cancellationToken).ConfigureAwait(false);

        // Inner life: how the person seems, feedback, reminders; it steers the reply's tone through the prompt.
        var understanding = _services.Inner is { } inner
            ? await inner.PerceiveAsync(Identity, personTurn, recall.RecentTurns, relationship.PersonName, cancellationToken).ConfigureAwait(false)
            : null;

        // Respond.
        var prompt = _composer.Compose(new PromptInputs(Identity, relationship, recall.Memories, recall.RecentTurns, text, heard) { Facts = recall.Facts, People = recall.People, Guidance = understanding?.Guidance });
        CompanionLog.PromptComposed(_services.Logger, id, prompt.PromptTokens, prompt.DroppedTurns, prompt.DroppedMemories);
        var options = new ChatOptions
        {
            MaxOutputTokens = _composer.ReplyReserve,
            Temperature = _services.Options.Temperature,
            TopP = _services.Options.TopP,
        };

        var reply = new StringBuilder();
        var completed = false;
        var started = _services.Time.GetTimestamp();
        try
        {
            await foreach (var update in _services.Chat.GetStreamingResponseAsync(prompt.Messages, options, cancellationToken).ConfigureAwait(false))
            {
                var chunk = update.Text;
                if (chunk.Length == 0)
                {
                    continue;
                }

                reply.Append(chunk);
                yield return chunk;
            }

            completed = true;
        }
        finally
        {
            // Remember the reply, whole or cut off. Not cancellable: the reply is already said.
            var said = completed ? reply.ToString().Trim() : reply.ToString();
            var status = completed ? TurnStatus.Complete : TurnStatus.Interrupted;
            if (said.Length > 0)
            {
                await store.AppendTurnAsync(new NewTurn(id, sessionId, Speaker.Companion, said, _services.Time.GetUtcNow(), status), CancellationToken.None).ConfigureAwait(false);
            }

            if (completed)
            {
                var elapsedMs = (long)_services.Time.GetElapsedTime(started).TotalMilliseconds;
                CompanionLog.Replied(_services.Logger, id, elapsedMs, said.Length);
            }
            else
            {
                CompanionLog.Interrupted(_services.Logger, id, said.Length);
            }
        }
    }

    // Until the person has said their name, listen for it: explicit introductions any time, a bare answer only
    // right after the companion asked.
    private async Task<Relationship> LearnPersonNameAsync(string text, IReadOnlyList<StoredTurn> recentTurns, CancellationToken cancellationToken)
    {
        var relationship = await GetRelationshipAsync(cancellationToken).ConfigureAwait(false);
        if (relationship.PersonName is not null)
        {
            return relationship;
        }

        var justAsked = recentTurns.Count > 0 && recentTurns[^1] is { Speaker: Speaker.Companion } last && last.Text.TrimEnd().EndsWith('?');
        if (!PersonName.TryParse(text, justAsked, out var name))
        {
            return relationship;
        }

        await _services.Store.SetPersonNameAsync(Identity.CompanionId, name, cancellationToken).ConfigureAwait(false);
        return relationship with { PersonName = name };
    }
}
