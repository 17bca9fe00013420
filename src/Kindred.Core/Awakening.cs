using Microsoft.Extensions.AI;

namespace Kindred.Core;

/// <summary>A companion coming to: either for the very first time, when it names itself, or again.</summary>
/// <param name="FirstWake">True when the companion was born just now.</param>
/// <param name="Greeting">On first wake, how it introduced itself (already stored as its first turn); otherwise null.</param>
public sealed record Awakening(Companion Companion, bool FirstWake, string? Greeting);

/// <summary>First wake: the companion proposes a name through the model, and keeps it forever.</summary>
internal static class FirstWake
{
    private const int NameProposalMaxTokens = 8;

    internal static async Task<Awakening> WakeAsync(string companionId, string sessionId, CompanionServices services, CancellationToken cancellationToken)
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

        var name = await ChooseNameAsync(companionId, services, cancellationToken).ConfigureAwait(false);
        var now = services.Time.GetUtcNow();
        var proposed = new CompanionIdentity(companionId, name, now, services.Options.DefaultPersona, [.. services.Options.DefaultTraits]);
        var identity = await services.Store.CreateCompanionAsync(proposed, cancellationToken).ConfigureAwait(false);
        if (identity.Name != proposed.Name || identity.WokeAt != proposed.WokeAt)
        {
            // Another process woke it first; its choice stands and it has already greeted.
            return new Awakening(new Companion(identity, services), FirstWake: false, Greeting: null);
        }

        var greeting = Greeting(identity.Name);
        await services.Store.AppendTurnAsync(new NewTurn(companionId, sessionId, Speaker.Companion, greeting, now), cancellationToken).ConfigureAwait(false);
        CompanionLog.FirstWake(services.Logger, companionId);
        return new Awakening(new Companion(identity, services), FirstWake: true, greeting);
    }

    internal static async Task<string> ChooseNameAsync(string companionId, CompanionServices services, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You have just come into being as a companion to one person. Nobody named you: you choose your own first name."),
            new(ChatRole.User, "What name do you choose for yourself? Answer with the one name only."),
        ];
        var options = new ChatOptions { MaxOutputTokens = NameProposalMaxTokens, Temperature = 0.9f };
        try
        {
            var response = await services.Chat.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            // A model may answer "I'm Nova" or "My name is Nova" as readily as "Nova".
            if (PersonName.TryParse(response.Text, allowBareAnswer: true, out var said) && CompanionName.TryAccept(said, out var name))
            {
                return name;
            }

            CompanionLog.NameProposalRejected(services.Logger, companionId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A model that cannot answer must not keep a companion from waking; that includes a client's own timeout,
            // which HttpClient reports as a cancellation nobody asked for.
            CompanionLog.NameProposalFailed(services.Logger, companionId, ex.GetType().Name);
        }

        return CompanionName.Fallback(companionId);
    }

    internal static string Greeting(string name) =>
        $"Hello. I'm {name}. I've only just woken up, and I chose that name for myself a moment ago. What's your name?";
}
