using Kindred.Voice.Audio;

namespace Kindred.Voice.Tests.Audio;

public sealed class StreamingResamplerTests
{
    [Theory]
    [InlineData(48_000, 16_000, 960)]
    [InlineData(44_100, 16_000, 1_000)]
    [InlineData(8_000, 16_000, 333)]
    public void Audio_resampled_in_pieces_matches_the_whole_resampled_at_once(int fromRate, int toRate, int piece)
    {
        var tone = Enumerable.Range(0, fromRate / 2).Select(i => (short)(8_000 * Math.Sin(2 * Math.PI * 440 * i / fromRate))).ToArray();
        var whole = Resampler.Resample(tone, fromRate, toRate);
        var resampler = new StreamingResampler(fromRate, toRate);

        var streamed = new List<short>();
        for (var offset = 0; offset < tone.Length; offset += piece)
        {
            streamed.AddRange(resampler.Push(tone.AsSpan(offset, Math.Min(piece, tone.Length - offset))));
        }

        // Only the filter's half width at the end is still held back; everything before it is the same, sample for sample.
        Assert.InRange(whole.Length - streamed.Count, 0, 60);
        for (var i = 64; i < streamed.Count; i++)
        {
            Assert.True(Math.Abs(whole[i] - streamed[i]) <= 1, $"Sample {i}: {streamed[i]} against {whole[i]}.");
        }
    }

    [Fact]
    public void The_same_rate_passes_audio_through_untouched()
    {
        var resampler = new StreamingResampler(16_000, 16_000);

        Assert.Equal(new short[] { 1, -2, 3 }, resampler.Push(new short[] { 1, -2, 3 }));
    }
}
