using Microsoft.Extensions.Logging;

namespace Kindred.Memory.Knowledge;

// Ids, counts and error types only: never what the person said or what the model answered.
internal static partial class KnowledgeLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Companion {CompanionId}: the model's knowledge answer was rejected on try {Attempt} ({Failure})")]
    public static partial void ModelAnswerRejected(ILogger logger, string companionId, int attempt, string failure);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Companion {CompanionId}: the model failed {Failures} requests in a row; the built-in extractor takes over for this process")]
    public static partial void ModelGivenUp(ILogger logger, string companionId, int failures);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Companion {CompanionId}: read turns up to {ThroughTurnId}: {Facts} facts, {People} people ({Source})")]
    public static partial void Extracted(ILogger logger, string companionId, long throughTurnId, int facts, int people, KnowledgeSource source);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "Companion {CompanionId}: summarised session {SessionId}")]
    public static partial void Summarized(ILogger logger, string companionId, string sessionId);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Companion {CompanionId}: knowledge work stopped ({ErrorType}); it resumes from the stored turns next time")]
    public static partial void WorkFailed(ILogger logger, string companionId, string errorType);
}
