using Kindred.Core.Life;
using Kindred.Server.Contracts;
using Microsoft.Extensions.Logging;

namespace Kindred.Server.Inner;

/// <summary>Where a connected live conversation takes an outreach message: it sends it on its socket.</summary>
/// <param name="SessionId">The live conversation's session (a delivered message is stored as her turn in it).</param>
/// <param name="SendAsync">Sends one message (its outreach id and the words); false when the socket is no longer open.</param>
/// <param name="IsPrivate">A private conversation: a delivered message is stored in another connection's session if there is one.</param>
internal sealed record OutreachListener(string SessionId, Func<long, string, Task<bool>> SendAsync, bool IsPrivate = false);

/// <summary>
/// Delivers what companions scheduled (reminders, follow-ups, check-ins) to the people connected to this silo on a live
/// WebSocket, through the host-agnostic <see cref="Kindred.Core.Inner.OutreachScheduler"/>.
/// </summary>
/// <remarks>
/// Why not Orleans reminders: a message can only be said to a person who is connected, and everything waiting lives in
/// the store (due time, status), so nothing is lost when a silo restarts and a person who is away finds it queued when
/// they come back. What needs a clock is only "a connected person has something due": one timer per companion with a
/// connection here, armed for the next due time, does that without waking the grains of people who are away (which an
/// Orleans reminder would do, every minute, only to find nobody to tell). A message is claimed in the store before it is
/// sent, so it is said once even when a person is connected to two silos. Anything scheduled in this process (a turn, the
/// API, a reflection) wakes the companion's timer at once; what another silo scheduled is seen within
/// <see cref="ServerOptions.OutreachRecheckSeconds"/>.
/// </remarks>
internal sealed class OutreachHub : IDisposable
{
    private static readonly TimeSpan Soonest = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, Connected> _connected = new(StringComparer.Ordinal);
    private readonly ServerInnerLife _inner;
    private readonly IGrainFactory _grains;
    private readonly TimeSpan _recheck;
    private readonly ILogger<OutreachHub> _logger;
    private readonly CancellationTokenSource _stopping = new();

    public OutreachHub(ServerInnerLife inner, LifeEvents events, IGrainFactory grains, ServerOptions options, ILogger<OutreachHub> logger)
    {
        _inner = inner;
        _grains = grains;
        _recheck = TimeSpan.FromSeconds(options.OutreachRecheckSeconds);
        _logger = logger;
        inner.Life.Perceived += (companionId, understanding) =>
        {
            if (understanding.Reminder is not null || understanding.Thread is not null)
            {
                _ = WakeAsync(companionId, CancellationToken.None);
            }
        };
        events.OutreachPlanned += companionId => _ = WakeAsync(companionId, CancellationToken.None);
    }

    /// <summary>
    /// Starts delivering to <paramref name="listener"/> while the returned handle is not disposed. Call
    /// <see cref="WakeAsync"/> afterwards to deliver what is already waiting.
    /// </summary>
    public IDisposable Connect(string companionId, OutreachListener listener)
    {
        lock (_connected)
        {
            if (!_connected.TryGetValue(companionId, out var connected))
            {
                connected = new Connected();
                _connected[companionId] = connected;
            }

            connected.Listeners.Add(listener);
        }

        return new Connection(this, companionId, listener);
    }

    /// <summary>
    /// Delivers what is due now for <paramref name="companionId"/>, if its person is connected here, and arms the timer
    /// for what comes next. Returns when that pass is done.
    /// </summary>
    public async Task WakeAsync(string companionId, CancellationToken cancellationToken)
    {
        Connected? connected;
        lock (_connected)
        {
            _connected.TryGetValue(companionId, out connected);
        }

        if (connected is null)
        {
            return;
        }

        await connected.Pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PassAsync(companionId, connected, _inner.Scheduler).ConfigureAwait(false);
        }
        finally
        {
            connected.Pass.Release();
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        lock (_connected)
        {
            foreach (var connected in _connected.Values)
            {
                connected.Timer?.Dispose();
            }

            _connected.Clear();
        }

        _stopping.Dispose();
    }

    private async Task PassAsync(string companionId, Connected connected, Kindred.Core.Inner.OutreachScheduler scheduler)
    {
        var next = _inner.Time.GetUtcNow() + _recheck;
        try
        {
            OutreachListener[] listeners;
            lock (_connected)
            {
                listeners = [.. connected.Listeners];
            }

            if (listeners.Length == 0)
            {
                return;
            }

            var pass = await scheduler.RunOnceAsync(companionId, _stopping.Token).ConfigureAwait(false);
            foreach (var (item, words) in pass.Delivered)
            {
                // Claimed in the store already: it is hers to say now. Remembered as said, through her one owner.
                var session = (listeners.FirstOrDefault(l => !l.IsPrivate) ?? listeners[0]).SessionId;
                await _grains.GetGrain<ICompanionGrain>(companionId).SayAsync(words, session, _stopping.Token).ConfigureAwait(false);
                var sent = 0;
                foreach (var listener in listeners)
                {
                    sent += await listener.SendAsync(item.Id, words).ConfigureAwait(false) ? 1 : 0;
                }

                InnerServerLog.OutreachDelivered(_logger, companionId, item.Id, sent);
            }

            if (pass.NextCheckAt is { } at && at < next)
            {
                next = at;
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or System.Data.Common.DbException or IOException)
        {
            // Tried again at the next check; what was not claimed stays waiting in the store.
            InnerServerLog.OutreachFailed(_logger, companionId, ex.GetType().Name);
        }

        Arm(companionId, connected, next);
    }

    private void Arm(string companionId, Connected connected, DateTimeOffset at)
    {
        var wait = at - _inner.Time.GetUtcNow();
        wait = wait < Soonest ? Soonest : wait > _recheck ? _recheck : wait;
        lock (_connected)
        {
            connected.Timer?.Dispose();
            connected.Timer = connected.Listeners.Count == 0 || _stopping.IsCancellationRequested
                ? null
                : _inner.Time.CreateTimer(_ => _ = WakeAsync(companionId, CancellationToken.None), null, wait, Timeout.InfiniteTimeSpan);
        }
    }

    private void Disconnect(string companionId, OutreachListener listener)
    {
        lock (_connected)
        {
            if (_connected.TryGetValue(companionId, out var connected) && connected.Listeners.Remove(listener) && connected.Listeners.Count == 0)
            {
                connected.Timer?.Dispose();
                connected.Timer = null;
                _connected.Remove(companionId);
            }
        }
    }

    private sealed class Connected
    {
        public List<OutreachListener> Listeners { get; } = [];

        // One pass at a time per companion: a timer and a wake-up racing would otherwise both arm a timer.
        public SemaphoreSlim Pass { get; } = new(1, 1);

        public ITimer? Timer { get; set; }
    }

    private sealed class Connection(OutreachHub hub, string companionId, OutreachListener listener) : IDisposable
    {
        public void Dispose() => hub.Disconnect(companionId, listener);
    }
}
