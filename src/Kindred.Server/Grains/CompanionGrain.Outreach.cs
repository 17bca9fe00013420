using Kindred.Core.Inner;
using Kindred.Core.Life;
using Kindred.Server.Contracts;
using Kindred.Server.Inner;
using Microsoft.Extensions.Logging;

// Grain code resumes on the grain's own scheduler: no ConfigureAwait(false) here (ORLEANS0014).
#pragma warning disable CA2007

namespace Kindred.Server.Grains;

/// <summary>
/// Outreach delivery (reminders, follow-ups, check-ins) to the live conversations subscribed to this companion, through
/// the host-agnostic <see cref="OutreachScheduler"/>: one timer, armed for the next due time, only while one is subscribed.
/// </summary>
/// <remarks>
/// Why not Orleans reminders: a message can only be said to a person who is connected, and everything waiting lives in
/// the store (due time, status), so nothing is lost when a silo restarts and a person who is away finds it queued when
/// they come back. What needs a clock is only "a connected person has something due": a timer in the activation while a
/// conversation is subscribed does that without waking the grains of people who are away (which an Orleans reminder
/// would do, every minute, only to find nobody to tell). The conversations are Orleans observers, so a socket on another
/// silo hears what this grain says; each renews its subscription (which also keeps this activation alive) and one that
/// is not renewed lapses. The timer runs on the companions' clock (a test's fake one drives it) and only makes a grain
/// call: every pass runs on the grain's scheduler. A message is claimed in the store before it is sent, so it is said once
/// even when two activations race across a silo's failure. Anything scheduled in this process for this companion (a turn,
/// a reflection) wakes the pass at once, the API wakes it with <see cref="WakeOutreachAsync"/>; what another silo
/// scheduled is seen within <see cref="ServerOptions.OutreachRecheckSeconds"/>.
/// </remarks>
internal sealed partial class CompanionGrain
{
    private static readonly TimeSpan Soonest = TimeSpan.FromSeconds(1);
    private readonly List<Listener> _listeners = [];

    // One pass at a time: the grain is reentrant, and a timer and a wake-up racing would otherwise both arm a timer.
    private readonly SemaphoreSlim _outreachPass = new(1, 1);
    private ServerInnerLife _inner = null!;
    private LifeEvents _events = null!;
    private ILogger _outreachLogger = null!;
    private TimeSpan _recheck;
    private TimeSpan _lease;
    private ICompanionGrain _self = null!;
    private ITimer? _outreachTimer;
    private bool _stopped;

    public Task<bool> ConnectOutreachAsync(IOutreachListener listener, string sessionId, bool isPrivate)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var renewedAt = TimeProvider.System.GetTimestamp();
        var known = _listeners.FindIndex(l => string.Equals(l.SessionId, sessionId, StringComparison.Ordinal));
        if (known >= 0)
        {
            _listeners[known] = _listeners[known] with { Observer = listener, RenewedAt = renewedAt };
            return Task.FromResult(false);
        }

        _listeners.Add(new Listener(listener, sessionId, isPrivate, renewedAt));
        return Task.FromResult(true);
    }

    public Task DisconnectOutreachAsync(string sessionId)
    {
        _listeners.RemoveAll(l => string.Equals(l.SessionId, sessionId, StringComparison.Ordinal));
        if (_listeners.Count == 0)
        {
            Disarm();
        }

        return Task.CompletedTask;
    }

    public async Task WakeOutreachAsync()
    {
        if (_listeners.Count == 0 || _stopped)
        {
            return;
        }

        await _outreachPass.WaitAsync();
        try
        {
            await OutreachPassAsync();
        }
        finally
        {
            _outreachPass.Release();
        }
    }

    private void StartOutreach(ServerInnerLife inner, LifeEvents events, ServerOptions options, ILogger logger)
    {
        _inner = inner;
        _events = events;
        _outreachLogger = logger;
        _recheck = TimeSpan.FromSeconds(options.OutreachRecheckSeconds);
        _lease = TimeSpan.FromMinutes(options.CompanionIdleMinutes);
        _self = this.AsReference<ICompanionGrain>();

        // Raised inside this process, by any life (events are process-wide): only this companion's wake this grain.
        _inner.Life.Perceived += OnPerceived;
        _events.OutreachPlanned += OnPlanned;
    }

    private void StopOutreach()
    {
        _stopped = true;
        _inner.Life.Perceived -= OnPerceived;
        _events.OutreachPlanned -= OnPlanned;
        Disarm();
        _listeners.Clear();
    }

    private void OnPerceived(string companionId, TurnUnderstanding understanding)
    {
        if ((understanding.Reminder is not null || understanding.Thread is not null) && IsMine(companionId))
        {
            _ = WakeSelfAsync();
        }
    }

    private void OnPlanned(string companionId)
    {
        if (IsMine(companionId))
        {
            _ = WakeSelfAsync();
        }
    }

    private bool IsMine(string companionId) => string.Equals(companionId, CompanionId, StringComparison.Ordinal);

    /// <summary>A pass as a grain call: from the timer's thread or an event's, it then runs on the grain's scheduler.</summary>
    private async Task WakeSelfAsync()
    {
        try
        {
            await _self.WakeOutreachAsync();
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // Deactivating or the silo stopping; the next activation's subscribers wake it again.
        }
    }

    private async Task OutreachPassAsync()
    {
        var next = _inner.Time.GetUtcNow() + _recheck;
        _listeners.RemoveAll(l => TimeProvider.System.GetElapsedTime(l.RenewedAt) > _lease);
        Listener[] listeners = [.. _listeners];
        if (listeners.Length == 0)
        {
            Disarm();
            return;
        }

        try
        {
            var pass = await _inner.Scheduler.RunOnceAsync(CompanionId, CancellationToken.None);
            foreach (var (item, words) in pass.Delivered)
            {
                // Claimed in the store already: it is hers to say now, and remembered as said.
                var session = (Array.Find(listeners, l => !l.IsPrivate) ?? listeners[0]).SessionId;
                await _life.SayAsync(words, session, CancellationToken.None);
                var sent = 0;
                foreach (var listener in listeners)
                {
                    sent += await TellAsync(listener, item.Id, words) ? 1 : 0;
                }

                InnerServerLog.OutreachDelivered(_outreachLogger, CompanionId, item.Id, sent);
            }

            if (pass.NextCheckAt is { } at && at < next)
            {
                next = at;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or System.Data.Common.DbException or IOException)
        {
            // Tried again at the next check; what was not claimed stays waiting in the store.
            InnerServerLog.OutreachFailed(_outreachLogger, CompanionId, ex.GetType().Name);
        }

        Arm(next);
    }

    private async Task<bool> TellAsync(Listener listener, long outreachId, string words)
    {
        try
        {
            return await listener.Observer.HearAsync(outreachId, words);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // Its silo or its socket is gone: it hears nothing more.
            _listeners.Remove(listener);
            InnerServerLog.OutreachListenerDropped(_outreachLogger, CompanionId, ex.GetType().Name);
            return false;
        }
    }

    private void Arm(DateTimeOffset at)
    {
        Disarm();
        if (_listeners.Count == 0 || _stopped)
        {
            return;
        }

        var wait = at - _inner.Time.GetUtcNow();
        wait = wait < Soonest ? Soonest : wait > _recheck ? _recheck : wait;
        _outreachTimer = _inner.Time.CreateTimer(static grain => _ = ((CompanionGrain)grain!).WakeSelfAsync(), this, wait, Timeout.InfiniteTimeSpan);
    }

    private void Disarm()
    {
        _outreachTimer?.Dispose();
        _outreachTimer = null;
    }

    private sealed record Listener(IOutreachListener Observer, string SessionId, bool IsPrivate, long RenewedAt);
}
