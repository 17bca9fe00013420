using System.Runtime.CompilerServices;
using Kindred.Voice.Audio;
using Kindred.Voice.Conversation;
using Microsoft.Extensions.AI;

namespace Kindred.Voice.Synthesis;

/// <summary>
/// What every local voice shares: <see cref="ITextToSpeechClient.GetAudioAsync"/> speaks the whole text as one WAV;
/// <see cref="ITextToSpeechClient.GetStreamingAudioAsync"/> yields one WAV per sentence as soon as it is spoken, so
/// playback can start after the first sentence.
/// </summary>
public abstract class SpeechSynthesizer : ITextToSpeechClient
{
    /// <summary>WAV, as every engine here returns it.</summary>
    public const string WavMediaType = "audio/wav";

    private readonly TextToSpeechClientMetadata _metadata;

    protected SpeechSynthesizer(string providerName, string defaultVoice)
    {
        DefaultVoice = defaultVoice;
        _metadata = new TextToSpeechClientMetadata(providerName, defaultModelId: defaultVoice);
    }

    /// <summary>The voice used when <see cref="TextToSpeechOptions.VoiceId"/> is not set.</summary>
    public string DefaultVoice { get; }

    /// <summary>Speaks <paramref name="text"/> with the voice <paramref name="voice"/>.</summary>
    public abstract Task<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancellationToken);

    public async Task<TextToSpeechResponse> GetAudioAsync(string text, TextToSpeechOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var audio = await SynthesizeAsync(text, options?.VoiceId ?? DefaultVoice, cancellationToken).ConfigureAwait(false);
        return new TextToSpeechResponse([new DataContent(audio.ToWav(), WavMediaType)]) { ModelId = options?.VoiceId ?? DefaultVoice };
    }

    public async IAsyncEnumerable<TextToSpeechResponseUpdate> GetStreamingAudioAsync(
        string text,
        TextToSpeechOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var voice = options?.VoiceId ?? DefaultVoice;
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            var audio = await SynthesizeAsync(sentence, voice, cancellationToken).ConfigureAwait(false);
            yield return new TextToSpeechResponseUpdate([new DataContent(audio.ToWav(), WavMediaType)])
            {
                Kind = TextToSpeechResponseUpdateKind.AudioUpdating,
                ModelId = voice,
            };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(TextToSpeechClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
