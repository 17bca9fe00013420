using Microsoft.Extensions.Logging;

namespace Kindred.Core.Life;

// Never log what a person said: ids, counts and error types only.
internal static partial class LifeLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Companion {CompanionId}: learning pass {Outcome}, {Turns} turns read")]
    public static partial void Learned(ILogger logger, string companionId, LearningOutcome outcome, int turns);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Companion {CompanionId}: learning failed ({ExceptionType}); the turns are kept and read after a later turn")]
    public static partial void LearningFailed(ILogger logger, string companionId, string exceptionType);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Companion {CompanionId}: reflection failed ({ExceptionType}); it is tried again after a later turn")]
    public static partial void ReflectionFailed(ILogger logger, string companionId, string exceptionType);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Companion {CompanionId}: {Turns} turns of the last exchange withdrawn")]
    public static partial void Withdrawn(ILogger logger, string companionId, int turns);
}
