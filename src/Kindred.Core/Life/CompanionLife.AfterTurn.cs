using Kindred.Core.Inner;

namespace Kindred.Core.Life;

/// <summary>What happens after a turn, off the reply's path: learning, then reflection, by one set of rules on every host.</summary>
/// <remarks>
/// The rules: nothing runs while she is switched off, and nothing of a private conversation (it stores no turns). One
/// learning pass at a time; a turn that ends while one runs asks for one more, so no turn is left unread. A reply puts a
/// pass in progress off (the model serves the person first); what it had not read stays past the mark for the next
/// pass. A failure of either is logged by type and tried again after a later turn: the turns are already stored.
/// </remarks>
public sealed partial class CompanionLife
{
    private readonly Lock _background = new();
    private CancellationTokenSource _stopBackground = new();
    private CancellationTokenSource? _learningPass;
    private Task _learning = Task.CompletedTask;
    private Task _reflecting = Task.CompletedTask;
    private bool _learningRuns;
    private bool _learnAgain;
    private string? _openSession;

    /// <summary>
    /// Learns from everything not read yet and summarises every finished session, <paramref name="openSessionId"/>
    /// excepted (null: every session, as when the person leaves), in the caller's time.
    /// </summary>
    public async Task<LearningPass?> LearnNowAsync(string? openSessionId, CancellationToken cancellationToken)
    {
        if (_services.Learning is null)
        {
            return null;
        }

        Task running;
        lock (_background)
        {
            running = _learning;
        }

        await running.ConfigureAwait(false);
        return await LearnOnceAsync(openSessionId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Picks up, in the background, what an earlier session left (turns not learned from after a crash or an import,
    /// a reflection that came due while nobody talked), as if a turn of <paramref name="sessionId"/> had just ended.
    /// </summary>
    public void CatchUp(string sessionId) => AfterTurn(sessionId, completed: true);

    /// <summary>Waits for learning and reflection in progress to end, without stopping them.</summary>
    public async Task SettleAsync()
    {
        Task learning, reflecting;
        lock (_background)
        {
            (learning, reflecting) = (_learning, _reflecting);
        }

        await learning.ConfigureAwait(false);
        await reflecting.ConfigureAwait(false);
    }

    private void AfterTurn(string sessionId, bool completed)
    {
        LearnInBackground(sessionId);
        if (completed)
        {
            ReflectIfDue();
        }
    }

    private void LearnInBackground(string sessionId)
    {
        if (_services.Learning is null)
        {
            return;
        }

        lock (_background)
        {
            _openSession = sessionId;
            if (_learningRuns)
            {
                _learnAgain = true;
                return;
            }

            _learningRuns = true;
            var stop = _stopBackground.Token;
            _learning = Task.Run(() => LearnUntilCaughtUpAsync(stop), CancellationToken.None);
        }
    }

    private async Task LearnUntilCaughtUpAsync(CancellationToken stop)
    {
        while (true)
        {
            string? session;
            CancellationTokenSource pass;
            lock (_background)
            {
                _learnAgain = false;
                session = _openSession;
                pass = _learningPass = CancellationTokenSource.CreateLinkedTokenSource(stop);
            }

            try
            {
                await LearnOnceAsync(session, pass.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (pass.IsCancellationRequested)
            {
                // Put off for a reply, or this life is ending: the next turn asks again.
            }
            finally
            {
                lock (_background)
                {
                    _learningPass = null;
                }

                pass.Dispose();
            }

            lock (_background)
            {
                if (!_learnAgain || stop.IsCancellationRequested)
                {
                    _learningRuns = false;
                    return;
                }
            }
        }
    }

    private async Task<LearningPass> LearnOnceAsync(string? openSessionId, CancellationToken cancellationToken)
    {
        LearningPass pass;
        try
        {
            pass = await IsOffAsync(cancellationToken).ConfigureAwait(false)
                ? new LearningPass(CompanionId, LearningOutcome.Off, 0)
                : new LearningPass(CompanionId, LearningOutcome.Learned, await _services.Learning!.LearnAsync(CompanionId, openSessionId, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any store or extractor failure: the turns are kept, and the next pass tries again.
        catch (Exception error)
#pragma warning restore CA1031
        {
            LifeLog.LearningFailed(_services.Logger, CompanionId, error.GetType().Name);
            pass = new LearningPass(CompanionId, LearningOutcome.Failed, 0);
        }

        LifeLog.Learned(_services.Logger, CompanionId, pass.Outcome, pass.TurnsRead);
        _services.Events.PassEnded(pass);
        return pass;
    }

    private void PutOffLearning(string sessionId)
    {
        lock (_background)
        {
            _openSession = sessionId;
            _learningPass?.Cancel();
        }
    }

    private void ReflectIfDue()
    {
        if (_services.Reflector is not { } reflector)
        {
            return;
        }

        lock (_background)
        {
            if (!_reflecting.IsCompleted)
            {
                return;
            }

            var stop = _stopBackground.Token;
            _reflecting = Task.Run(() => ReflectAsync(reflector, stop), CancellationToken.None);
        }
    }

    private async Task ReflectAsync(Reflector reflector, CancellationToken stop)
    {
        try
        {
            if (!await IsOffAsync(stop).ConfigureAwait(false)
                && await reflector.ReflectIfDueAsync(CompanionId, stop).ConfigureAwait(false) is { CheckIn: not null })
            {
                _services.Events.Planned(CompanionId);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // This life is ending: the reflection happens after a later turn.
        }
#pragma warning disable CA1031 // Any failure: the turns are stored, and the reflection is tried again after a later turn.
        catch (Exception error)
#pragma warning restore CA1031
        {
            LifeLog.ReflectionFailed(_services.Logger, CompanionId, error.GetType().Name);
        }
    }

    private async Task<bool> IsOffAsync(CancellationToken cancellationToken) =>
        _services.Inner is { } inner && await inner.IsOffAsync(CompanionId, cancellationToken).ConfigureAwait(false);

    /// <summary>Stops learning and reflection and waits for them; later turns start them again.</summary>
    private async Task StopBackgroundAsync()
    {
        Task learning, reflecting;
        lock (_background)
        {
            // Not disposed: a pass may still be linking to its token; a cancelled source holds nothing.
            _stopBackground.Cancel();
            _stopBackground = new CancellationTokenSource();
            learning = _learning;
            reflecting = _reflecting;
        }

        await learning.ConfigureAwait(false);
        await reflecting.ConfigureAwait(false);
    }
}
