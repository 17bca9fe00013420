using Kindred.Core;

namespace Kindred.Memory.Storage;

/// <summary>How an appended turn reads back, on every store.</summary>
internal static class StoredTurns
{
    /// <summary>The turn as stored under <paramref name="id"/>: its time in UTC, as it reads back.</summary>
    public static StoredTurn Stored(long id, NewTurn turn) =>
        new(id, turn.CompanionId, turn.SessionId, turn.Speaker, turn.Text, turn.At.ToUniversalTime(), turn.Status);
}
