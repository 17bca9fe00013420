namespace Kindred.Core.Inner;

/// <summary>What to say now, and when to look again.</summary>
/// <param name="DeliverNow">Due messages to deliver now, oldest due first.</param>
/// <param name="NextCheckAt">The earliest moment something else may become deliverable; null when nothing is waiting.</param>
public sealed record OutreachDecision(IReadOnlyList<OutreachItem> DeliverNow, DateTimeOffset? NextCheckAt);

/// <summary>
/// The scheduling rules, with no clock, store or host of their own: given the time, what is pending and the person's
/// policy, what goes out now and when to wake next. A console loop and an Orleans reminder both drive it.
/// </summary>
public static class OutreachPlan
{
    /// <param name="unpromptedDeliveredToday">Follow-ups and check-ins already delivered in the person's current local day.</param>
    public static OutreachDecision Decide(
        DateTimeOffset now,
        IReadOnlyList<OutreachItem> pending,
        OutreachPolicy policy,
        TimeZoneInfo zone,
        int unpromptedDeliveredToday,
        bool isOff)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(zone);
        var waiting = pending.Where(p => p.Status == OutreachStatus.Pending).OrderBy(p => p.DueAt).ThenBy(p => p.Id).ToList();
        if (isOff || waiting.Count == 0)
        {
            // Off sends nothing; switching back on makes the host look again.
            return new OutreachDecision([], null);
        }

        var deliver = new List<OutreachItem>();
        DateTimeOffset? next = null;
        var budget = policy.DailyLimit - unpromptedDeliveredToday;
        foreach (var item in waiting)
        {
            if (item.DueAt > now)
            {
                next = Earliest(next, item.DueAt);
                continue;
            }

            if (item.Kind == OutreachKind.Reminder)
            {
                // The person chose this time themselves: quiet hours and the limit do not apply.
                deliver.Add(item);
                continue;
            }

            if (policy.IsQuiet(TimeOnly.FromDateTime(LocalClock.ToLocal(now, zone))))
            {
                next = Earliest(next, policy.EndOfQuiet(now, zone));
            }
            else if (budget > 0)
            {
                deliver.Add(item);
                budget--;
            }
            else
            {
                var tomorrow = LocalClock.ToInstant(LocalClock.ToLocal(now, zone).Date.AddDays(1), zone);
                next = Earliest(next, policy.EndOfQuiet(tomorrow, zone));
            }
        }

        return new OutreachDecision(deliver, next);
    }

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } value && value <= candidate ? value : candidate;
}
