using Kindred.Memory.Knowledge;
using Kindred.Server.Inner;
using Microsoft.Extensions.Logging;

namespace Kindred.Server.Companions;

/// <summary>What one learning pass for a companion came to.</summary>
internal enum LearningOutcome
{
    /// <summary>Every stored turn was read (possibly none were new).</summary>
    Learned,

    /// <summary>The companion is switched off: nothing was read.</summary>
    Off,

    /// <summary>The store or the extractor failed; the turns stay past the mark and the next pass reads them.</summary>
    Failed,
}

/// <summary>One finished learning pass: ids and counts only.</summary>
internal sealed record LearningPass(string CompanionId, LearningOutcome Outcome, int TurnsRead);

/// <summary>
/// Learning from what was said, for every companion on this silo: facts, people and summaries of finished sessions,
/// from the stored turns past each companion's extraction mark (<see cref="KnowledgeWorker"/>), with the extractor the
/// backend names (the built-in rules unless a chat model is configured for it). Passes run after a turn, in the
/// background (<see cref="Grains.CompanionGrain"/>), never while the companion is switched off; private conversations
/// store no turns, so there is nothing of them to learn from.
/// </summary>
internal sealed class ServerKnowledge : IAsyncDisposable
{
    private readonly KnowledgeWorker _worker;
    private readonly ServerInnerLife _inner;
    private readonly ILogger _logger;

    public ServerKnowledge(CompanionBackend backend, ServerInnerLife inner, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(loggers);
        _inner = inner;
        _logger = loggers.CreateLogger<ServerKnowledge>();
        var extractor = backend.Extractor ?? new BuiltInExtractor();
        _worker = new KnowledgeWorker(backend.Store, backend.Store, extractor, inner.Time, loggers.CreateLogger<KnowledgeWorker>());
    }

    /// <summary>Raised when a pass ends, however it ended (learned, off, failed); not when it was cancelled.</summary>
    public event EventHandler<LearningPass>? PassEnded;

    /// <summary>
    /// Reads whatever the companion said that is not learned from yet. The open session is not summarised. A failure
    /// is logged and reported as <see cref="LearningOutcome.Failed"/>, never thrown: the turns are already stored and
    /// the next pass reads them.
    /// </summary>
    /// <exception cref="OperationCanceledException">The silo is stopping or the companion deactivating.</exception>
    public async Task<LearningPass> LearnAsync(string companionId, string? openSessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        LearningPass pass;
        try
        {
            pass = await _inner.Life.IsOffAsync(companionId, cancellationToken).ConfigureAwait(false)
                ? new LearningPass(companionId, LearningOutcome.Off, 0)
                : new LearningPass(companionId, LearningOutcome.Learned, await _worker.DrainAsync(companionId, openSessionId, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any store or extractor failure: the turn is kept, and the next pass tries again.
        catch (Exception error)
#pragma warning restore CA1031
        {
            KnowledgeServerLog.LearningFailed(_logger, companionId, error.GetType().Name);
            pass = new LearningPass(companionId, LearningOutcome.Failed, 0);
        }

        KnowledgeServerLog.Learned(_logger, companionId, pass.Outcome, pass.TurnsRead);
        PassEnded?.Invoke(this, pass);
        return pass;
    }

    public ValueTask DisposeAsync() => _worker.DisposeAsync();
}

/// <summary>The server's learning log events: ids, counts and error types, never what was said.</summary>
internal static partial class KnowledgeServerLog
{
    [LoggerMessage(201, LogLevel.Debug, "Companion {CompanionId}: learning pass {Outcome}, {Turns} turns read")]
    public static partial void Learned(ILogger logger, string companionId, LearningOutcome outcome, int turns);

    [LoggerMessage(202, LogLevel.Warning, "Companion {CompanionId}: learning failed ({ExceptionType}); the turns are kept and read after a later turn")]
    public static partial void LearningFailed(ILogger logger, string companionId, string exceptionType);
}
