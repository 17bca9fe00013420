using Kindred.Voice.Audio;
using Kindred.Voice.Synthesis;

namespace Kindred.Voice.Tests.TestSupport;

/// <summary>Real speech for tests, from flite's slt voice (the same text always gives the same samples).</summary>
internal static class Speech
{
    private static readonly FliteSynthesizer Flite = new();

    public static Task<PcmAudio> FliteAsync(string text) => Flite.SynthesizeAsync(text, "slt", CancellationToken.None);

    /// <summary>Speech at 16 kHz with <paramref name="silenceAfter"/> of quiet after it, as a microphone would deliver it.</summary>
    public static async Task<PcmAudio> UtteranceAsync(string text, TimeSpan silenceAfter) =>
        (await FliteAsync(text)).ResampledTo(16_000).WithTrailingSilence(silenceAfter);
}
