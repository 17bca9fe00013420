using Kindred.Core;
using Kindred.Core.Tests.TestSupport;
using Kindred.Voice.Audio;
using Kindred.Voice.Conversation;
using Kindred.Voice.Recognition;
using Kindred.Voice.Synthesis;
using Kindred.Voice.Tests.TestSupport;
using Kindred.Voice.TurnTaking;

namespace Kindred.Voice.Tests.Conversation;

/// <summary>The whole loop: microphone audio → turn detection → recognition → reply → speech, and barge-in.</summary>
public sealed class VoiceSessionTests : IAsyncLifetime, IDisposable
{
    private readonly FliteSynthesizer _flite = new();
    private readonly PocketSphinxRecognizer _ears = new(grammar: Sentences.Grammar(Sentences.Everyday));
    private CompanionWorld _world = null!;

    public async Task InitializeAsync() => _world = await CompanionWorld.CreateAsync();

    public void Dispose()
    {
        _flite.Dispose();
        _ears.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task A_spoken_question_is_heard_answered_aloud_and_a_second_utterance_barges_in()
    {
        var companion = await _world.WakeNamedAsync();
        var heard = new List<string>();
        var firstSentencePlayed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new RecordingAudioOutput { OnPlayed = (_, _) => Task.FromResult(firstSentencePlayed.TrySetResult()) };
        var session = new VoiceSession(companion, CompanionWorld.SessionId, _ears, new VoiceReplier(_flite), output, new TurnDetector(new EnergyVoiceActivityDetector()))
        {
            Heard = (text, _) => { heard.Add(text); return ValueTask.CompletedTask; },
        };
        await using (session)
        {
            // First turn: the model answers, then hangs mid-reply as if still writing.
            _world.Chat.SaysThenHangs("It is sunny. ", "And warm");
            await session.PushAsync(await Speech.UtteranceAsync("the weather is nice today", TimeSpan.FromSeconds(1.5)), CancellationToken.None);
            await _world.Chat.Hanging;
            await firstSentencePlayed.Task;

            Assert.Equal(["the weather is nice today"], heard);
            Assert.NotNull(session.CurrentReply);
            Assert.False(session.CurrentReply.IsCompleted);

            // The person speaks over the reply (after the continuation window): the moment speech starts, the reply stops.
            var firstReply = session.CurrentReply;
            _world.Chat.Says("It is late.");
            await session.PushAsync(await Speech.UtteranceAsync("what time is it now", TimeSpan.FromSeconds(1)), CancellationToken.None);
            var interrupted = await firstReply;
            var second = await session.CurrentReply;

            Assert.Equal(SpokenReplyOutcome.Interrupted, interrupted.Outcome);
            Assert.Equal(["It is sunny."], interrupted.Sentences); // what was heard; the store keeps all that was written
            Assert.Equal(SpokenReplyOutcome.Completed, second.Outcome);
            Assert.Equal(["the weather is nice today", "what time is it now"], heard);
            Assert.True(output.Stops >= 1);
        }

        var history = await _world.HistoryAsync();
        Assert.Equal(
            [(Speaker.Person, "the weather is nice today", TurnStatus.Complete), (Speaker.Companion, "It is sunny. And warm", TurnStatus.Interrupted),
             (Speaker.Person, "what time is it now", TurnStatus.Complete), (Speaker.Companion, "It is late.", TurnStatus.Complete)],
            history.Skip(1).Select(t => (t.Speaker, t.Text, t.Status)));
    }

    [Fact]
    public async Task A_pause_within_the_window_withdraws_the_early_exchange_and_answers_the_whole_utterance()
    {
        var companion = await _world.WakeNamedAsync();
        // The general language model, which hears a half sentence as the words it is (a grammar of whole sentences would not).
        using var ears = new PocketSphinxRecognizer();
        var output = new RecordingAudioOutput();
        var session = new VoiceSession(companion, CompanionWorld.SessionId, ears, new VoiceReplier(_flite), output, new TurnDetector(new EnergyVoiceActivityDetector()))
        {
            WithdrawLastExchange = ForgetLastExchangeAsync,
        };
        await using (session)
        {
            // The early end after "what time" is answered at once (the same scripted words either way: whether that
            // reply reached the model before it was withdrawn depends on timing, and must not change the outcome)...
            _world.Chat.Says("It is late.");
            await session.PushAsync(await Speech.UtteranceAsync("what time", TimeSpan.FromMilliseconds(500)), CancellationToken.None);
            var early = session.CurrentReply;

            // ...and the person goes on within the window.
            _world.Chat.Says("It is late.");
            await session.PushAsync(await Speech.UtteranceAsync("is it now", TimeSpan.FromSeconds(1.5)), CancellationToken.None);
            var whole = await session.CurrentReply!;

            Assert.NotNull(early);
            Assert.NotSame(early, session.CurrentReply);
            Assert.Equal(SpokenReplyOutcome.Completed, whole.Outcome);
        }

        var history = (await _world.HistoryAsync()).Skip(1).ToList();
        Assert.Equal([Speaker.Person, Speaker.Companion], history.Select(t => t.Speaker));
        Assert.Contains("time", history[0].Text, StringComparison.Ordinal);
        Assert.True(history[0].Text.Split(' ').Length >= 4, $"'{history[0].Text}' is not the whole utterance.");
        Assert.Equal("It is late.", history[1].Text);
    }

    // The host's forget: the person's latest turn and everything after it.
    private async Task ForgetLastExchangeAsync(CancellationToken cancellationToken)
    {
        var recent = await _world.Store.GetRecentTurnsAsync(CompanionWorld.CompanionId, 2, cancellationToken);
        var person = recent.Where(t => t.Speaker == Speaker.Person).MaxBy(t => t.Id);
        foreach (var turn in recent.Where(t => person is not null && t.Id >= person.Id))
        {
            await _world.Store.ForgetTurnAsync(CompanionWorld.CompanionId, turn.Id, cancellationToken);
        }
    }

    [Fact]
    public async Task Silence_and_noise_never_reach_the_companion()
    {
        var companion = await _world.WakeNamedAsync();
        var output = new RecordingAudioOutput();
        await using var session = new VoiceSession(companion, CompanionWorld.SessionId, _ears, new VoiceReplier(_flite), output, new TurnDetector(new EnergyVoiceActivityDetector()));
        var random = new Random(1);

        await session.PushAsync(new PcmAudio([.. Enumerable.Range(0, 48_000 * 3).Select(_ => (short)random.Next(-40, 41))], 48_000), CancellationToken.None);

        Assert.Null(session.CurrentReply);
        Assert.Single(await _world.HistoryAsync()); // only the greeting
    }
}
