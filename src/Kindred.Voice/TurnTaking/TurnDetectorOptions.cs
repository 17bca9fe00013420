namespace Kindred.Voice.TurnTaking;

/// <summary>When a person counts as speaking, and as finished.</summary>
public sealed record TurnDetectorOptions
{
    /// <summary>Speech probability at or above which a frame is speech. Default 0.5; range (0, 1).</summary>
    public float SpeechThreshold { get; init; } = 0.5f;

    /// <summary>Speech needed before the person counts as speaking (a cough or a click is shorter). Default 120 ms.</summary>
    public TimeSpan MinSpeech { get; init; } = TimeSpan.FromMilliseconds(120);

    /// <summary>
    /// Silence after speech that ends the person's turn. Default 160 ms, so the companion starts answering quickly
    /// (end of speech to first audio within 250 ms, excluding the model); a pause between phrases that ends a turn too
    /// early is mended by <see cref="ContinuationWindow"/>, at the cost of a reply begun and withdrawn. This wait is
    /// the VAD's share of end-of-speech latency (500 ms before continuation existed).
    /// </summary>
    public TimeSpan EndSilence { get; init; } = TimeSpan.FromMilliseconds(160);

    /// <summary>
    /// How soon after a turn ended speech may start again and still be the same turn: the person only paused. Such
    /// speech is reported with <see cref="TurnEvent.ContinuesPrevious"/>, and the utterance that then ends holds
    /// everything from the start of the earlier part, the pause included, so it is heard as one. Measured on the
    /// stream from the end of the turn to the first frame of the resumed speech, which is also how old the
    /// companion's reply to the cut-off part can be. Default 1 s (pauses of up to <see cref="EndSilence"/> + 1 s are
    /// mended); <see cref="TimeSpan.Zero"/> turns continuation off. Later speech is a new turn (a barge-in).
    /// </summary>
    public TimeSpan ContinuationWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Audio kept from before speech was detected, so the first syllable is not clipped. Default 300 ms.</summary>
    public TimeSpan PreRoll { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>A turn longer than this ends anyway. Default 30 s.</summary>
    public TimeSpan MaxUtterance { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws with a message that names the setting when a value is out of range.</summary>
    public void Validate()
    {
        if (SpeechThreshold is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SpeechThreshold), SpeechThreshold, "SpeechThreshold must be between 0 and 1.");
        }

        foreach (var (name, value) in new[] { (nameof(MinSpeech), MinSpeech), (nameof(EndSilence), EndSilence), (nameof(MaxUtterance), MaxUtterance) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
            }
        }

        if (PreRoll < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PreRoll), PreRoll, "PreRoll must not be negative.");
        }

        if (ContinuationWindow < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ContinuationWindow), ContinuationWindow, "ContinuationWindow must not be negative (zero turns continuation off).");
        }
    }
}
