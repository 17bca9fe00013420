using System.Runtime.InteropServices;
using Kindred.Voice;
using Kindred.Voice.Audio;
using Kindred.Voice.Recognition;
using Kindred.Voice.Synthesis;

namespace Kindred.Server.Voice;

/// <summary>A voice a companion can speak with.</summary>
/// <param name="Id">What <c>PUT .../voice</c> takes.</param>
/// <param name="Available">Whether its engine is installed on this server.</param>
public sealed record VoiceOption(string Id, string Label, bool Available);

/// <summary>
/// The server's speech engines, shared by every conversation: pocketsphinx for listening (a fresh decoder per
/// utterance, the next one loaded in the background) and the voices to speak with. Each engine is started the first
/// time it is needed, so a server without them still serves text.
/// </summary>
internal sealed class ServerVoices : IAsyncDisposable
{
    /// <summary>The voice of a companion that has not chosen one.</summary>
    public const string DefaultVoice = "flite";

    private static readonly (string Id, string Label)[] Known =
    [
        ("flite", "flite, slt: fast, in-process, sounds synthetic"),
        ("festival", "Festival, slt HTS: more natural, a little slower"),
        ("espeak", "espeak-ng: clear and robotic"),
    ];

    private readonly Lazy<IReadOnlyList<VoiceOption>> _voices = new(Discover);
    private readonly Lazy<PocketSphinxRecognizer> _ears = new(StartEars);
    private readonly Dictionary<string, SpeechSynthesizer> _speakers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>What audio a person may send.</summary>
    public AudioLimits Limits { get; } = AudioLimits.Default;

    /// <summary>Every voice, available or not, default first.</summary>
    public IReadOnlyList<VoiceOption> Voices => _voices.Value;

    public bool IsAvailable(string id) => Voices.Any(v => v.Id == id && v.Available);

    /// <summary>The recogniser. </summary>
    /// <exception cref="VoiceEngineException">pocketsphinx or its English model is not installed; the message says how to install it.</exception>
    public SpeechRecognizer Ears
    {
        get
        {
            try
            {
                return _ears.Value;
            }
            catch (DllNotFoundException ex)
            {
                throw new VoiceEngineException("pocketsphinx is not installed. On Debian or Ubuntu: sudo apt-get install libpocketsphinx3 pocketsphinx-en-us", ex);
            }
        }
    }

    /// <summary>The synthesiser for a voice id; the default voice when that one is unknown or not installed.</summary>
    public SpeechSynthesizer Speaker(string? id)
    {
        id = id is not null && IsAvailable(id) ? id : DefaultVoice;
        lock (_gate)
        {
            if (!_speakers.TryGetValue(id, out var speaker))
            {
                speaker = id switch
                {
                    "festival" => new FestivalSynthesizer(),
                    "espeak" => new EspeakSynthesizer(),
                    _ => new FliteSynthesizer(),
                };
                _speakers[id] = speaker;
            }

            return speaker;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SpeechSynthesizer> speakers;
        lock (_gate)
        {
            speakers = [.. _speakers.Values];
            _speakers.Clear();
        }

        foreach (var speaker in speakers)
        {
            if (speaker is IAsyncDisposable asynchronous)
            {
                await asynchronous.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                speaker.Dispose();
            }
        }

        if (_ears.IsValueCreated)
        {
            _ears.Value.Dispose();
        }
    }

    private static PocketSphinxRecognizer StartEars()
    {
        // Decoded while spoken, without the end-of-utterance second pass: recognition finishes in a constant ~30 ms
        // after the person stops, whatever the utterance's length (word error rate still within the tested 10%).
        var ears = new PocketSphinxRecognizer { SecondPass = false };
        // The first utterance should not wait for a decoder to load.
        _ = ears.WarmUpAsync();
        return ears;
    }

    private static List<VoiceOption> Discover() =>
    [
        .. Known.Select(voice => new VoiceOption(voice.Id, voice.Label, voice.Id switch
        {
            "flite" => CanLoad("libflite.so.1") && CanLoad("libflite_cmu_us_slt.so.1"),
            "festival" => OnPath("festival") && Directory.Exists("/usr/share/festival/voices/us/" + FestivalSynthesizer.SltHts),
            "espeak" => OnPath("espeak-ng"),
            _ => false,
        })),
    ];

    private static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
