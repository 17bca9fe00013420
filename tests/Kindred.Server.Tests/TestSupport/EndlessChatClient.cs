using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Kindred.Server.Tests.TestSupport;

/// <summary>
/// A chat client that talks until it is stopped, when the person's message contains "forever": it says one word,
/// then waits for cancellation, so an interrupt or a disconnect is what ends the reply, deterministically. Any
/// other message gets a short, complete answer; the naming question gets "Nova".
/// </summary>
public sealed class EndlessChatClient : IChatClient
{
    private readonly SemaphoreSlim _cancellations = new(0);

    /// <summary>
    /// Waits until one more endless reply has been cancelled (bounded only so a broken server fails the test
    /// instead of hanging it).
    /// </summary>
    public async Task WaitForCancellationAsync() =>
        Assert.True(await _cancellations.WaitAsync(TimeSpan.FromSeconds(60)), "The reply was never cancelled.");

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var last = messages.Last().Text;
        if (last.Contains("What name do you choose", StringComparison.Ordinal))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "Nova");
            yield break;
        }

        if (!last.Contains("forever", StringComparison.Ordinal))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "Fine, ");
            yield return new ChatResponseUpdate(ChatRole.Assistant, "thanks.");
            yield break;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, "Once");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            _cancellations.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => _cancellations.Dispose();
}
