namespace Kindred.Core.Inner;

/// <summary>Why the companion reaches out.</summary>
public enum OutreachKind
{
    /// <summary>The person asked to be reminded; delivered at the time they asked for, quiet hours or not.</summary>
    Reminder = 0,

    /// <summary>Asking after something the person mentioned ("how did the interview go?").</summary>
    FollowUp = 1,

    /// <summary>Just checking in.</summary>
    CheckIn = 2,
}

/// <summary>Where a scheduled message stands.</summary>
public enum OutreachStatus
{
    /// <summary>Waiting for its time, or for the person to be there.</summary>
    Pending = 0,

    /// <summary>Said to the person.</summary>
    Delivered = 1,

    /// <summary>Called off by the person.</summary>
    Cancelled = 2,
}

/// <summary>A message to schedule.</summary>
/// <param name="DueAt">The instant it is due (from the person's wall clock, converted with their time zone).</param>
/// <param name="Text">What she will say.</param>
/// <param name="SourceTurnId">The person's turn that asked for or prompted it; null for check-ins.</param>
public sealed record NewOutreach(string CompanionId, OutreachKind Kind, string Text, DateTimeOffset DueAt, DateTimeOffset CreatedAt, long? SourceTurnId);

/// <summary>A scheduled message as stored.</summary>
public sealed record OutreachItem(
    long Id,
    string CompanionId,
    OutreachKind Kind,
    string Text,
    DateTimeOffset DueAt,
    DateTimeOffset CreatedAt,
    OutreachStatus Status,
    DateTimeOffset? DeliveredAt,
    long? SourceTurnId);

/// <summary>When the person wants to hear from their companion unprompted.</summary>
/// <param name="TimeZoneId">The person's time zone (IANA, e.g. Europe/London).</param>
/// <param name="QuietFrom">Start of quiet hours, local (e.g. 22:00). Equal to <paramref name="QuietUntil"/> means none.</param>
/// <param name="QuietUntil">End of quiet hours, local (e.g. 07:00); may be on the next day.</param>
/// <param name="DailyLimit">The most follow-ups and check-ins in one local day (0–24); reminders they asked for do not count.</param>
public sealed record OutreachPolicy(string TimeZoneId, TimeOnly QuietFrom, TimeOnly QuietUntil, int DailyLimit)
{
    /// <summary>Quiet from 22:00 to 08:00, at most three unprompted messages a day, in <paramref name="timeZoneId"/>.</summary>
    public static OutreachPolicy Default(string timeZoneId) => new(timeZoneId, new TimeOnly(22, 0), new TimeOnly(8, 0), 3);

    /// <summary>Checks the values; the message names the one out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range or the time zone is unknown.</exception>
    public TimeZoneInfo Validate()
    {
        if (DailyLimit is < 0 or > 24)
        {
            throw new ArgumentException($"The daily limit must be between 0 and 24 (was {DailyLimit}).");
        }

        return LocalClock.FindZone(TimeZoneId);
    }

    /// <summary>Whether the person's local <paramref name="time"/> falls in quiet hours.</summary>
    public bool IsQuiet(TimeOnly time) =>
        QuietFrom != QuietUntil && (QuietFrom < QuietUntil
            ? time >= QuietFrom && time < QuietUntil
            : time >= QuietFrom || time < QuietUntil);

    /// <summary>The first instant at or after <paramref name="instant"/> that is not in quiet hours.</summary>
    public DateTimeOffset EndOfQuiet(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = LocalClock.ToLocal(instant, zone);
        if (!IsQuiet(TimeOnly.FromDateTime(local)))
        {
            return instant;
        }

        var end = local.Date + QuietUntil.ToTimeSpan();
        if (end <= local)
        {
            end = end.AddDays(1);
        }

        return LocalClock.ToInstant(end, zone);
    }
}

/// <summary>Whether the companion is listening at all.</summary>
/// <param name="IsOff">Off: nothing is processed, remembered or sent.</param>
/// <param name="Since">When it was last switched off or on.</param>
public sealed record SwitchState(bool IsOff, DateTimeOffset? Since)
{
    /// <summary>A companion that has never been switched.</summary>
    public static SwitchState On { get; } = new(false, null);
}
