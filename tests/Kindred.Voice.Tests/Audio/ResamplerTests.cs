using Kindred.Voice.Audio;

namespace Kindred.Voice.Tests.Audio;

public sealed class ResamplerTests
{
    [Fact]
    public void A_tone_in_the_speech_band_keeps_its_pitch_and_loudness()
    {
        var tone = Tone(440, 32_000, seconds: 1, amplitude: 10_000);

        var resampled = tone.ResampledTo(16_000);

        Assert.Equal(16_000, resampled.Samples.Length);
        Assert.Equal(Rms(tone.Samples), Rms(resampled.Samples), tolerance: 150);
        Assert.Equal(2 * 440, ZeroCrossings(resampled.Samples), tolerance: 2);
    }

    [Fact]
    public void Sound_above_the_new_rates_limit_is_filtered_out_rather_than_folded_into_speech()
    {
        // 12 kHz cannot exist at 16 kHz (limit 8 kHz); plain interpolation would turn it into a 4 kHz tone.
        var whistle = Tone(12_000, 32_000, seconds: 1, amplitude: 10_000);

        var resampled = whistle.ResampledTo(16_000);

        Assert.True(Rms(resampled.Samples) < Rms(whistle.Samples) * 0.05, $"RMS {Rms(resampled.Samples)} of {Rms(whistle.Samples)} got through");
    }

    private static PcmAudio Tone(double hz, int rate, double seconds, double amplitude) =>
        new([.. Enumerable.Range(0, (int)(rate * seconds)).Select(i => (short)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate)))], rate);

    private static double Rms(short[] samples) => Math.Sqrt(samples.Skip(200).SkipLast(200).Average(s => (double)s * s));

    private static int ZeroCrossings(short[] samples) =>
        samples.Zip(samples.Skip(1)).Count(p => (p.First < 0) != (p.Second < 0));
}
