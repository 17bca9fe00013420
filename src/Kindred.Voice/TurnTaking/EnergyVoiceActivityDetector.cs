namespace Kindred.Voice.TurnTaking;

/// <summary>
/// The default detector: a frame is speech when its loudness stands well above the background. The background
/// level is learnt as the stream goes (it drops at once to a quieter frame and rises slowly), so a steady hum does
/// not count as speech, while anything quieter than <see cref="AbsoluteFloorDbfs"/> never does.
/// </summary>
public sealed class EnergyVoiceActivityDetector : IVoiceActivityDetector
{
    /// <summary>Frames of 20 ms at 16 kHz.</summary>
    public int FrameSamples => 320;

    /// <summary>Loudness below which nothing is speech. Default −50 dBFS.</summary>
    public double AbsoluteFloorDbfs { get; init; } = -50;

    /// <summary>How far above the background speech must be. Default 12 dB.</summary>
    public double MarginDb { get; init; } = 12;

    private double _backgroundDbfs = double.NaN;

    public float SpeechProbability(ReadOnlySpan<short> frame)
    {
        var level = Dbfs(frame);
        // Rise by at most 0.05 dB a frame (2.5 dB a second), so speech itself does not become the background.
        _backgroundDbfs = double.IsNaN(_backgroundDbfs) || level < _backgroundDbfs ? level : _backgroundDbfs + Math.Min(0.05, level - _backgroundDbfs);
        var threshold = Math.Max(AbsoluteFloorDbfs, _backgroundDbfs + MarginDb);
        // A soft edge over 6 dB around the threshold, so callers can pick their own cut-off.
        return (float)Math.Clamp(((level - threshold) / 6.0) + 0.5, 0, 1);
    }

    public void Reset() => _backgroundDbfs = double.NaN;

    public void Dispose()
    {
    }

    internal static double Dbfs(ReadOnlySpan<short> frame)
    {
        if (frame.IsEmpty)
        {
            return -120;
        }

        double sum = 0;
        foreach (var sample in frame)
        {
            sum += (double)sample * sample;
        }

        var rms = Math.Sqrt(sum / frame.Length) / 32768.0;
        return rms <= 1e-6 ? -120 : 20 * Math.Log10(rms);
    }
}
