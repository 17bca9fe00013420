using System.Threading.Channels;
using Kindred.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindred.Memory.Knowledge;

/// <summary>
/// Learns from what was said, in the background, after the turn: facts and people from new turns, then summaries of
/// finished sessions. Work is never held in memory only: it is whatever lies past each companion's extraction mark in
/// the stored turns, so a crash, a full queue or a failed model call loses nothing; the next notice (or the next
/// process) picks it up. A reply never waits for it: while one is being written (<see cref="HoldForReply"/>) no work
/// starts and running work is put off, because a local model serves one conversation at a time.
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
    private readonly Channel<(string CompanionId, string? OpenSessionId)> _notices;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _replies = new();
    private readonly Task _loop;
    private int _repliesInProgress;
    private CancellationTokenSource _replyStarted = new();

    /// <param name="turns">Where the turns are read from.</param>
    /// <param name="knowledge">Where what is learned goes (usually the same store).</param>
    /// <param name="queueCapacity">Notices waiting at most (default 64); more are dropped, as the work is found again.</param>
    public KnowledgeWorker(ICompanionStore turns, IKnowledgeStore knowledge, IKnowledgeExtractor extractor, TimeProvider time, ILogger? logger = null, int queueCapacity = 64)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _turns = turns;
        _knowledge = knowledge;
        _extractor = extractor;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _notices = Channel.CreateBounded<(string, string?)>(new BoundedChannelOptions(queueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Tells the worker a companion has new turns. Returns at once, whatever the worker is doing.
    /// </summary>
    /// <param name="openSessionId">The session still going on, which is not summarised yet.</param>
    /// <returns>False when the notice was dropped (queue full or worker stopped); the work is still found later.</returns>
    public bool Notify(string companionId, string? openSessionId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _notices.Writer.TryWrite((companionId, openSessionId));
    }

    /// <summary>
    /// Does all the companion's pending work now, in the caller's time (when a session ends, or to catch up), and
    /// returns how many turns were read. Holds for replies do not apply.
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

    /// <summary>
    /// Keeps background work off the model while a reply is written: work in progress is put off, and none starts
    /// until every hold is disposed. Notify again afterwards to resume.
    /// </summary>
    public IDisposable HoldForReply()
    {
        CancellationTokenSource started;
        lock (_replies)
        {
            _repliesInProgress++;
            started = _replyStarted;
        }

        started.Cancel();
        return new Hold(this);
    }

    public async ValueTask DisposeAsync()
    {
        _notices.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _replyStarted.Dispose();
        _oneAtATime.Dispose();
    }

    private void ReleaseHold()
    {
        lock (_replies)
        {
            if (--_repliesInProgress == 0 && _replyStarted.IsCancellationRequested)
            {
                _replyStarted.Dispose();
                _replyStarted = new CancellationTokenSource();
            }
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var (companionId, openSessionId) in _notices.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                CancellationToken replyStarted;
                lock (_replies)
                {
                    if (_repliesInProgress > 0)
                    {
                        continue;
                    }

                    replyStarted = _replyStarted.Token;
                }

                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, replyStarted);
                try
                {
                    await _oneAtATime.WaitAsync(linked.Token).ConfigureAwait(false);
                    try
                    {
                        await ProcessAsync(companionId, openSessionId, linked.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        _oneAtATime.Release();
                    }
                }
                catch (OperationCanceledException) when (linked.IsCancellationRequested)
                {
                    // Put off for a reply, or stopping: the work stays past the mark for next time.
                }
#pragma warning disable CA1031 // A store or model failure must not end the worker; the work is found again later.
                catch (Exception error)
#pragma warning restore CA1031
                {
                    KnowledgeLog.WorkFailed(_logger, companionId, error.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
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

    private sealed class Hold(KnowledgeWorker worker) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                worker.ReleaseHold();
            }
        }
    }
}
