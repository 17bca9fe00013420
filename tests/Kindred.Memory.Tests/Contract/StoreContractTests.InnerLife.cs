using Kindred.Core;
using Kindred.Core.Inner;

namespace Kindred.Memory.Tests.Contract;

// The companion's inner life: appraisals, persona versions, milestones, threads, outreach, the switch, reflections.
public abstract partial class StoreContractTests
{
    private static readonly DateTimeOffset Noon = new(2025, 4, 2, 12, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task AppraisalsAreSavedReplacedAndReadSinceATimeForTheCompanionsOwnTurnsOnly()
    {
        var id = await WakeAsync();
        var other = await WakeAsync("c2", "Quill");
        var early = await Store.AppendTurnAsync(Samples.Turn("I'm exhausted.", id), None);
        var late = await Store.AppendTurnAsync(Samples.Turn("Ha, that's funny!", id), None);
        var theirs = await Store.AppendTurnAsync(Samples.Turn("Not yours.", other), None);

        await Store.SaveAppraisalAsync(id, early.Id, Noon, new Appraisal(-0.5, 0.2, ["tired"], PersonNeed.Company, AppraisalSource.Lexicon), None);
        await Store.SaveAppraisalAsync(id, early.Id, Noon, new Appraisal(-0.6, 0.1, ["tired", "sad"], PersonNeed.Vent, AppraisalSource.Model), None);
        await Store.SaveAppraisalAsync(id, late.Id, Noon.AddHours(1), new Appraisal(0.8, 0.6, ["amused"], PersonNeed.Laugh, AppraisalSource.Lexicon), None);

        var all = await Store.GetAppraisalsAsync(id, DateTimeOffset.MinValue, None);
        Assert.Equal([(early.Id, Noon.ToUniversalTime()), (late.Id, Noon.AddHours(1).ToUniversalTime())], all.Select(a => (a.TurnId, a.At)));
        var replaced = all[0].Appraisal;
        Assert.Equal((-0.6, 0.1, PersonNeed.Vent, AppraisalSource.Model), (replaced.Valence, replaced.Arousal, replaced.Need, replaced.Source));
        Assert.Equal(["tired", "sad"], replaced.Emotions);
        Assert.Equal([late.Id], (await Store.GetAppraisalsAsync(id, Noon.AddMinutes(1), None)).Select(a => a.TurnId));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.SaveAppraisalAsync(id, theirs.Id, Noon, replaced, None));
        Assert.Empty(await Store.GetAppraisalsAsync(other, DateTimeOffset.MinValue, None));

        Assert.True(await Store.ForgetTurnAsync(id, early.Id, None));
        Assert.Equal([late.Id], (await Store.GetAppraisalsAsync(id, DateTimeOffset.MinValue, None)).Select(a => a.TurnId));
    }

    [Fact]
    public async Task PersonaVersionsAppendOnlyInSequenceAndRoundTrip()
    {
        var id = await WakeAsync();
        var warmer = new Persona(new Dictionary<Trait, double> { [Trait.Warmth] = 0.85, [Trait.Curiosity] = 0.4 }, ["sailing", "jazz"], "I am warm and \"curious\".");

        Assert.Empty(await Store.GetPersonaHistoryAsync(id, None));
        Assert.False(await Store.AppendPersonaVersionAsync(id, new PersonaVersion(2, Noon, Persona.Initial, PersonaChangeKind.Initial, "skips one"), None));
        Assert.True(await Store.AppendPersonaVersionAsync(id, new PersonaVersion(1, Noon, Persona.Initial, PersonaChangeKind.Initial, "woke"), None));
        Assert.False(await Store.AppendPersonaVersionAsync(id, new PersonaVersion(1, Noon, warmer, PersonaChangeKind.Feedback, "stale writer"), None));
        Assert.True(await Store.AppendPersonaVersionAsync(id, new PersonaVersion(2, Noon.AddDays(1), warmer, PersonaChangeKind.Feedback, "asked for warmth"), None));
        Assert.True(await Store.AppendPersonaVersionAsync(id, new PersonaVersion(3, Noon.AddDays(2), Persona.Initial, PersonaChangeKind.Rollback, "back to 1", 1), None));
        Assert.False(await Store.AppendPersonaVersionAsync(Id("nobody"), new PersonaVersion(1, Noon, Persona.Initial, PersonaChangeKind.Initial, "no one"), None));

        var history = await Store.GetPersonaHistoryAsync(id, None);
        Assert.Equal(
            [(1, Noon.ToUniversalTime(), PersonaChangeKind.Initial, "woke", (int?)null), (2, Noon.AddDays(1).ToUniversalTime(), PersonaChangeKind.Feedback, "asked for warmth", null), (3, Noon.AddDays(2).ToUniversalTime(), PersonaChangeKind.Rollback, "back to 1", 1)],
            history.Select(v => (v.Version, v.At, v.Kind, v.Reason, v.RevertsVersion)));
        Assert.Equal(warmer.Traits.OrderBy(t => t.Key), history[1].Persona.Traits.OrderBy(t => t.Key));
        Assert.Equal(warmer.Interests, history[1].Persona.Interests);
        Assert.Equal(warmer.SelfDescription, history[1].Persona.SelfDescription);
    }

    [Fact]
    public async Task PersonaVersionsRacingForTheSameNumberLetExactlyOneIn()
    {
        var id = await WakeAsync();
        await Store.AppendPersonaVersionAsync(id, new PersonaVersion(1, Noon, Persona.Initial, PersonaChangeKind.Initial, "woke"), None);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Store.AppendPersonaVersionAsync(id, new PersonaVersion(2, Noon, Persona.Initial, PersonaChangeKind.Implicit, $"writer {i}"), None))));

        Assert.Equal(1, results.Count(won => won));
        Assert.Equal(2, (await Store.GetPersonaHistoryAsync(id, None)).Count);
    }

    [Fact]
    public async Task EachMilestoneIsRecordedOnceAndKeepsItsFirstMoment()
    {
        var id = await WakeAsync();
        var turn = await Store.AppendTurnAsync(Samples.Turn("haha", id), None);

        Assert.True(await Store.AddMilestoneAsync(id, new Milestone(MilestoneKind.FirstConversation, Noon, null), None));
        Assert.True(await Store.AddMilestoneAsync(id, new Milestone(MilestoneKind.FirstLaugh, Noon.AddHours(1), turn.Id), None));
        Assert.False(await Store.AddMilestoneAsync(id, new Milestone(MilestoneKind.FirstLaugh, Noon.AddHours(2), null), None));

        Assert.Equal(
            [new Milestone(MilestoneKind.FirstConversation, Noon.ToUniversalTime(), null), new Milestone(MilestoneKind.FirstLaugh, Noon.AddHours(1).ToUniversalTime(), turn.Id)],
            await Store.GetMilestonesAsync(id, None));

        // A milestone outlives the turn it happened in.
        Assert.True(await Store.ForgetTurnAsync(id, turn.Id, None));
        Assert.Equal(new Milestone(MilestoneKind.FirstLaugh, Noon.AddHours(1).ToUniversalTime(), null), (await Store.GetMilestonesAsync(id, None))[1]);
    }

    [Fact]
    public async Task ThreadsOpenCloseOnceAndGoWithTheTurnThatRaisedThem()
    {
        var id = await WakeAsync();
        var other = await WakeAsync("c2", "Quill");
        var turn = await Store.AppendTurnAsync(Samples.Turn("I have an interview on Friday.", id), None);
        var interview = await Store.AddThreadAsync(id, "the interview", Noon, Noon.AddDays(3), turn.Id, None);
        var move = await Store.AddThreadAsync(id, "the move", Noon, Noon.AddDays(1), null, None);
        var trip = await Store.AddThreadAsync(id, "the trip", Noon, Noon.AddDays(2), null, None);

        Assert.Equal([move, trip, interview], await Store.GetOpenThreadsAsync(id, None));
        Assert.False(await Store.CloseThreadAsync(other, trip.Id, Noon, None));
        Assert.True(await Store.CloseThreadAsync(id, trip.Id, Noon.AddDays(2), None));
        Assert.False(await Store.CloseThreadAsync(id, trip.Id, Noon.AddDays(2), None));
        Assert.Equal([move, interview], await Store.GetOpenThreadsAsync(id, None));

        Assert.True(await Store.ForgetTurnAsync(id, turn.Id, None));
        Assert.Equal([move], await Store.GetOpenThreadsAsync(id, None));
        Assert.Empty(await Store.GetOpenThreadsAsync(other, None));
    }

    [Fact]
    public async Task OutreachIsScheduledDeliveredOnceOrCancelledAndCounted()
    {
        var id = await WakeAsync();
        var turn = await Store.AppendTurnAsync(Samples.Turn("Remind me to call mum tomorrow.", id), None);
        var reminder = await Store.AddOutreachAsync(new NewOutreach(id, OutreachKind.Reminder, "Call mum.", Noon.AddDays(1), Noon, turn.Id), None);
        var checkIn = await Store.AddOutreachAsync(new NewOutreach(id, OutreachKind.CheckIn, "Thinking of you.", Noon.AddHours(2), Noon, null), None);
        var followUp = await Store.AddOutreachAsync(new NewOutreach(id, OutreachKind.FollowUp, "How did it go?", Noon.AddHours(3), Noon, null), None);

        Assert.Equal(new OutreachItem(reminder.Id, id, OutreachKind.Reminder, "Call mum.", Noon.AddDays(1).ToUniversalTime(), Noon.ToUniversalTime(), OutreachStatus.Pending, null, turn.Id), reminder);
        Assert.Equal([checkIn, followUp, reminder], await Store.GetPendingOutreachAsync(id, None));

        Assert.True(await Store.MarkOutreachDeliveredAsync(id, checkIn.Id, Noon.AddHours(2), None));
        Assert.False(await Store.MarkOutreachDeliveredAsync(id, checkIn.Id, Noon.AddHours(2), None));
        Assert.True(await Store.CancelOutreachAsync(id, followUp.Id, None));
        Assert.False(await Store.MarkOutreachDeliveredAsync(id, followUp.Id, Noon.AddHours(3), None));
        Assert.True(await Store.MarkOutreachDeliveredAsync(id, reminder.Id, Noon.AddDays(1), None));

        Assert.Empty(await Store.GetPendingOutreachAsync(id, None));
        Assert.Equal(
            [(checkIn.Id, OutreachStatus.Delivered, (DateTimeOffset?)Noon.AddHours(2).ToUniversalTime()), (followUp.Id, OutreachStatus.Cancelled, null), (reminder.Id, OutreachStatus.Delivered, Noon.AddDays(1).ToUniversalTime())],
            (await Store.GetOutreachAsync(id, None)).Select(o => (o.Id, o.Status, o.DeliveredAt)));

        // Reminders were asked for; only check-ins and follow-ups count against the daily limit.
        Assert.Equal(1, await Store.CountUnpromptedDeliveredSinceAsync(id, Noon, None));
        Assert.Equal(0, await Store.CountUnpromptedDeliveredSinceAsync(id, Noon.AddHours(3), None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AddOutreachAsync(new NewOutreach(Id("nobody"), OutreachKind.CheckIn, "Hi", Noon, Noon, null), None));
    }

    [Fact]
    public async Task DeliveringRacingHostsSayAMessageOnce()
    {
        var id = await WakeAsync();
        var message = await Store.AddOutreachAsync(new NewOutreach(id, OutreachKind.CheckIn, "Thinking of you.", Noon, Noon, null), None);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.MarkOutreachDeliveredAsync(id, message.Id, Noon, None))));

        Assert.Equal(1, results.Count(won => won));
    }

    [Fact]
    public async Task OutreachSettingsAndTheSwitchAreKeptTogetherWithoutOverwritingEachOther()
    {
        var id = await WakeAsync();
        Assert.Null(await Store.GetOutreachPolicyAsync(id, None));
        Assert.Equal(SwitchState.On, await Store.GetSwitchAsync(id, None));

        await Store.SetSwitchAsync(id, new SwitchState(true, Noon), None);
        Assert.Null(await Store.GetOutreachPolicyAsync(id, None));
        var policy = new OutreachPolicy("Europe/London", new TimeOnly(22, 30), new TimeOnly(7, 15), 2);
        await Store.SetOutreachPolicyAsync(id, policy, None);
        await Store.SetOutreachPolicyAsync(id, policy with { DailyLimit = 5 }, None);

        Assert.Equal(policy with { DailyLimit = 5 }, await Store.GetOutreachPolicyAsync(id, None));
        Assert.Equal(new SwitchState(true, Noon.ToUniversalTime()), await Store.GetSwitchAsync(id, None));
        await Store.SetSwitchAsync(id, new SwitchState(false, null), None);
        Assert.Equal(new SwitchState(false, null), await Store.GetSwitchAsync(id, None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.SetSwitchAsync(Id("nobody"), SwitchState.On, None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.SetOutreachPolicyAsync(Id("nobody"), policy, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetOutreachPolicyAsync(id, policy with { DailyLimit = 99 }, None));
    }

    [Fact]
    public async Task InnerReflectionsRoundTripInOrder()
    {
        var id = await WakeAsync();
        var first = new NewReflection(id, Noon, ReflectionTrigger.Importance, 12, "A hard week.", ["they miss home", "work is heavy"], "I want to be gentler.", AppraisalSource.Model, 2);
        var second = new NewReflection(id, Noon.AddDays(1), ReflectionTrigger.Daily, 20, "Quieter.", [], "", AppraisalSource.Lexicon, null);

        var stored = await Store.AddReflectionAsync(first, None);
        await Store.AddReflectionAsync(second, None);

        var read = await Store.GetInnerReflectionsAsync(id, None);
        Assert.Equal(stored.Id, read[0].Id);
        Assert.True(read[1].Id > read[0].Id);
        Assert.Equal(Noon.ToUniversalTime(), stored.Reflection.At);
        Assert.Equal(first with { At = Noon.ToUniversalTime(), Insights = read[0].Reflection.Insights }, read[0].Reflection);
        Assert.Equal(first.Insights, read[0].Reflection.Insights);
        Assert.Equal(second with { At = Noon.AddDays(1).ToUniversalTime(), Insights = read[1].Reflection.Insights }, read[1].Reflection);
        Assert.Empty(read[1].Reflection.Insights);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AddReflectionAsync(first with { CompanionId = Id("nobody") }, None));
    }

    [Fact]
    public async Task ForgettingACompanionTakesItsInnerLifeWithIt()
    {
        var id = await WakeAsync();
        var turn = await Store.AppendTurnAsync(Samples.Turn("hello", id), None);
        await Store.SaveAppraisalAsync(id, turn.Id, Noon, new Appraisal(0.1, 0.1, [], PersonNeed.Company, AppraisalSource.Lexicon), None);
        await Store.AppendPersonaVersionAsync(id, new PersonaVersion(1, Noon, Persona.Initial, PersonaChangeKind.Initial, "woke"), None);
        await Store.AddMilestoneAsync(id, new Milestone(MilestoneKind.FirstConversation, Noon, turn.Id), None);
        await Store.AddThreadAsync(id, "the move", Noon, Noon, null, None);
        await Store.AddOutreachAsync(new NewOutreach(id, OutreachKind.CheckIn, "Hi", Noon, Noon, null), None);
        await Store.SetSwitchAsync(id, new SwitchState(true, Noon), None);
        await Store.AddReflectionAsync(new NewReflection(id, Noon, ReflectionTrigger.Daily, turn.Id, "s", [], "", AppraisalSource.Lexicon, null), None);

        Assert.True(await Store.ForgetCompanionAsync(id, None));
        await Store.CreateCompanionAsync(Samples.Identity(id, "Sparrow"), None);

        Assert.Empty(await Store.GetAppraisalsAsync(id, DateTimeOffset.MinValue, None));
        Assert.Empty(await Store.GetPersonaHistoryAsync(id, None));
        Assert.Empty(await Store.GetMilestonesAsync(id, None));
        Assert.Empty(await Store.GetOpenThreadsAsync(id, None));
        Assert.Empty(await Store.GetOutreachAsync(id, None));
        Assert.Equal(SwitchState.On, await Store.GetSwitchAsync(id, None));
        Assert.Empty(await Store.GetInnerReflectionsAsync(id, None));
    }
}
