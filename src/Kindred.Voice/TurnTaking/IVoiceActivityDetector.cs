namespace Kindred.Voice.TurnTaking;

/// <summary>Says, frame by frame, how likely a frame of 16 kHz mono audio is speech. Stateful: one per audio stream.</summary>
public interface IVoiceActivityDetector : IDisposable
{
    /// <summary>Samples per frame this detector wants (at 16 kHz).</summary>
    int FrameSamples { get; }

    /// <summary>Probability in [0, 1] that <paramref name="frame"/> (exactly <see cref="FrameSamples"/> samples) is speech.</summary>
    float SpeechProbability(ReadOnlySpan<short> frame);

    /// <summary>Forgets everything heard so far.</summary>
    void Reset();
}
