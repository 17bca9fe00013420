using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Kindred.Life.Tests.TestSupport;

/// <summary>
/// The model of the life contract: it answers by looking at the prompt, so both hosts get the same answers however
/// often, and in whatever order, they ask. Asked for a name, it says "Nova"; in a conversation it answers the person's
/// latest line with the reply scripted for it.
/// </summary>
internal sealed class ScriptedLifeChat(IReadOnlyDictionary<string, string> replies) : IChatClient
{
    public const string Name = "Nova";
    public const string Fallback = "I see.";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var list = messages.ToList();
        var asked = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var answer = asked.Contains("name do you choose", StringComparison.OrdinalIgnoreCase) ? Name : ReplyTo(list);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = ReplyTo([.. messages]);
        var words = reply.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private string ReplyTo(List<ChatMessage> messages)
    {
        var said = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        foreach (var (line, reply) in replies)
        {
            if (said.Contains(line, StringComparison.Ordinal))
            {
                return reply;
            }
        }

        return Fallback;
    }
}
