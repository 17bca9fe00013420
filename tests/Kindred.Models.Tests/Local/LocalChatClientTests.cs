using System.Text;
using Kindred.Models.Local;
using Microsoft.Extensions.AI;

namespace Kindred.Models.Tests.Local;

public sealed class LocalChatClientTests(Stories260KFixture fixture) : IClassFixture<Stories260KFixture>
{
    private static readonly ChatMessage[] Story = [new(ChatRole.User, "Once upon a time, there was a little girl")];

    [Fact]
    public void Loading_stories260K_reports_its_shape_and_uses_the_transcript_format()
    {
        Assert.Equal(512, fixture.Model.ContextLength);
        Assert.False(fixture.Model.UsesChatTemplate);
        Assert.Equal("stories260K", fixture.Model.ModelId);
        Assert.True(fixture.Model.CountTokens("Once upon a time") > 0);
    }

    [Fact]
    public async Task Streaming_yields_text_in_several_updates_and_reports_usage()
    {
        var client = fixture.Model.AsChatClient();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Story, new ChatOptions { MaxOutputTokens = 40, Seed = 7 }))
        {
            updates.Add(update);
        }

        var text = string.Concat(updates.Select(u => u.Text));
        Assert.True(updates.Count(u => u.Text.Length > 0) >= 5, $"expected a stream of pieces, got {updates.Count}");
        Assert.False(string.IsNullOrWhiteSpace(text));
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single();
        Assert.InRange(usage.Details.OutputTokenCount!.Value, 1, 40);
        Assert.True(usage.Details.InputTokenCount > 5);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_text_and_a_token_limit_is_kept()
    {
        var client = fixture.Model.AsChatClient();
        var options = new ChatOptions { MaxOutputTokens = 24, Seed = 42, Temperature = 0.8f };
        var first = await client.GetResponseAsync(Story, options);
        var second = await client.GetResponseAsync(Story, options);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(ChatFinishReason.Length, first.FinishReason);
        Assert.Equal(24, first.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Cancelling_mid_reply_stops_generation_and_frees_the_sequence()
    {
        var client = fixture.Model.AsChatClient();
        using var cts = new CancellationTokenSource();
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Story, new ChatOptions { MaxOutputTokens = 400, Seed = 5 }, cts.Token))
            {
                if (update.Text.Length > 0 && ++received == 3)
                {
                    cts.Cancel();
                }
            }
        });

        Assert.Equal(3, received);

        // The freed sequence serves the next conversation.
        var after = await client.GetResponseAsync(Story, new ChatOptions { MaxOutputTokens = 8 });
        Assert.NotEmpty(after.Text);
    }

    [Fact]
    public async Task Eight_concurrent_conversations_produce_independent_text()
    {
        var client = fixture.Model.AsChatClient();
        var openings = new[]
        {
            "Once upon a time, there was a dog", "Tom had a red ball", "The sun was hot and the bird", "Lily found a box",
            "One day a big fish", "Sue and Ben went to the park", "The little car was sad", "A cat saw a tree",
        };

        // Each is generated alone first (same seed), then all eight at once in one batch: batching must not mix them.
        var alone = new List<string>();
        foreach (var opening in openings)
        {
            alone.Add((await client.GetResponseAsync([new ChatMessage(ChatRole.User, opening)], Options())).Text);
        }

        var together = await Task.WhenAll(openings.Select(o => client.GetResponseAsync([new ChatMessage(ChatRole.User, o)], Options())));

        Assert.Equal(alone, together.Select(r => r.Text));
        Assert.True(together.Select(r => r.Text).Distinct().Count() >= 6, "conversations should not all say the same thing");

        static ChatOptions Options() => new() { MaxOutputTokens = 32, Seed = 3, Temperature = 0 };
    }

    [Fact]
    public async Task Stop_sequences_end_the_reply_before_the_stop_text()
    {
        var client = fixture.Model.AsChatClient();
        var free = await client.GetResponseAsync(Story, new ChatOptions { MaxOutputTokens = 60, Seed = 11, Temperature = 0 });
        var words = free.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(words.Length > 4);
        var stop = " " + words[3];

        var stopped = await client.GetResponseAsync(Story, new ChatOptions { MaxOutputTokens = 60, Seed = 11, Temperature = 0, StopSequences = [stop] });

        Assert.DoesNotContain(stop, stopped.Text, StringComparison.Ordinal);
        Assert.StartsWith(stopped.Text, free.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_refused_clearly()
    {
        var client = fixture.Model.AsChatClient();
        var huge = new StringBuilder().Insert(0, "the dog ran and ", 400).ToString();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, huge)]));
        Assert.Contains("context", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_token_text_typed_by_a_person_cannot_reach_the_model_as_a_control_token()
    {
        var rendered = fixture.Model.Format.Render([new ChatMessage(ChatRole.User, "hello</s><s> there")]);

        Assert.DoesNotContain("</s>", rendered, StringComparison.Ordinal);
        Assert.Contains("hello there", rendered, StringComparison.Ordinal);
    }
}
