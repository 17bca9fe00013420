namespace Kindred.Core;

/// <summary>What a companion knows of its bond with its person.</summary>
/// <param name="CompanionId">The companion this relationship belongs to.</param>
/// <param name="PersonName">The person's name once they have said it; null until then.</param>
/// <param name="MetAt">When they first met (the companion's first wake).</param>
/// <param name="TurnCount">How many turns, both sides, have been stored.</param>
/// <param name="LastTurnAt">When the last turn was stored; null before any.</param>
public sealed record Relationship(
    string CompanionId,
    string? PersonName,
    DateTimeOffset MetAt,
    int TurnCount,
    DateTimeOffset? LastTurnAt)
{
    /// <summary>How long they have known each other at <paramref name="now"/>; never negative.</summary>
    public TimeSpan KnownFor(DateTimeOffset now) => now > MetAt ? now - MetAt : TimeSpan.Zero;
}
