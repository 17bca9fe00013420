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

        Assert.Equal("EndSilence", error.ParamName);
    }

    [Fact]
    public void A_missing_silero_model_falls_back_to_the_energy_detector()
    {
        using var detector = SileroVoiceActivityDetector.CreateBest(Path.GetTempPath());

        Assert.IsType<EnergyVoiceActivityDetector>(detector);
    }

    // Low-level noise rather than digital zero, as a real microphone gives.
    private static IEnumerable<short> Quiet(TimeSpan duration)
    {
        var random = new Random(5);
        return Enumerable.Range(0, (int)(duration.TotalSeconds * 16_000)).Select(_ => (short)random.Next(-30, 31));
    }
}
