namespace Kindred.Voice.TurnTaking;

/// <summary>When a person counts as speaking, and as finished.</summary>
public sealed record TurnDetectorOptions
{
    /// <summary>Speech probability at or above which a frame is speech. Default 0.5; range (0, 1).</summary>
    public float SpeechThreshold { get; init; } = 0.5f;

    /// <summary>Speech needed before the person counts as speaking (a cough or a click is shorter). Default 120 ms.</summary>
    public TimeSpan MinSpeech { get; init; } = TimeSpan.FromMilliseconds(120);

    /// <summary>
    /// Silence after speech that ends the person's turn. Default 500 ms: shorter cuts people off when they pause for
    /// breath; longer makes the companion slow to answer. This wait is the largest part of end-of-speech latency.
    /// </summary>
    public TimeSpan EndSilence { get; init; } = TimeSpan.FromMilliseconds(500);

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
    }
}
