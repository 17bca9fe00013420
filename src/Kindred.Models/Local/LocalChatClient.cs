using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Kindred.Models.Local;

/// <summary>An embedded model as an <see cref="IChatClient"/>: every call becomes a sequence in the shared batch.</summary>
internal sealed class LocalChatClient(LocalModel model) : IChatClient, Kindred.Core.IModelSeats
{
    /// <summary>Replies are capped here when the caller sets no limit (default 512 tokens).</summary>
    public const int DefaultMaxOutputTokens = 512;

    private readonly ChatClientMetadata _metadata = new("llamasharp", null, model.ModelId);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = model.TokenizePrompt(model.Format.Render(messages));
        var stops = new List<string>(options?.StopSequences ?? []);
        if (!model.UsesChatTemplate)
        {
            stops.AddRange(PromptFormat.TranscriptStops);
        }

        var maxTokens = Math.Max(1, Math.Min(options?.MaxOutputTokens ?? DefaultMaxOutputTokens, model.ContextLength - prompt.Length));
        var settings = new GenerationSettings(SamplingSettings.From(options), maxTokens, stops);
        var stats = new GenerationStats();
        var responseId = Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow;

        await foreach (var text in model.Scheduler.GenerateAsync(prompt, settings, stats, Kindred.Core.ModelSeat.Of(options) as SchedulerSeat, cancellationToken).ConfigureAwait(false))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, text) { ResponseId = responseId, ModelId = model.ModelId, CreatedAt = created };
        }

        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = responseId,
            ModelId = model.ModelId,
            CreatedAt = created,
            FinishReason = stats.Finish == GenerationFinish.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = stats.PromptTokens, OutputTokenCount = stats.GeneratedTokens, TotalTokenCount = stats.PromptTokens + stats.GeneratedTokens })],
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(LocalModel) ? model
        : null;

    public Kindred.Core.ModelSeat? TryTake() => model.Scheduler.TryTakeSeat();

    public void Dispose()
    {
        // The model outlives its chat clients; its owner disposes it.
    }
}
