namespace Kindred.Server.Contracts;

/// <summary>
/// The shared model cannot take another conversation now: every sequence is busy and its queue is full. Try again
/// after <see cref="RetryAfterSeconds"/>.
/// </summary>
[GenerateSerializer]
[Alias("Kindred.CompanionBusyException")]
public sealed class CompanionBusyException : Exception
{
    public CompanionBusyException()
        : this(1)
    {
    }

    public CompanionBusyException(int retryAfterSeconds)
        : base("The model is busy with other conversations; try again in a moment.")
    {
        RetryAfterSeconds = retryAfterSeconds;
    }

    public CompanionBusyException(string message)
        : base(message)
    {
        RetryAfterSeconds = 1;
    }

    public CompanionBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
        RetryAfterSeconds = 1;
    }

    /// <summary>Seconds a client should wait before trying again (at least 1).</summary>
    [Id(0)]
    public int RetryAfterSeconds { get; private set; }
}
