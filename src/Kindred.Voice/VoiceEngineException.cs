namespace Kindred.Voice;

/// <summary>A speech engine is missing, failed to start, or failed on this input. The message says what to do.</summary>
public sealed class VoiceEngineException : Exception
{
    public VoiceEngineException()
    {
    }

    public VoiceEngineException(string message)
        : base(message)
    {
    }

    public VoiceEngineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
