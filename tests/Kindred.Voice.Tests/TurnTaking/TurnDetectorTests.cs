using Kindred.Voice.Audio;
using Kindred.Voice.Tests.TestSupport;
using Kindred.Voice.TurnTaking;

namespace Kindred.Voice.Tests.TurnTaking;

public sealed class TurnDetectorTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Speech_then_silence_starts_a_turn_and_ends_it_after_the_configured_silence()
    {
        var speech = (await Speech.FliteAsync("I would like a cup of tea")).ResampledTo(16_000);
        var stream = Quiet(TimeSpan.FromSeconds(1)).Concat(speech.Samples).Concat(Quiet(TimeSpan.FromSeconds(1))).ToArray();
        var detector = new TurnDetector(new EnergyVoiceActivityDetector(), new TurnDetectorOptions { EndSilence = TimeSpan.FromMilliseconds(400) });

        // Fed in uneven pieces, as network frames arrive.
        var events = new List<TurnEvent>();
        for (var offset = 0; offset < stream.Length; offset += 777)
        {
            events.AddRange(detector.Push(stream.AsSpan(offset, Math.Min(777, stream.Length - offset))));
        }

        Assert.Equal([TurnEventKind.SpeechStarted, TurnEventKind.SpeechEnded], events.Select(e => e.Kind));
        var started = events[0].At;
        var ended = events[1];
        Assert.InRange(started, TimeSpan.FromSeconds(1.12), TimeSpan.FromSeconds(1.5)); // after MinSpeech of speech; flite starts with a short pause
        // The turn ends exactly EndSilence after the last speech frame, and the last speech is near the real end.
        Assert.Equal(TimeSpan.FromMilliseconds(400), ended.At - ended.SpeechEndedAt);
        Assert.InRange(ended.SpeechEndedAt, TimeSpan.FromSeconds(1) + speech.Duration - TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1) + speech.Duration + Frame);
        Assert.NotNull(ended.Utterance);
        Assert.True(ended.Utterance.Duration >= speech.Duration - TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_pause_ends_the_turn_early_and_speech_within_the_window_continues_it_as_one_turn()
    {
        var (first, second) = (await SpeechAsync("I would like"), await SpeechAsync("a cup of tea"));
        var pause = TimeSpan.FromMilliseconds(600);
        var stream = Quiet(TimeSpan.FromSeconds(1)).Concat(first).Concat(Quiet(pause)).Concat(second).Concat(Quiet(TimeSpan.FromSeconds(2))).ToArray();
        var detector = new TurnDetector(new EnergyVoiceActivityDetector(), new TurnDetectorOptions { EndSilence = TimeSpan.FromMilliseconds(200), ContinuationWindow = TimeSpan.FromSeconds(1) });

        var events = Feed(detector, stream, 777);

        Assert.Equal(
            [(TurnEventKind.SpeechStarted, false), (TurnEventKind.SpeechEnded, false), (TurnEventKind.SpeechStarted, true), (TurnEventKind.SpeechEnded, true)],
            events.Select(e => (e.Kind, e.ContinuesPrevious)));
        var (early, whole) = (events[1], events[3]);
        Assert.Equal(TimeSpan.FromMilliseconds(200), early.At - early.SpeechEndedAt);
        // The continued turn's audio starts where the early one did and holds the pause and the rest: one utterance.
        Assert.Equal(early.Utterance!.Samples, whole.Utterance!.Samples.Take(early.Utterance.Samples.Length));
        Assert.True(whole.Utterance.Duration >= early.Utterance.Duration + pause, $"{whole.Utterance.Duration} holds too little.");
        Assert.InRange(whole.SpeechEndedAt, TimeSpan.FromSeconds(1) + Duration(first) + pause + Duration(second) - TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1) + Duration(first) + pause + Duration(second) + Frame);
    }

    [Fact]
    public async Task Speech_after_the_window_is_a_new_turn()
    {
        var (first, second) = (await SpeechAsync("I would like"), await SpeechAsync("a cup of tea"));
        var stream = Quiet(TimeSpan.FromSeconds(1)).Concat(first).Concat(Quiet(TimeSpan.FromSeconds(1.6))).Concat(second).Concat(Quiet(TimeSpan.FromSeconds(1))).ToArray();
        var detector = new TurnDetector(new EnergyVoiceActivityDetector(), new TurnDetectorOptions { EndSilence = TimeSpan.FromMilliseconds(200), ContinuationWindow = TimeSpan.FromSeconds(1) });

        var events = Feed(detector, stream, 777);

        Assert.Equal(
            [(TurnEventKind.SpeechStarted, false), (TurnEventKind.SpeechEnded, false), (TurnEventKind.SpeechStarted, false), (TurnEventKind.SpeechEnded, false)],
            events.Select(e => (e.Kind, e.ContinuesPrevious)));
        Assert.True(events[3].Utterance!.Duration < Duration(second) + TimeSpan.FromMilliseconds(800), "The second turn holds only its own speech.");
    }

    [Fact]
    public async Task A_window_of_zero_turns_continuation_off()
    {
        var (first, second) = (await SpeechAsync("I would like"), await SpeechAsync("a cup of tea"));
        var stream = Quiet(TimeSpan.FromSeconds(1)).Concat(first).Concat(Quiet(TimeSpan.FromMilliseconds(600))).Concat(second).Concat(Quiet(TimeSpan.FromSeconds(1))).ToArray();
        var detector = new TurnDetector(new EnergyVoiceActivityDetector(), new TurnDetectorOptions { ContinuationWindow = TimeSpan.Zero });

        var events = Feed(detector, stream, 320);

        Assert.Equal(4, events.Count);
        Assert.DoesNotContain(events, e => e.ContinuesPrevious);
    }

    [Fact]
    public async Task The_same_audio_cut_into_different_pieces_gives_the_same_decisions_at_the_same_stream_times()
    {
        var (first, second) = (await SpeechAsync("I would like"), await SpeechAsync("a cup of tea"));
        var stream = Quiet(TimeSpan.FromSeconds(1)).Concat(first).Concat(Quiet(TimeSpan.FromMilliseconds(500))).Concat(second).Concat(Quiet(TimeSpan.FromSeconds(2))).ToArray();

        var decisions = new[] { 160, 320, 777, 4_800, stream.Length }
            .Select(piece => Feed(new TurnDetector(new EnergyVoiceActivityDetector()), stream, piece))
            .Select(events => string.Join(' ', events.Select(e => $"{e.Kind}@{e.At.TotalMilliseconds}/{e.ContinuesPrevious}/{e.Utterance?.Samples.Length}")))
            .ToList();

        Assert.Equal(4, decisions[0].Split(' ').Length);
        Assert.All(decisions, d => Assert.Equal(decisions[0], d));
    }

    [Fact]
    public void A_click_shorter_than_the_minimum_speech_is_not_a_turn()
    {
        var click = Enumerable.Repeat((short)12_000, 800).Select((s, i) => i % 2 == 0 ? s : (short)-s);
        var stream = Quiet(TimeSpan.FromSeconds(0.5)).Concat(click).Concat(Quiet(TimeSpan.FromSeconds(1))).ToArray();
        var detector = new TurnDetector(new EnergyVoiceActivityDetector());

        Assert.Empty(detector.Push(stream));
        Assert.False(detector.IsSpeaking);
    }

    [Fact]
    public void A_steady_hum_well_above_silence_is_learnt_as_background_not_speech()
    {
        var hum = Enumerable.Range(0, 16_000 * 5).Select(i => (short)(3000 * Math.Sin(2 * Math.PI * 100 * i / 16_000))).ToArray();
        var detector = new TurnDetector(new EnergyVoiceActivityDetector());

        Assert.Empty(detector.Push(hum));
        Assert.False(detector.IsSpeaking);
    }

    [Fact]
    public void Out_of_range_settings_are_refused_with_the_settings_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TurnDetector(new EnergyVoiceActivityDetector(), new TurnDetectorOptions { EndSilence = TimeSpan.Zero }));
        var window = Assert.Throws<ArgumentOutOfRangeException>(() => new TurnDetector(new EnergyVoiceActivityDetector(), new TurnDetectorOptions { ContinuationWindow = TimeSpan.FromSeconds(-1) }));

        Assert.Equal("EndSilence", error.ParamName);
        Assert.Equal("ContinuationWindow", window.ParamName);
    }

    private static async Task<short[]> SpeechAsync(string text) => (await Speech.FliteAsync(text)).ResampledTo(16_000).Samples;

    private static TimeSpan Duration(short[] samples) => TimeSpan.FromSeconds(samples.Length / 16_000.0);

    private static List<TurnEvent> Feed(TurnDetector detector, short[] stream, int piece)
    {
        var events = new List<TurnEvent>();
        for (var offset = 0; offset < stream.Length; offset += piece)
        {
            events.AddRange(detector.Push(stream.AsSpan(offset, Math.Min(piece, stream.Length - offset))));
        }

        return events;
    }

    // Low-level noise rather than digital zero, as a real microphone gives.
    private static IEnumerable<short> Quiet(TimeSpan duration)
    {
        var random = new Random(5);
        return Enumerable.Range(0, (int)(duration.TotalSeconds * 16_000)).Select(_ => (short)random.Next(-30, 31));
    }
}
