using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Kindred.Core.Tests.TestSupport;

/// <summary>What the model was asked: the messages and options exactly as it received them.</summary>
internal sealed record ChatRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, bool Streaming)
{
    public string SystemText => Messages.Count > 0 && Messages[0].Role == ChatRole.System ? Messages[0].Text : "";
}

/// <summary>
/// A language model that says what the test scripted (one queued reply per call, streamed in the scripted chunks),
/// remembers every request, and can fail or hang mid-reply until it is cancelled.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<ScriptedReply> _replies = new();
    private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every request, in the order received.</summary>
    public List<ChatRequest> Requests { get; } = [];

    /// <summary>
    /// Runs at the start of a streaming call, before the first chunk, so a test can look at the world as it is when
    /// the model is asked.
    /// </summary>
    public Func<CancellationToken, Task>? OnStreamingStarted { get; set; }

    /// <summary>Completes once a reply scripted to hang has reached the point where it hangs.</summary>
    public Task Hanging => _hanging.Task;

    /// <summary>How many chunks the model has produced so far, over all calls.</summary>
    public int ChunksProduced { get; private set; }

    /// <summary>Whether the last stream was closed (finished, failed, cancelled or abandoned by its reader).</summary>
    public bool StreamClosed { get; private set; }

    /// <summary>The next call answers with these chunks.</summary>
    public ScriptedChatClient Says(params string[] chunks) => Enqueue(new ScriptedReply(chunks, Error: null, Hangs: false));

    /// <summary>The next call says these chunks, then fails with <paramref name="error"/>.</summary>
    public ScriptedChatClient SaysThenFails(Exception error, params string[] chunks) => Enqueue(new ScriptedReply(chunks, error, Hangs: false));

    /// <summary>The next call fails with <paramref name="error"/> before saying anything.</summary>
    public ScriptedChatClient Fails(Exception error) => SaysThenFails(error);

    /// <summary>The next call says these chunks, then hangs until its cancellation token is cancelled.</summary>
    public ScriptedChatClient SaysThenHangs(params string[] chunks) => Enqueue(new ScriptedReply(chunks, Error: null, Hangs: true));

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var reply = Next(messages, options, streaming: false);
        cancellationToken.ThrowIfCancellationRequested();
        if (reply.Hangs)
        {
            await HangUntilCancelledAsync(cancellationToken);
        }

        if (reply.Error is not null)
        {
            throw reply.Error;
        }

        ChunksProduced += reply.Chunks.Count;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(reply.Chunks)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = Next(messages, options, streaming: true);
        StreamClosed = false;
        try
        {
            if (OnStreamingStarted is { } onStarted)
            {
                await onStarted(cancellationToken);
            }

            foreach (var chunk in reply.Chunks)
            {
                // A real model checks between tokens; so does this one.
                cancellationToken.ThrowIfCancellationRequested();
                ChunksProduced++;
                yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
            }

            if (reply.Hangs)
            {
                await HangUntilCancelledAsync(cancellationToken);
            }

            if (reply.Error is not null)
            {
                throw reply.Error;
            }
        }
        finally
        {
            StreamClosed = true;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private ScriptedChatClient Enqueue(ScriptedReply reply)
    {
        _replies.Enqueue(reply);
        return this;
    }

    private ScriptedReply Next(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        Requests.Add(new ChatRequest([.. messages], options?.Clone(), streaming));
        return _replies.TryDequeue(out var reply)
            ? reply
            : throw new InvalidOperationException("The test scripted no reply for this call.");
    }

    private async Task HangUntilCancelledAsync(CancellationToken cancellationToken)
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = cancellationToken.Register(() => released.TrySetCanceled(cancellationToken));
        _hanging.TrySetResult();
        await released.Task;
    }

    private sealed record ScriptedReply(IReadOnlyList<string> Chunks, Exception? Error, bool Hangs);
}
