namespace Kindred.Core.Inner;

/// <summary>
/// Where the companion's inner life is kept: appraisals, persona versions, milestones, open threads, scheduled outreach
/// and the on/off switch. Every write that returns is durable. Everything here belongs to one companion and is deleted
/// with it.
/// </summary>
public interface IInnerLifeStore
{
    /// <summary>Stores the appraisal of one of the person's turns (replacing an earlier one of the same turn).</summary>
    Task SaveAppraisalAsync(string companionId, long turnId, DateTimeOffset at, Appraisal appraisal, CancellationToken cancellationToken);

    /// <summary>Appraisals made at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredAppraisal>> GetAppraisalsAsync(string companionId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Every persona version, oldest first; empty before the first is saved.</summary>
    Task<IReadOnlyList<PersonaVersion>> GetPersonaHistoryAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a persona version. Its <see cref="PersonaVersion.Version"/> must be one more than the latest stored
    /// (1 for the first), so two writers cannot both believe they made the same change.
    /// </summary>
    /// <returns>False, storing nothing, when that version already exists.</returns>
    Task<bool> AppendPersonaVersionAsync(string companionId, PersonaVersion version, CancellationToken cancellationToken);

    /// <summary>Records a milestone unless one of its kind already exists. Returns true when it was new.</summary>
    Task<bool> AddMilestoneAsync(string companionId, Milestone milestone, CancellationToken cancellationToken);

    /// <summary>Every milestone, in the order they happened.</summary>
    Task<IReadOnlyList<Milestone>> GetMilestonesAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>Opens a thread to follow up; returns it with its id.</summary>
    Task<OpenThread> AddThreadAsync(string companionId, string about, DateTimeOffset raisedAt, DateTimeOffset followUpAt, long? sourceTurnId, CancellationToken cancellationToken);

    /// <summary>Threads not yet closed, earliest follow-up first.</summary>
    Task<IReadOnlyList<OpenThread>> GetOpenThreadsAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>Closes a thread (followed up, or let go).</summary>
    Task<bool> CloseThreadAsync(string companionId, long threadId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Schedules a message; returns it with its id.</summary>
    Task<OutreachItem> AddOutreachAsync(NewOutreach outreach, CancellationToken cancellationToken);

    /// <summary>Scheduled messages not yet delivered or cancelled, earliest due first.</summary>
    Task<IReadOnlyList<OutreachItem>> GetPendingOutreachAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>Every scheduled message (pending, delivered, cancelled), earliest due first.</summary>
    Task<IReadOnlyList<OutreachItem>> GetOutreachAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a pending message delivered. Only the first caller wins: the result is false when it was already delivered
    /// or cancelled, so a message is said once even when two hosts race, or one restarts.
    /// </summary>
    Task<bool> MarkOutreachDeliveredAsync(string companionId, long outreachId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Cancels a pending message; false when there is no such pending message.</summary>
    Task<bool> CancelOutreachAsync(string companionId, long outreachId, CancellationToken cancellationToken);

    /// <summary>How many follow-ups and check-ins were delivered at or after <paramref name="since"/>.</summary>
    Task<int> CountUnpromptedDeliveredSinceAsync(string companionId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The person's outreach settings, or null when they have set none.</summary>
    Task<OutreachPolicy?> GetOutreachPolicyAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>Saves the person's outreach settings.</summary>
    Task SetOutreachPolicyAsync(string companionId, OutreachPolicy policy, CancellationToken cancellationToken);

    /// <summary>Whether the companion is switched off.</summary>
    Task<SwitchState> GetSwitchAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>Switches the companion off or on.</summary>
    Task SetSwitchAsync(string companionId, SwitchState state, CancellationToken cancellationToken);
}

/// <summary>Where the companion's reflections are kept (with the rest of its inner life).</summary>
public interface IReflectionStore
{
    /// <summary>Stores a reflection; returns it with its id.</summary>
    Task<StoredReflection> AddReflectionAsync(NewReflection reflection, CancellationToken cancellationToken);

    /// <summary>Every reflection, oldest first.</summary>
    Task<IReadOnlyList<StoredReflection>> GetInnerReflectionsAsync(string companionId, CancellationToken cancellationToken);
}
