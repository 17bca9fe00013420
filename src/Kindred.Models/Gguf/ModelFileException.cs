namespace Kindred.Models.Gguf;

/// <summary>
/// A model file cannot be used: it is missing, is not a GGUF file, is truncated or is malformed.
/// <see cref="Exception.Message"/> is one line written for the person running Kindred (it names the file and
/// the problem) and can be shown as is, without a stack trace.
/// </summary>
public sealed class ModelFileException : Exception
{
    public ModelFileException()
        : base("The model file cannot be used.")
    {
    }

    public ModelFileException(string message)
        : base(message)
    {
    }

    public ModelFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
