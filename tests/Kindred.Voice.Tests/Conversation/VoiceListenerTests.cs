using Kindred.Voice.Audio;
using Kindred.Voice.Conversation;
using Kindred.Voice.Recognition;
using Kindred.Voice.Tests.TestSupport;
using Kindred.Voice.TurnTaking;

namespace Kindred.Voice.Tests.Conversation;

/// <summary>The listening pipeline: live frames in at a browser's rate, speech found, utterances recognised while spoken.</summary>
public sealed class VoiceListenerTests
{
    private static readonly string Grammar = Sentences.Grammar(Sentences.Everyday);

    [Fact]
    public async Task Hands_free_two_utterances_in_a_row_are_each_heard_with_the_silence_that_ended_them()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Grammar);
        await using var listener = new VoiceListener(ears, new EnergyVoiceActivityDetector(), 48_000, ListeningMode.HandsFree);
        // Pauses longer than the continuation window: two turns.
        var first = await Speech.UtteranceAsync("what time is it now", TimeSpan.FromSeconds(1.5));
        var second = await Speech.UtteranceAsync("can you tell me a story", TimeSpan.FromSeconds(1.5));
        short[] microphone = [.. new short[4_800], .. first.ResampledTo(48_000).Samples, .. second.ResampledTo(48_000).Samples];

        var events = Feed(listener, microphone, 960);

        Assert.Equal(
            [ListenerEventKind.SpeechStarted, ListenerEventKind.UtteranceEnded, ListenerEventKind.SpeechStarted, ListenerEventKind.UtteranceEnded],
            events.Select(e => e.Kind));
        var heard = await Task.WhenAll(events.Where(e => e.Heard is not null).Select(e => e.Heard!));
        Assert.Equal(["what time is it now", "can you tell me a story"], heard.Select(h => h.Text));
        Assert.All(heard, h => Assert.InRange(h.SilenceWaited.TotalMilliseconds, new TurnDetectorOptions().EndSilence.TotalMilliseconds - 1, new TurnDetectorOptions().EndSilence.TotalMilliseconds + 1));
    }

    [Fact]
    public async Task Hands_free_a_pause_within_the_window_is_heard_as_one_utterance_from_its_start()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Grammar);
        await using var listener = new VoiceListener(ears, new EnergyVoiceActivityDetector(), 48_000, ListeningMode.HandsFree);
        var first = await Speech.UtteranceAsync("what time", TimeSpan.FromMilliseconds(600));
        var second = await Speech.UtteranceAsync("is it now", TimeSpan.FromSeconds(1.5));
        short[] microphone = [.. new short[4_800], .. first.ResampledTo(48_000).Samples, .. second.ResampledTo(48_000).Samples];

        var events = Feed(listener, microphone, 960);

        Assert.Equal(
            [(ListenerEventKind.SpeechStarted, false), (ListenerEventKind.UtteranceEnded, false), (ListenerEventKind.SpeechStarted, true), (ListenerEventKind.UtteranceEnded, true)],
            events.Select(e => (e.Kind, e.ContinuesPrevious)));
        var whole = await events[3].Heard!;
        Assert.Equal("what time is it now", whole.Text);
        Assert.True(whole.Duration > first.Duration, "The continued utterance is recognised from the start of the first part.");
    }

    [Fact]
    public async Task The_same_audio_pushed_in_different_pieces_is_heard_as_the_same_words()
    {
        // The general language model, which is the most sensitive to any change in the samples or their blocking.
        using var ears = new PocketSphinxRecognizer { SecondPass = false };
        var speech = await Speech.UtteranceAsync("please remind me to call my sister tomorrow", TimeSpan.FromSeconds(1.5));
        short[] microphone = [.. new short[4_800], .. speech.ResampledTo(48_000).Samples];

        var heard = new List<string>();
        foreach (var piece in new[] { 960, 4_800, 777, 13_331 })
        {
            await using var listener = new VoiceListener(ears, new EnergyVoiceActivityDetector(), 48_000, ListeningMode.HandsFree);
            var words = await Task.WhenAll(Feed(listener, microphone, piece).Where(e => e.Heard is not null).Select(e => e.Heard!));
            heard.Add(string.Join(" | ", words.Select(w => w.Text)));
        }

        Assert.NotEqual("", heard[0]);
        Assert.All(heard, words => Assert.Equal(heard[0], words));
    }

    [Fact]
    public async Task Hold_to_talk_hears_everything_until_the_end_even_without_a_pause()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Grammar);
        await using var listener = new VoiceListener(ears, new EnergyVoiceActivityDetector(), 16_000, ListeningMode.Hold);
        var speech = await Speech.UtteranceAsync("i would like a cup of tea", TimeSpan.Zero);

        var events = Feed(listener, speech.Samples, 1_600);
        var heard = await listener.End()!;

        Assert.DoesNotContain(events, e => e.Kind == ListenerEventKind.UtteranceEnded);
        Assert.Equal("i would like a cup of tea", heard.Text);
        Assert.Equal(TimeSpan.Zero, heard.SilenceWaited);
        Assert.Throws<InvalidOperationException>(() => listener.Push(new short[160]));
    }

    [Fact]
    public async Task Hold_to_talk_past_the_longest_utterance_is_refused_clearly()
    {
        using var ears = new PocketSphinxRecognizer(grammar: Grammar);
        var limits = new AudioLimits { MaxDuration = TimeSpan.FromSeconds(1) };
        await using var listener = new VoiceListener(ears, new EnergyVoiceActivityDetector(), 16_000, ListeningMode.Hold, limits: limits);
        listener.Push(new short[16_000]);

        var error = Assert.Throws<AudioFormatException>(() => listener.Push(new short[320]));

        Assert.Contains("longer than 1 seconds", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4_000)]
    [InlineData(96_000)]
    public void A_sample_rate_outside_the_limits_is_refused_clearly(int rate)
    {
        using var ears = new PocketSphinxRecognizer(grammar: Grammar);

        var error = Assert.Throws<AudioFormatException>(() => new VoiceListener(ears, new EnergyVoiceActivityDetector(), rate, ListeningMode.HandsFree));

        Assert.Contains($"{rate} Hz", error.Message, StringComparison.Ordinal);
    }

    private static List<ListenerEvent> Feed(VoiceListener listener, short[] audio, int frame)
    {
        var events = new List<ListenerEvent>();
        for (var offset = 0; offset < audio.Length; offset += frame)
        {
            events.AddRange(listener.Push(audio.AsSpan(offset, Math.Min(frame, audio.Length - offset))));
        }

        return events;
    }
}
