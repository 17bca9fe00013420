using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Kindred.Core.Inner;

/// <summary>What the companion made of one turn, and what it did about it.</summary>
/// <param name="Guidance">Words for the reply's prompt: who she is now, how the person seems, what to follow up.</param>
public sealed record TurnUnderstanding(
    Appraisal Appraisal,
    Persona Persona,
    PersonaVersion? PersonaChange,
    IReadOnlyList<Milestone> NewMilestones,
    OutreachItem? Reminder,
    OpenThread? Thread,
    string Guidance)
{
    /// <summary>The person's time zone when the turn was understood (for showing a reminder's local time).</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;
}

/// <summary>
/// The companion's inner life: it appraises each of the person's turns, lets its persona evolve with feedback, keeps
/// the milestones and open threads of the relationship, schedules what the person asked to be reminded of, and holds
/// the on/off switch. Its state lives in an <see cref="IInnerLifeStore"/>; it has no I/O of its own.
/// </summary>
/// <remarks>With no chat model (<c>chat</c> null), turns are appraised by the built-in lexicon.</remarks>
public sealed class InnerLife(IInnerLifeStore store, IChatClient? chat, TimeProvider time, InnerLifeOptions options, ILogger logger)
{
    /// <summary>The store this inner life keeps its state in.</summary>
    public IInnerLifeStore Store => store;

    /// <summary>Runs after every turn is understood (the CLI shows a reminder it set, for example).</summary>
    public event Action<string, TurnUnderstanding>? Perceived;

    /// <summary>Whether the companion is switched off.</summary>
    public async Task<bool> IsOffAsync(string companionId, CancellationToken cancellationToken) =>
        (await store.GetSwitchAsync(companionId, cancellationToken).ConfigureAwait(false)).IsOff;

    /// <summary>Switches the companion off: from now nothing is processed, remembered or sent.</summary>
    public async Task SwitchOffAsync(string companionId, CancellationToken cancellationToken)
    {
        if (await IsOffAsync(companionId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await store.SetSwitchAsync(companionId, new SwitchState(true, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        InnerLifeLog.Switched(logger, companionId, "off");
    }

    /// <summary>
    /// Switches the companion back on and returns what she says about the time she was off, or null when she was
    /// not off.
    /// </summary>
    public async Task<string?> SwitchOnAsync(string companionId, CancellationToken cancellationToken)
    {
        var state = await store.GetSwitchAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (!state.IsOff)
        {
            return null;
        }

        var now = time.GetUtcNow();
        await store.SetSwitchAsync(companionId, new SwitchState(false, now), cancellationToken).ConfigureAwait(false);
        InnerLifeLog.Switched(logger, companionId, "on");
        var zone = await ZoneAsync(companionId, cancellationToken).ConfigureAwait(false);
        var since = state.Since is { } at
            ? " since " + LocalClock.ToLocal(at, zone).ToString("dddd d MMMM, HH:mm", CultureInfo.InvariantCulture)
            : "";
        return $"I'm back. I was switched off{since}, and while I was off I didn't hear anything, keep anything or send you anything.";
    }

    /// <summary>The persona as it is now; the initial one (stored as version 1) the first time.</summary>
    public async Task<Persona> GetPersonaAsync(string companionId, CancellationToken cancellationToken) =>
        (await LatestVersionAsync(companionId, cancellationToken).ConfigureAwait(false)).Persona;

    /// <summary>Every version of the persona, oldest first, with why it changed.</summary>
    public async Task<IReadOnlyList<PersonaVersion>> GetPersonaHistoryAsync(string companionId, CancellationToken cancellationToken)
    {
        await LatestVersionAsync(companionId, cancellationToken).ConfigureAwait(false);
        return await store.GetPersonaHistoryAsync(companionId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies a signal at its bounded rate and stores the new version; null when nothing actually moved.</summary>
    public async Task<PersonaVersion?> ApplySignalAsync(string companionId, PersonaSignal signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var maxStep = signal.Kind == PersonaChangeKind.Implicit ? Persona.ImplicitStep : Persona.FeedbackStep;
        return await ChangePersonaAsync(companionId, current => current.Nudge(signal.Deltas, maxStep), signal.Kind, signal.Reason, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies what a reflection decided: trait nudges at the implicit rate and a new self-description, as one version;
    /// null when nothing actually changed.
    /// </summary>
    public async Task<PersonaVersion?> ApplyReflectionAsync(string companionId, IReadOnlyDictionary<Trait, double> nudges, string selfDescription, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nudges);
        ArgumentException.ThrowIfNullOrWhiteSpace(selfDescription);
        return await ChangePersonaAsync(
            companionId,
            current => current.Nudge(nudges, Persona.ImplicitStep) with { SelfDescription = selfDescription.Trim() },
            PersonaChangeKind.Reflection,
            reason,
            null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Undoes change <paramref name="version"/>: the persona goes back to what it was just before it, as a new version
    /// (nothing in the history is erased).
    /// </summary>
    /// <exception cref="ArgumentException">No such version, or it is the initial one.</exception>
    public async Task<PersonaVersion> RollBackAsync(string companionId, int version, CancellationToken cancellationToken)
    {
        var history = await GetPersonaHistoryAsync(companionId, cancellationToken).ConfigureAwait(false);
        var target = history.FirstOrDefault(v => v.Version == version)
            ?? throw new ArgumentException($"There is no persona version {version}; 'kindred persona history' lists them.");
        var before = history.LastOrDefault(v => v.Version < version)
            ?? throw new ArgumentException("The first version is where the companion started; there is nothing before it to go back to.");
        var reason = string.Create(CultureInfo.InvariantCulture, $"Rolled back change {version} ({target.Reason.TrimEnd('.')}).");
        return await ChangePersonaAsync(companionId, _ => before.Persona, PersonaChangeKind.Rollback, reason, version, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"Change {version} is already undone: the persona is the same as before it.");
    }

    /// <summary>The person's outreach settings, or the defaults in the configured time zone.</summary>
    public async Task<OutreachPolicy> GetPolicyAsync(string companionId, CancellationToken cancellationToken) =>
        await store.GetOutreachPolicyAsync(companionId, cancellationToken).ConfigureAwait(false)
        ?? OutreachPolicy.Default(options.TimeZoneId);

    /// <summary>The person's emotional timeline over the window ending now, day by day.</summary>
    public async Task<IReadOnlyList<DayMood>> GetTimelineAsync(string companionId, TimeSpan window, CancellationToken cancellationToken)
    {
        var zone = await ZoneAsync(companionId, cancellationToken).ConfigureAwait(false);
        var appraisals = await store.GetAppraisalsAsync(companionId, time.GetUtcNow() - window, cancellationToken).ConfigureAwait(false);
        return EmotionalTimeline.Days(appraisals, zone);
    }

    /// <summary>
    /// Understands the person's turn, already stored: appraises it and keeps the appraisal, notes milestones, lets
    /// feedback move the persona, schedules a reminder or a follow-up it asks for, and composes the reply's guidance.
    /// Never throws for a failure of its own (the reply goes on without it); only cancellation propagates.
    /// </summary>
    public async Task<TurnUnderstanding?> PerceiveAsync(CompanionIdentity identity, StoredTurn personTurn, IReadOnlyList<StoredTurn> recentTurns, string? personName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(personTurn);
        ArgumentNullException.ThrowIfNull(recentTurns);
        try
        {
            var understanding = await UnderstandAsync(identity.CompanionId, personTurn, recentTurns, personName, cancellationToken).ConfigureAwait(false);
            Perceived?.Invoke(identity.CompanionId, understanding);
            return understanding;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            InnerLifeLog.PerceiveFailed(logger, identity.CompanionId, personTurn.Id, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>Guidance for a private conversation: who she is now, and nothing read from or written about the person's turns.</summary>
    public async Task<string> PrivateGuidanceAsync(string companionId, CancellationToken cancellationToken)
    {
        var persona = await GetPersonaAsync(companionId, cancellationToken).ConfigureAwait(false);
        return InnerPrompt.Persona(persona) + " This is a private conversation: nothing said in it will be remembered, and you should say so if asked.";
    }

    private async Task<TurnUnderstanding> UnderstandAsync(string companionId, StoredTurn personTurn, IReadOnlyList<StoredTurn> recentTurns, string? personName, CancellationToken cancellationToken)
    {
        var text = personTurn.Text;
        var now = time.GetUtcNow();
        var appraisal = options.AppraiseWithModel && chat is not null
            ? await ModelAppraiser.AppraiseAsync(chat, text, cancellationToken, options.AppraisalTimeBudget, time).ConfigureAwait(false)
            : LexiconAppraiser.Appraise(text);
        await store.SaveAppraisalAsync(companionId, personTurn.Id, personTurn.At, appraisal, cancellationToken).ConfigureAwait(false);

        var milestones = new List<Milestone>();
        async Task MarkAsync(MilestoneKind kind)
        {
            var milestone = new Milestone(kind, personTurn.At, personTurn.Id);
            if (await store.AddMilestoneAsync(companionId, milestone, cancellationToken).ConfigureAwait(false))
            {
                milestones.Add(milestone);
            }
        }

        await MarkAsync(MilestoneKind.FirstConversation).ConfigureAwait(false);
        if (appraisal.IsHard)
        {
            await MarkAsync(MilestoneKind.FirstSharedSomethingHard).ConfigureAwait(false);
        }

        var previous = recentTurns.Count > 0 ? recentTurns[^1] : null;
        var signal = FeedbackDetector.Detect(text, previous);
        if (signal?.Kind == PersonaChangeKind.Implicit)
        {
            await MarkAsync(MilestoneKind.FirstLaugh).ConfigureAwait(false);
        }

        var change = signal is null ? null : await ApplySignalAsync(companionId, signal, cancellationToken).ConfigureAwait(false);
        var persona = change?.Persona ?? await GetPersonaAsync(companionId, cancellationToken).ConfigureAwait(false);

        var policy = await GetPolicyAsync(companionId, cancellationToken).ConfigureAwait(false);
        var zone = policy.Validate();
        var localNow = LocalClock.ToLocal(now, zone);
        OutreachItem? reminder = null;
        OpenThread? thread = null;
        if (ReminderParser.Parse(text, localNow) is { } asked)
        {
            reminder = await ScheduleAsync(new NewOutreach(companionId, OutreachKind.Reminder, $"You asked me to remind you: {asked.Task}.", LocalClock.ToInstant(asked.Local, zone), now, personTurn.Id), cancellationToken).ConfigureAwait(false);
        }
        else if (ThreadDetector.Detect(text, localNow) is { } plan)
        {
            var followUpAt = LocalClock.ToInstant(plan.FollowUpLocal, zone);
            thread = await store.AddThreadAsync(companionId, plan.About, now, followUpAt, personTurn.Id, cancellationToken).ConfigureAwait(false);
            await ScheduleAsync(new NewOutreach(companionId, OutreachKind.FollowUp, $"How did {plan.About} go?", followUpAt, now, personTurn.Id), cancellationToken).ConfigureAwait(false);
        }

        var appraisals = await store.GetAppraisalsAsync(companionId, now - options.TimelineWindow, cancellationToken).ConfigureAwait(false);
        var remark = EmotionalTimeline.Remark(EmotionalTimeline.Days(appraisals, zone), DateOnly.FromDateTime(localNow));
        var allMilestones = await store.GetMilestonesAsync(companionId, cancellationToken).ConfigureAwait(false);
        var threads = await store.GetOpenThreadsAsync(companionId, cancellationToken).ConfigureAwait(false);
        var guidance = InnerPrompt.Compose(new InnerPromptInputs(persona, appraisal, personName, remark, allMilestones, threads, reminder, change, zone, now));
        return new TurnUnderstanding(appraisal, persona, change, milestones, reminder, thread, guidance) { Zone = zone };
    }

    private async Task<OutreachItem> ScheduleAsync(NewOutreach outreach, CancellationToken cancellationToken)
    {
        var item = await store.AddOutreachAsync(outreach, cancellationToken).ConfigureAwait(false);
        InnerLifeLog.OutreachScheduled(logger, outreach.CompanionId, item.Id, item.Kind);
        return item;
    }

    private async Task<PersonaVersion?> ChangePersonaAsync(string companionId, Func<Persona, Persona> change, PersonaChangeKind kind, string reason, int? reverts, CancellationToken cancellationToken)
    {
        // Optimistic: a version number is claimed by the append; a writer who lost the race reads again and retries.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var latest = await LatestVersionAsync(companionId, cancellationToken).ConfigureAwait(false);
            var next = change(latest.Persona);
            if (next.DescribeChangeFrom(latest.Persona) == "no change")
            {
                return null;
            }

            var version = new PersonaVersion(latest.Version + 1, time.GetUtcNow(), next, kind, reason, reverts);
            if (await store.AppendPersonaVersionAsync(companionId, version, cancellationToken).ConfigureAwait(false))
            {
                InnerLifeLog.PersonaChanged(logger, companionId, version.Version, kind);
                return version;
            }
        }

        throw new InvalidOperationException($"The persona of companion '{companionId}' kept changing under this change; try again.");
    }

    private async Task<PersonaVersion> LatestVersionAsync(string companionId, CancellationToken cancellationToken)
    {
        var history = await store.GetPersonaHistoryAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (history.Count > 0)
        {
            return history[^1];
        }

        var initial = new PersonaVersion(1, time.GetUtcNow(), Persona.Initial, PersonaChangeKind.Initial, "Where I started.");
        await store.AppendPersonaVersionAsync(companionId, initial, cancellationToken).ConfigureAwait(false);
        history = await store.GetPersonaHistoryAsync(companionId, cancellationToken).ConfigureAwait(false);
        return history[^1];
    }

    private async Task<TimeZoneInfo> ZoneAsync(string companionId, CancellationToken cancellationToken) =>
        (await GetPolicyAsync(companionId, cancellationToken).ConfigureAwait(false)).Validate();
}
