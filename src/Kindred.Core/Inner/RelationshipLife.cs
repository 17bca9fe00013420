namespace Kindred.Core.Inner;

/// <summary>Moments in a relationship worth remembering as such.</summary>
public enum MilestoneKind
{
    /// <summary>The person's first words to the companion.</summary>
    FirstConversation = 0,

    /// <summary>The first time the person shared something hard.</summary>
    FirstSharedSomethingHard = 1,

    /// <summary>The first time the person laughed with the companion.</summary>
    FirstLaugh = 2,
}

/// <summary>A milestone: each kind happens once.</summary>
/// <param name="TurnId">The person's turn where it happened.</param>
public sealed record Milestone(MilestoneKind Kind, DateTimeOffset At, long? TurnId);

/// <summary>Something the person mentioned that the companion means to ask about.</summary>
/// <param name="About">What it is, in the companion's words ("the interview").</param>
/// <param name="FollowUpAt">When to ask.</param>
/// <param name="ClosedAt">When it was followed up or let go; null while open.</param>
public sealed record OpenThread(long Id, string About, DateTimeOffset RaisedAt, DateTimeOffset FollowUpAt, long? SourceTurnId, DateTimeOffset? ClosedAt);
