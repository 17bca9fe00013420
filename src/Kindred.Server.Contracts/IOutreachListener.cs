namespace Kindred.Server.Contracts;

/// <summary>
/// A live conversation that takes what its companion says unprompted (a reminder that came due, a check-in): an Orleans
/// observer, so the conversation's socket may be on another silo than the companion's grain. It subscribes with
/// <see cref="ICompanionGrain.ConnectOutreachAsync"/> and renews that subscription while it is open.
/// </summary>
public interface IOutreachListener : IGrainObserver
{
    /// <summary>Sends one message to the person (its outreach id and the words).</summary>
    /// <returns>False when the conversation's socket is no longer open.</returns>
    Task<bool> HearAsync(long outreachId, string words);
}
