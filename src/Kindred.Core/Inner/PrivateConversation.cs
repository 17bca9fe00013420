namespace Kindred.Core.Inner;

/// <summary>
/// A conversation that is not remembered at all: its turns live only in this object's memory and go when it does.
/// It runs the same turn as any other (<see cref="Companion"/>), with a timeline that keeps nothing: no turn, no
/// appraisal, no persona change, no reminder, no log of its words; the companion reads who it is and who the person
/// is, and writes nothing.
/// </summary>
public sealed class PrivateConversation
{
    private const string SessionId = "private";
    private readonly Companion _companion;
    private readonly PrivateTimeline _timeline;

    public PrivateConversation(CompanionIdentity identity, CompanionServices services)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(services);
        _companion = new Companion(identity, services);
        _timeline = new PrivateTimeline(services);
    }

    /// <summary>How many turns, both sides, this private conversation has had.</summary>
    public int TurnCount => _timeline.TurnCount;

    /// <summary>Answers the person, streaming; nothing of it outlives this object.</summary>
    /// <exception cref="CompanionSwitchedOffException">The companion is switched off.</exception>
    /// <exception cref="ModelBusyException">The model cannot take another conversation now.</exception>
    public IAsyncEnumerable<string> ReplyAsync(string personText, CancellationToken cancellationToken = default) =>
        _companion.TurnAsync(personText, SessionId, _timeline, exchange: null, cancellationToken);
}
