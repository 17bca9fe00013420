namespace Kindred.Server.Contracts;

/// <summary>
/// The companion is switched off: the turn was not heard, processed or stored. It stays so until the person switches
/// it back on.
/// </summary>
[GenerateSerializer]
[Alias("Kindred.CompanionOffException")]
public sealed class CompanionOffException : Exception
{
    public CompanionOffException()
        : base("She is switched off: nothing is heard, kept or sent until she is switched back on (PUT .../switch {\"on\":true}).")
    {
    }

    public CompanionOffException(string message)
        : base(message)
    {
    }

    public CompanionOffException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
