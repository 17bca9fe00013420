using Kindred.Testing;
using Kindred.Models.Local;
using Kindred.Models.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Kindred.Models.Tests.Local;

// One sequence, so that who holds it is known exactly.
public sealed class SchedulerLimitsTests : IDisposable
{
    private static readonly ChatMessage[] Story = [new(ChatRole.User, "Once upon a time")];

    private LocalModel _model = null!;

    // The busy test needs no queue at all; the abandoned-stream test needs room for the next request to wait
    // the one step it takes the scheduler to release the abandoned sequence.
    private void Load(int maxQueued) => _model = LocalModel.Load(new LocalModelOptions
    {
        ModelPath = SharedModels.Stories260K,
        MaxConcurrentSequences = 1,
        MaxQueuedRequests = maxQueued,
        ContextLength = 2048,
        Threads = 1,
    });

    public void Dispose() => _model?.Dispose();

    [Fact]
    public async Task When_every_sequence_is_busy_and_the_queue_is_full_a_new_request_is_refused()
    {
        Load(maxQueued: 0);
        var client = _model.AsChatClient();

        // The first holds the only sequence: it cannot end early, for it never says end-of-text.
        var prompt = _model.TokenizePrompt("Once upon a time");
        var endless = new GenerationSettings(new SamplingSettings { PreventEndOfText = true }, MaxTokens: 2000, StopSequences: []);
        await using var first = _model.Scheduler.GenerateAsync(prompt, endless).GetAsyncEnumerator();
        Assert.True(await first.MoveNextAsync());

        await Assert.ThrowsAsync<SchedulerBusyException>(() => client.GetResponseAsync(Story, new ChatOptions { MaxOutputTokens = 4 }));
    }

    [Fact]
    public async Task A_stream_that_is_abandoned_stops_generating_and_frees_its_sequence()
    {
        Load(maxQueued: 1);
        var prompt = _model.TokenizePrompt("Once upon a time");
        var stats = new GenerationStats();
        var settings = new GenerationSettings(new SamplingSettings { PreventEndOfText = true }, MaxTokens: 2000, StopSequences: []);
        await using (var abandoned = _model.Scheduler.GenerateAsync(prompt, settings, stats).GetAsyncEnumerator())
        {
            Assert.True(await abandoned.MoveNextAsync());
        }

        // With a single sequence, this can only run once the abandoned one has been released.
        var next = await _model.AsChatClient().GetResponseAsync(Story, new ChatOptions { MaxOutputTokens = 4 });

        Assert.NotEmpty(next.Text);
        Assert.Equal(GenerationFinish.None, stats.Finish);
        Assert.InRange(stats.GeneratedTokens, 1, 1999);
    }
}
