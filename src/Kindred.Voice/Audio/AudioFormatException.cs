namespace Kindred.Voice.Audio;

/// <summary>Audio that cannot be used: not a WAV file, an unsupported encoding, rate or channel count, or too short or long. The message says which, in words a person can act on.</summary>
public sealed class AudioFormatException : Exception
{
    public AudioFormatException()
    {
    }

    public AudioFormatException(string message)
        : base(message)
    {
    }

    public AudioFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
