using System.Globalization;

namespace Kindred.Core.Inner;

/// <summary>One pass of the scheduler: what was claimed for delivery now, and when to look again.</summary>
/// <param name="Delivered">Messages claimed (marked delivered) in this pass, each with the words to say.</param>
/// <param name="NextCheckAt">When something else may become due; null when nothing is waiting.</param>
public sealed record OutreachPass(IReadOnlyList<(OutreachItem Item, string Words)> Delivered, DateTimeOffset? NextCheckAt);

/// <summary>
/// Delivers scheduled outreach, with no host of its own: a console loop (<see cref="OutreachLoop"/>) or an Orleans
/// reminder calls <see cref="RunOnceAsync"/> when the person is connected, and the store keeps everything else waiting.
/// A message is claimed in the store before it is said, so it is said at most once even across restarts and racing hosts.
/// </summary>
public sealed class OutreachScheduler(IInnerLifeStore store, TimeProvider time, InnerLifeOptions options)
{
    /// <summary>How late a reminder may be before she says when it was due.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(5);

    /// <summary>Claims what is due now for a connected person and says when to look again.</summary>
    public async Task<OutreachPass> RunOnceAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        var now = time.GetUtcNow();
        var state = await store.GetSwitchAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (state.IsOff)
        {
            return new OutreachPass([], null);
        }

        var policy = await store.GetOutreachPolicyAsync(companionId, cancellationToken).ConfigureAwait(false) ?? OutreachPolicy.Default(options.TimeZoneId);
        var zone = policy.Validate();
        var pending = await store.GetPendingOutreachAsync(companionId, cancellationToken).ConfigureAwait(false);
        var today = LocalClock.StartOfLocalDay(now, zone);
        var sentToday = await store.CountUnpromptedDeliveredSinceAsync(companionId, today, cancellationToken).ConfigureAwait(false);
        var decision = OutreachPlan.Decide(now, pending, policy, zone, sentToday, isOff: false);

        var delivered = new List<(OutreachItem, string)>();
        foreach (var item in decision.DeliverNow)
        {
            if (!await store.MarkOutreachDeliveredAsync(companionId, item.Id, now, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (item.Kind == OutreachKind.FollowUp && item.SourceTurnId is { } source)
            {
                foreach (var thread in await store.GetOpenThreadsAsync(companionId, cancellationToken).ConfigureAwait(false))
                {
                    if (thread.SourceTurnId == source)
                    {
                        await store.CloseThreadAsync(companionId, thread.Id, now, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            delivered.Add((item with { Status = OutreachStatus.Delivered, DeliveredAt = now }, Words(item, now, zone)));
        }

        return new OutreachPass(delivered, decision.NextCheckAt);
    }

    /// <summary>What she says for <paramref name="item"/> at <paramref name="now"/>: late reminders say when they were due.</summary>
    public static string Words(OutreachItem item, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Kind == OutreachKind.Reminder && now - item.DueAt > LateAfter)
        {
            var due = LocalClock.ToLocal(item.DueAt, zone).ToString("dddd 'at' HH:mm", CultureInfo.InvariantCulture);
            return $"{item.Text} (That was for {due}; I couldn't reach you until now.)";
        }

        return item.Text;
    }
}

/// <summary>
/// Runs the scheduler for one connected person until cancelled: passes at each due time (at least every
/// <see cref="MaxWait"/>, to see what other processes scheduled), and at once when <see cref="Wake"/> is called.
/// </summary>
public sealed class OutreachLoop(OutreachScheduler scheduler, string companionId, TimeProvider time, Func<OutreachItem, string, CancellationToken, Task> deliver) : IDisposable
{
    /// <summary>The longest the loop sleeps between passes.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Looks again now (something was scheduled, or the companion was switched back on).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    /// <summary>Delivers until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var pass = await scheduler.RunOnceAsync(companionId, cancellationToken).ConfigureAwait(false);
            foreach (var (item, words) in pass.Delivered)
            {
                await deliver(item, words, cancellationToken).ConfigureAwait(false);
            }

            var wait = pass.NextCheckAt is { } next ? next - time.GetUtcNow() : MaxWait;
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
            using var timeout = new CancellationTokenSource(wait, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await _wake.WaitAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Time to look again.
            }
        }
    }

    public void Dispose() => _wake.Dispose();
}
