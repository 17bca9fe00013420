using Kindred.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindred.Memory.Knowledge;

/// <summary>
/// Learns from what was said: facts and people from new turns, then summaries of finished sessions. Work is never held
/// in memory only: it is whatever lies past each companion's extraction mark in the stored turns, so a crash, a stopped
/// pass or a failed model call loses nothing; the next pass (or the next process) picks it up. When a pass runs, and
/// that a reply puts it off, is the companion's life's rule (<see cref="Kindred.Core.Life.CompanionLife"/>).
/// </summary>
public sealed class KnowledgeWorker : IAsyncDisposable, Kindred.Core.Life.ILearning
{
    /// <summary>Turns read per extraction request (default 16).</summary>
    public const int BatchTurns = 16;

    // A session's summary is made from at most this many of its turns.
    private const int MaxSummaryTurns = 400;

    private readonly ICompanionStore _turns;
    private readonly IKnowledgeStore _knowledge;
    private readonly IKnowledgeExtractor _extractor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="turns">Where the turns are read from.</param>
    /// <param name="knowledge">Where what is learned goes (usually the same store).</param>
    public KnowledgeWorker(ICompanionStore turns, IKnowledgeStore knowledge, IKnowledgeExtractor extractor, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(time);
        _turns = turns;
        _knowledge = knowledge;
        _extractor = extractor;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Does all the companion's pending work now, in the caller's time, and returns how many turns were read. One pass
    /// at a time on this worker; disposing it stops a pass in progress.
    /// </summary>
    public async Task<int> DrainAsync(string companionId, string? openSessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await _oneAtATime.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            return await ProcessAsync(companionId, openSessionId, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>The life's learning pass: <see cref="DrainAsync"/>.</summary>
    public Task<int> LearnAsync(string companionId, string? openSessionId, CancellationToken cancellationToken) =>
        DrainAsync(companionId, openSessionId, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _oneAtATime.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<int> ProcessAsync(string companionId, string? openSessionId, CancellationToken cancellationToken)
    {
        var read = 0;
        while (true)
        {
            var through = await _knowledge.GetExtractedThroughAsync(companionId, cancellationToken).ConfigureAwait(false);
            var batch = await _turns.GetHistoryAsync(companionId, through, BatchTurns, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            var facts = await _knowledge.GetFactsAsync(companionId, includeSuperseded: false, cancellationToken).ConfigureAwait(false);
            var people = await _knowledge.GetPeopleAsync(companionId, cancellationToken).ConfigureAwait(false);
            var extraction = await _extractor.ExtractAsync(new ExtractionRequest(companionId, batch, facts, people), cancellationToken).ConfigureAwait(false);
            await _knowledge.ApplyExtractionAsync(companionId, batch, extraction, cancellationToken).ConfigureAwait(false);
            KnowledgeLog.Extracted(_logger, companionId, batch[^1].Id, extraction.Facts.Count, extraction.People.Count, extraction.Source);
            read += batch.Count;
        }

        foreach (var session in await _knowledge.GetUnsummarizedSessionsAsync(companionId, cancellationToken).ConfigureAwait(false))
        {
            if (session.SessionId == openSessionId)
            {
                continue;
            }

            var span = (int)Math.Min(session.LastTurnId - session.FirstTurnId + 1, MaxSummaryTurns);
            var turns = (await _turns.GetHistoryAsync(companionId, session.FirstTurnId - 1, span, cancellationToken).ConfigureAwait(false))
                .Where(t => t.SessionId == session.SessionId)
                .ToList();
            var draft = await _extractor.SummarizeAsync(turns, cancellationToken).ConfigureAwait(false);
            if (draft is null)
            {
                continue;
            }

            var at = turns.Count > 0 ? turns[^1].At : _time.GetUtcNow();
            await _knowledge.SaveSummaryAsync(new SessionSummary(companionId, session.SessionId, draft.Text, session.FirstTurnId, session.LastTurnId, at, draft.Source), cancellationToken).ConfigureAwait(false);
            if (draft.Reflection is not null)
            {
                await _knowledge.AddReflectionAsync(companionId, session.SessionId, draft.Reflection, at, cancellationToken).ConfigureAwait(false);
            }

            KnowledgeLog.Summarized(_logger, companionId, session.SessionId);
        }

        return read;
    }
}
