using Microsoft.Extensions.Logging;

namespace Kindred.Core.Inner;

// Ids, kinds and counts only: never what the person said or how they felt.
internal static partial class InnerLifeLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "Companion {CompanionId} could not perceive turn {TurnId} ({ErrorType}); replying without it")]
    public static partial void PerceiveFailed(ILogger logger, string companionId, long turnId, string errorType);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Companion {CompanionId} persona changed to version {Version} ({Kind})")]
    public static partial void PersonaChanged(ILogger logger, string companionId, int version, PersonaChangeKind kind);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Companion {CompanionId} scheduled outreach {OutreachId} ({Kind})")]
    public static partial void OutreachScheduled(ILogger logger, string companionId, long outreachId, OutreachKind kind);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Companion {CompanionId} switched {State}")]
    public static partial void Switched(ILogger logger, string companionId, string state);
}
