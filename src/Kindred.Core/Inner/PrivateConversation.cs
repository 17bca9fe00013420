using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace Kindred.Core.Inner;

/// <summary>
/// A conversation that is not remembered at all: its turns live only in this object's memory and go when it does.
/// Nothing of it is written anywhere (no turn, no appraisal, no persona change, no reminder, no log of its words);
/// the companion reads who it is and who the person is, and writes nothing.
/// </summary>
public sealed class PrivateConversation(CompanionIdentity identity, CompanionServices services)
{
    private const string SessionId = "private";

    // Ids that no stored turn can have, increasing in the order said, as the prompt composer orders by id.
    private const long PrivateIdBase = long.MinValue / 2;
    private readonly List<StoredTurn> _turns = [];
    private readonly PromptComposer _composer = new(services.Tokens, services.Options.MaxReplyTokens);

    /// <summary>How many turns, both sides, this private conversation has had.</summary>
    public int TurnCount => _turns.Count;

    /// <summary>Answers the person, streaming; nothing of it outlives this object.</summary>
    /// <exception cref="CompanionSwitchedOffException">The companion is switched off.</exception>
    public async IAsyncEnumerable<string> ReplyAsync(string personText, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(personText);
        var id = identity.CompanionId;
        if (services.Inner is { } inner && await inner.IsOffAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new CompanionSwitchedOffException();
        }

        var text = personText.Trim();
        var now = services.Time.GetUtcNow();
        var relationship = await services.Store.GetRelationshipAsync(id, cancellationToken).ConfigureAwait(false);
        var guidance = services.Inner is { } life
            ? await life.PrivateGuidanceAsync(id, cancellationToken).ConfigureAwait(false)
            : "This is a private conversation: nothing said in it will be remembered.";
        var prompt = _composer.Compose(new PromptInputs(identity, relationship, [], [.. _turns], text, now) { Guidance = guidance });
        var options = new ChatOptions
        {
            MaxOutputTokens = _composer.ReplyReserve,
            Temperature = services.Options.Temperature,
            TopP = services.Options.TopP,
        };

        var reply = new StringBuilder();
        await foreach (var update in services.Chat.GetStreamingResponseAsync(prompt.Messages, options, cancellationToken).ConfigureAwait(false))
        {
            if (update.Text.Length == 0)
            {
                continue;
            }

            reply.Append(update.Text);
            yield return update.Text;
        }

        _turns.Add(new StoredTurn(PrivateIdBase + _turns.Count, id, SessionId, Speaker.Person, text, now, TurnStatus.Complete));
        _turns.Add(new StoredTurn(PrivateIdBase + _turns.Count, id, SessionId, Speaker.Companion, reply.ToString().Trim(), services.Time.GetUtcNow(), TurnStatus.Complete));
    }
}
