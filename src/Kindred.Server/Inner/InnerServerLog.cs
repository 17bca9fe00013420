using Microsoft.Extensions.Logging;

namespace Kindred.Server.Inner;

/// <summary>The server's inner-life log events. Ids and counts only: never what was said or scheduled.</summary>
internal static partial class InnerServerLog
{
    [LoggerMessage(101, LogLevel.Information, "Companion {CompanionId}: outreach {OutreachId} delivered to {Connections} live connection(s)")]
    public static partial void OutreachDelivered(ILogger logger, string companionId, long outreachId, int connections);

    [LoggerMessage(102, LogLevel.Warning, "Companion {CompanionId}: an outreach pass failed ({ExceptionType}); it is tried again")]
    public static partial void OutreachFailed(ILogger logger, string companionId, string exceptionType);

    [LoggerMessage(103, LogLevel.Warning, "Companion {CompanionId}: a reflection failed ({ExceptionType}); it is tried after a later turn")]
    public static partial void ReflectionFailed(ILogger logger, string companionId, string exceptionType);

    [LoggerMessage(104, LogLevel.Information, "Companion {CompanionId} switched {State} through the API")]
    public static partial void Switched(ILogger logger, string companionId, string state);

    [LoggerMessage(105, LogLevel.Information, "Companion {CompanionId}: a live connection stopped answering and no longer hears outreach ({ExceptionType})")]
    public static partial void OutreachListenerDropped(ILogger logger, string companionId, string exceptionType);
}
