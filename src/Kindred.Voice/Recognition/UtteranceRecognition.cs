using Kindred.Voice.Audio;

namespace Kindred.Voice.Recognition;

/// <summary>
/// One utterance recognised while it is spoken: audio is appended as it arrives and <see cref="FinishAsync"/> gives
/// the words once the utterance has ended, so only what came last is left to decode after the person stops.
/// Append from one caller at a time. Disposing without finishing abandons the utterance.
/// </summary>
public abstract class UtteranceRecognition : IAsyncDisposable
{
    /// <summary>Adds the next stretch of audio (16 kHz mono). Returns at once; decoding happens in the background.</summary>
    public abstract void Append(ReadOnlySpan<short> samples);

    /// <summary>Ends the utterance and returns the words heard (empty when none).</summary>
    public abstract Task<string> FinishAsync(CancellationToken cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    protected abstract ValueTask DisposeAsyncCore();
}

/// <summary>
/// For recognisers that only decode whole utterances (Whisper): the audio is kept and decoded at the end.
/// </summary>
internal sealed class WholeUtteranceRecognition(SpeechRecognizer recognizer) : UtteranceRecognition
{
    private readonly List<short> _samples = [];

    public override void Append(ReadOnlySpan<short> samples) => _samples.AddRange(samples);

    public override Task<string> FinishAsync(CancellationToken cancellationToken) =>
        recognizer.RecognizeAsync(new PcmAudio([.. _samples], SpeechRecognizer.SampleRate), cancellationToken);

    protected override ValueTask DisposeAsyncCore()
    {
        _samples.Clear();
        return ValueTask.CompletedTask;
    }
}
