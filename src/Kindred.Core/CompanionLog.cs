using Microsoft.Extensions.Logging;

namespace Kindred.Core;

// Never log what a person said or what the companion answered: only ids, counts and timings.
internal static partial class CompanionLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Companion {CompanionId} woke for the first time and chose its name")]
    public static partial void FirstWake(ILogger logger, string companionId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Companion {CompanionId} rejected the model's name proposal and took a fallback name")]
    public static partial void NameProposalRejected(ILogger logger, string companionId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Companion {CompanionId} could not ask the model for a name ({ErrorType}); took a fallback name")]
    public static partial void NameProposalFailed(ILogger logger, string companionId, string errorType);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Companion {CompanionId} prompt: {PromptTokens} tokens, {DroppedTurns} turns and {DroppedMemories} memories left out")]
    public static partial void PromptComposed(ILogger logger, string companionId, int promptTokens, int droppedTurns, int droppedMemories);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Companion {CompanionId} replied in {ElapsedMs} ms ({Characters} characters)")]
    public static partial void Replied(ILogger logger, string companionId, long elapsedMs, int characters);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Companion {CompanionId} was interrupted after {Characters} characters")]
    public static partial void Interrupted(ILogger logger, string companionId, int characters);
}
