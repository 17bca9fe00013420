using System.Runtime.CompilerServices;
using Kindred.Voice.Audio;
using Microsoft.Extensions.AI;

namespace Kindred.Voice.Recognition;

/// <summary>
/// What every local recogniser shares: the audio stream is a WAV file, validated against <see cref="Limits"/>
/// (a clear <see cref="AudioFormatException"/> otherwise), mixed to mono and resampled to 16 kHz before recognition.
/// </summary>
public abstract class SpeechRecognizer : ISpeechToTextClient
{
    /// <summary>The rate both recognisers work at.</summary>
    public const int SampleRate = 16_000;

    private readonly SpeechToTextClientMetadata _metadata;

    protected SpeechRecognizer(string providerName, string modelId)
    {
        _metadata = new SpeechToTextClientMetadata(providerName, defaultModelId: modelId);
    }

    /// <summary>What audio is accepted. Default <see cref="AudioLimits.Default"/>.</summary>
    public AudioLimits Limits { get; init; } = AudioLimits.Default;

    /// <summary>Recognises one utterance; returns the words heard (empty when none).</summary>
    public async Task<string> RecognizeAsync(PcmAudio audio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return await RecognizeAt16kAsync(audio.ResampledTo(SampleRate), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts recognising an utterance that is still being spoken (16 kHz audio is appended as it arrives). The
    /// default keeps the audio and decodes it whole at the end; pocketsphinx decodes as the audio comes in.
    /// </summary>
    public virtual UtteranceRecognition StartUtterance() => new WholeUtteranceRecognition(this);

    public async Task<SpeechToTextResponse> GetTextAsync(Stream audioSpeechStream, SpeechToTextOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioSpeechStream);
        var audio = await WavFile.ReadAsync(audioSpeechStream, Limits, cancellationToken).ConfigureAwait(false);
        var text = await RecognizeAsync(audio, cancellationToken).ConfigureAwait(false);
        return new SpeechToTextResponse(text)
        {
            StartTime = TimeSpan.Zero,
            EndTime = audio.Duration,
            ModelId = _metadata.DefaultModelId,
        };
    }

    public async IAsyncEnumerable<SpeechToTextResponseUpdate> GetStreamingTextAsync(
        Stream audioSpeechStream,
        SpeechToTextOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Both engines decode a whole utterance at once (the VAD has already cut it), so there is one update.
        var response = await GetTextAsync(audioSpeechStream, options, cancellationToken).ConfigureAwait(false);
        yield return new SpeechToTextResponseUpdate(response.Text)
        {
            Kind = SpeechToTextResponseUpdateKind.TextUpdated,
            StartTime = response.StartTime,
            EndTime = response.EndTime,
            ModelId = response.ModelId,
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(SpeechToTextClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected abstract Task<string> RecognizeAt16kAsync(PcmAudio audio, CancellationToken cancellationToken);

    protected virtual void Dispose(bool disposing)
    {
    }
}
