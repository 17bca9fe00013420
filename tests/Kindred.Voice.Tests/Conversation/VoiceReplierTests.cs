using System.Runtime.CompilerServices;
using Kindred.Core;
using Kindred.Core.Tests.TestSupport;
using Kindred.Voice.Conversation;
using Kindred.Voice.Synthesis;
using Kindred.Voice.Tests.TestSupport;

namespace Kindred.Voice.Tests.Conversation;

public sealed class VoiceReplierTests : IAsyncLifetime, IDisposable
{
    private readonly FliteSynthesizer _flite = new();
    private CompanionWorld _world = null!;

    public async Task InitializeAsync() => _world = await CompanionWorld.CreateAsync();

    public void Dispose()
    {
        _flite.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task The_first_sentence_is_spoken_before_the_model_has_finished_the_reply()
    {
        var firstPlayed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new RecordingAudioOutput { OnPlayed = (_, _) => Task.FromResult(firstPlayed.TrySetResult()) };

        // The model writes the rest of its reply only once the first sentence has been played: a replier that
        // waited for the whole reply would never get there (the safety net turns that hang into a failure).
        async IAsyncEnumerable<string> Reply([EnumeratorCancellation] CancellationToken token)
        {
            yield return "Good morning";
            yield return " to you. Did";
            await firstPlayed.Task.WaitAsync(TimeSpan.FromMinutes(1), token);
            yield return " you sleep well? I";
            yield return " did.";
        }

        var result = await new VoiceReplier(_flite).SpeakAsync(Reply, output, CancellationToken.None);

        Assert.Equal(SpokenReplyOutcome.Completed, result.Outcome);
        Assert.Equal(["Good morning to you.", "Did you sleep well?", "I did."], result.Sentences);
        Assert.Equal(3, output.Played.Count);
        for (var i = 0; i < 3; i++)
        {
            // Each piece is that sentence's own audio, in order (flite's excitation noise varies; its timing does not).
            var alone = await _flite.SynthesizeAsync(result.Sentences[i], "slt", CancellationToken.None);
            Assert.Equal(alone.Samples.Length, output.Played[i].Samples.Length);
        }
    }

    [Fact]
    public async Task Barge_in_stops_playback_cancels_generation_and_stores_the_reply_as_interrupted()
    {
        var companion = await _world.WakeNamedAsync();
        _world.Chat.SaysThenHangs("Once upon a time there was a fox. ", "It lived in");
        using var bargeIn = new CancellationTokenSource();
        var output = new RecordingAudioOutput
        {
            // The person starts talking while the first sentence plays.
            OnPlayed = async (count, _) => await bargeIn.CancelAsync(),
        };

        var result = await new VoiceReplier(_flite).ReplyAsync(companion, "Tell me a story", CompanionWorld.SessionId, output, bargeIn.Token);

        Assert.Equal(SpokenReplyOutcome.Interrupted, result.Outcome);
        Assert.Equal(1, output.Stops);
        Assert.True(_world.Chat.StreamClosed, "generation was not cancelled");
        var history = await _world.HistoryAsync();
        Assert.Equal((Speaker.Person, "Tell me a story"), (history[^2].Speaker, history[^2].Text));
        Assert.Equal((Speaker.Companion, TurnStatus.Interrupted), (history[^1].Speaker, history[^1].Status));
        Assert.StartsWith("Once upon a time there was a fox.", history[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_that_runs_to_its_end_is_stored_complete_and_never_stops_playback()
    {
        var companion = await _world.WakeNamedAsync();
        _world.Chat.Says("Hello ", "again.");
        var output = new RecordingAudioOutput();

        var result = await new VoiceReplier(_flite).ReplyAsync(companion, "Hi", CompanionWorld.SessionId, output, CancellationToken.None);

        Assert.Equal(SpokenReplyOutcome.Completed, result.Outcome);
        Assert.Equal(0, output.Stops);
        var last = (await _world.HistoryAsync())[^1];
        Assert.Equal(("Hello again.", TurnStatus.Complete), (last.Text, last.Status));
    }
}
