namespace Kindred.Core;

/// <summary>Who spoke a turn.</summary>
public enum Speaker
{
    /// <summary>The human.</summary>
    Person = 0,

    /// <summary>The companion.</summary>
    Companion = 1,
}

/// <summary>Whether a stored turn is whole.</summary>
public enum TurnStatus
{
    /// <summary>The turn was said in full.</summary>
    Complete = 0,

    /// <summary>The reply was cut off (the person interrupted, or the client went away); the text is what was said.</summary>
    Interrupted = 1,
}

/// <summary>A turn about to be stored.</summary>
public sealed record NewTurn(
    string CompanionId,
    string SessionId,
    Speaker Speaker,
    string Text,
    DateTimeOffset At,
    TurnStatus Status = TurnStatus.Complete);

/// <summary>A turn as stored: every turn is kept, losslessly, in order.</summary>
/// <param name="Id">Store-assigned id, increasing in the order turns were appended.</param>
public sealed record StoredTurn(
    long Id,
    string CompanionId,
    string SessionId,
    Speaker Speaker,
    string Text,
    DateTimeOffset At,
    TurnStatus Status);
