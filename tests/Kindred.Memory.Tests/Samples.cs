using Kindred.Core;

namespace Kindred.Memory.Tests;

internal static class Samples
{
    public static readonly DateTimeOffset WokeAt = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    public static CompanionIdentity Identity(string id = "c1", string name = "Wren", DateTimeOffset? wokeAt = null) =>
        new(id, name, wokeAt ?? WokeAt, "A quiet, curious listener.", ["curious", "warm"]);

    public static NewTurn Turn(
        string text,
        string companionId = "c1",
        Speaker speaker = Speaker.Person,
        DateTimeOffset? at = null,
        TurnStatus status = TurnStatus.Complete,
        string sessionId = "s1") =>
        new(companionId, sessionId, speaker, text, at ?? WokeAt.AddMinutes(1), status);
}
