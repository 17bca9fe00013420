namespace Kindred.Models.Catalog;

/// <summary>
/// A model could not be downloaded: the host is unreachable, the server refused, the connection broke or the
/// file failed its checksum. <see cref="Exception.Message"/> is one line for the person, saying what to do next.
/// </summary>
public sealed class ModelDownloadException : Exception
{
    public ModelDownloadException()
        : base("The model could not be downloaded.")
    {
    }

    public ModelDownloadException(string message)
        : base(message)
    {
    }

    public ModelDownloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
