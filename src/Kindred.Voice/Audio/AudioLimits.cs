namespace Kindred.Voice.Audio;

/// <summary>What audio a person may send. Defaults suit one spoken turn.</summary>
public sealed record AudioLimits
{
    /// <summary>Lowest accepted sample rate. Default 8,000 Hz (telephone audio).</summary>
    public int MinSampleRate { get; init; } = 8_000;

    /// <summary>Highest accepted sample rate. Default 48,000 Hz.</summary>
    public int MaxSampleRate { get; init; } = 48_000;

    /// <summary>Most channels accepted; stereo is mixed down to mono. Default 2.</summary>
    public int MaxChannels { get; init; } = 2;

    /// <summary>Shortest accepted audio. Default 0.1 s: anything shorter holds no word.</summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest accepted audio. Default 60 s (one turn, not a recording session).</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The defaults.</summary>
    public static AudioLimits Default { get; } = new();
}
