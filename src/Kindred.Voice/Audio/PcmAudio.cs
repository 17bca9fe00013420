namespace Kindred.Voice.Audio;

/// <summary>Mono 16-bit PCM audio: what every engine here consumes and produces.</summary>
/// <param name="Samples">The samples, one per frame.</param>
/// <param name="SampleRate">Frames per second (8,000–48,000 for audio read from a file).</param>
public sealed record PcmAudio(short[] Samples, int SampleRate)
{
    /// <summary>How long the audio lasts.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);

    /// <summary>The same audio at <paramref name="targetRate"/> (returns this instance when the rate already matches).</summary>
    public PcmAudio ResampledTo(int targetRate) =>
        targetRate == SampleRate ? this : new PcmAudio(Resampler.Resample(Samples, SampleRate, targetRate), targetRate);

    /// <summary>The audio followed by <paramref name="silence"/> of digital silence.</summary>
    public PcmAudio WithTrailingSilence(TimeSpan silence)
    {
        var extra = (int)(silence.TotalSeconds * SampleRate);
        var samples = new short[Samples.Length + extra];
        Samples.CopyTo(samples, 0);
        return new PcmAudio(samples, SampleRate);
    }

    /// <summary>The audio as a RIFF/WAVE file.</summary>
    public byte[] ToWav() => WavFile.Encode(this);
}
