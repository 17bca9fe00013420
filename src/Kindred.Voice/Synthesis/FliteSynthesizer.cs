using System.Runtime.InteropServices;
using Kindred.Voice.Audio;

namespace Kindred.Voice.Synthesis;

/// <summary>
/// flite, in-process: the default voice. Fast (a sentence in a few milliseconds), small and BSD-licensed; it sounds
/// synthetic. Voices are the ones Debian's libflite1 ships: <c>slt</c> (default, US female), <c>rms</c> and
/// <c>awb</c> (male), <c>kal16</c> (male, diphone). The same text in the same voice always gives the same samples.
/// </summary>
public sealed class FliteSynthesizer : SpeechSynthesizer
{
    /// <summary>The voices libflite1 ships, each in its own library.</summary>
    public static IReadOnlyList<string> Voices { get; } = ["slt", "rms", "awb", "kal16"];

    // flite keeps global state (its voice list, lexicon caches): one synthesis at a time, process-wide.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, IntPtr> Registered = new(StringComparer.Ordinal);
    private static bool s_initialised;

    public FliteSynthesizer(string voice = "slt")
        : base("flite", voice)
    {
        if (!Voices.Contains(voice))
        {
            throw new ArgumentException($"flite has no voice '{voice}'. Known: {string.Join(", ", Voices)}.", nameof(voice));
        }
    }

    public override async Task<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Speak(text, VoiceHandle(voice));
        }
        finally
        {
            Gate.Release();
        }
    }

    private static unsafe PcmAudio Speak(string text, IntPtr voice)
    {
        // flite's noise for unvoiced sounds comes from the C library's rand(), whose state is the whole process's: left
        // alone, the same text sounded different after anything else was spoken first, and pocketsphinx heard
        // different words in it ("what time is a noun"). Seeded the same each time, the same text gives the same audio.
        FliteNative.SeedRandom(1);
        var wave = FliteNative.TextToWave(text, voice);
        if (wave is null)
        {
            throw new VoiceEngineException("flite could not speak this text.");
        }

        try
        {
            var samples = new ReadOnlySpan<short>(wave->Samples, wave->NumSamples * wave->NumChannels).ToArray();
            if (wave->NumChannels != 1)
            {
                throw new VoiceEngineException($"flite returned {wave->NumChannels}-channel audio; mono was expected.");
            }

            return new PcmAudio(samples, wave->SampleRate);
        }
        finally
        {
            FliteNative.DeleteWave(wave);
        }
    }

    private static unsafe IntPtr VoiceHandle(string voice)
    {
        if (Registered.TryGetValue(voice, out var handle))
        {
            return handle;
        }

        if (!Voices.Contains(voice))
        {
            throw new VoiceEngineException($"flite has no voice '{voice}'. Known: {string.Join(", ", Voices)}.");
        }

        try
        {
            if (!s_initialised)
            {
                _ = FliteNative.Init();
                s_initialised = true;
            }

            var library = NativeLibrary.Load($"libflite_cmu_us_{voice}.so.1");
            var register = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(library, $"register_cmu_us_{voice}");
            handle = register(IntPtr.Zero);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new VoiceEngineException("flite is not installed. On Debian or Ubuntu: sudo apt-get install libflite1", ex);
        }

        if (handle == IntPtr.Zero)
        {
            throw new VoiceEngineException($"flite could not load its '{voice}' voice.");
        }

        Registered[voice] = handle;
        return handle;
    }
}
