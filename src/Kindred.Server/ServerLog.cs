using Microsoft.Extensions.Logging;

namespace Kindred.Server;

/// <summary>The server's log events. Ids and counts only: nothing a person said is ever logged.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Account {AccountId} created")]
    public static partial void AccountCreated(ILogger logger, string accountId);

    [LoggerMessage(2, LogLevel.Information, "Companion {CompanionId} created for account {AccountId}")]
    public static partial void CompanionCreated(ILogger logger, string companionId, string accountId);

    [LoggerMessage(3, LogLevel.Debug, "Companion {CompanionId} activated")]
    public static partial void CompanionActivated(ILogger logger, string companionId);

    [LoggerMessage(4, LogLevel.Debug, "Companion {CompanionId} deactivated ({Reason})")]
    public static partial void CompanionDeactivated(ILogger logger, string companionId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Companion {CompanionId}: the model is busy; a turn was refused")]
    public static partial void ModelBusy(ILogger logger, string companionId);

    [LoggerMessage(6, LogLevel.Information, "Live conversation with {CompanionId} opened")]
    public static partial void LiveOpened(ILogger logger, string companionId);

    [LoggerMessage(7, LogLevel.Information, "Live conversation with {CompanionId} closed")]
    public static partial void LiveClosed(ILogger logger, string companionId);

    [LoggerMessage(8, LogLevel.Information, "Kindred server listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(9, LogLevel.Error, "Unhandled {ExceptionType} on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, string exceptionType, string method, string path);

    [LoggerMessage(50, LogLevel.Debug, "Companion {CompanionId}: the person only paused; the last exchange was withdrawn ({Turns} turns forgotten)")]
    public static partial void ReplyWithdrawn(ILogger logger, string companionId, int turns);
}
