using Kindred.Core.Inner;

namespace Kindred.Core.Tests.Inner;

public sealed class ReflectionTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Monday = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reflection_triggers_when_importance_adds_up_past_the_threshold_and_its_output_is_stored()
    {
        await using var world = await InnerWorld.CreateAsync(Monday);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        var before = await world.Inner.GetPersonaAsync(id, None);

        var sum = 0;
        var said = 0;
        while (await world.Reflector.DueAsync(id, None) is null)
        {
            Assert.True(sum < Reflector.ImportanceThreshold, $"importance {sum} reached the threshold without a reflection falling due");
            await world.SayAsync(companion, "I feel so sad and lonely since my dog died, I just need to vent.");
            said++;
            world.World.Time.Advance(TimeSpan.FromMinutes(5));
            sum = (await world.World.Store.GetAppraisalsAsync(id, DateTimeOffset.MinValue, None)).Sum(a => Reflector.Importance(a.Appraisal));
            Assert.True(said < 50, "a reflection never fell due");
        }

        Assert.Equal(ReflectionTrigger.Importance, await world.Reflector.DueAsync(id, None));
        Assert.True(sum >= Reflector.ImportanceThreshold);

        var outcome = await world.Reflector.ReflectAsync(id, ReflectionTrigger.Importance, None);

        var stored = Assert.Single(await world.World.Store.GetInnerReflectionsAsync(id, None));
        Assert.Equal(outcome.Reflection.Id, stored.Id);
        Assert.Equal(outcome.Reflection.Reflection.Summary, stored.Reflection.Summary);
        Assert.Equal(outcome.Reflection.Reflection.Insights, stored.Reflection.Insights);
        Assert.Contains($"talked with me {said} times", stored.Reflection.Summary, StringComparison.Ordinal);
        Assert.Contains(stored.Reflection.Insights, i => i.Contains("often feels sad", StringComparison.Ordinal));
        Assert.Equal(AppraisalSource.Lexicon, stored.Reflection.Source);
        // A reflection changes her at the small implicit rate, with a new self-description, as a versioned change.
        var change = Assert.IsType<PersonaVersion>(outcome.PersonaChange);
        Assert.Equal(PersonaChangeKind.Reflection, change.Kind);
        Assert.Equal(change.Version, stored.Reflection.PersonaVersion);
        Assert.Equal(before[Trait.Warmth] + Persona.ImplicitStep, change.Persona[Trait.Warmth], 6);
        Assert.NotEqual(before.SelfDescription, change.Persona.SelfDescription);
        // After a hard day she plans to check in, at 18:00 local (17:00 UTC in June).
        var checkIn = Assert.IsType<OutreachItem>(outcome.CheckIn);
        Assert.Equal(OutreachKind.CheckIn, checkIn.Kind);
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 17, 0, 0, TimeSpan.Zero), checkIn.DueAt);
        // Nothing new since: nothing due.
        Assert.Null(await world.Reflector.DueAsync(id, None));
    }

    [Fact]
    public async Task A_day_with_talk_in_it_is_reflected_on_once_it_is_over()
    {
        await using var world = await InnerWorld.CreateAsync(Monday);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.SayAsync(companion, "Nice weather today.");

        var sameDay = await world.Reflector.DueAsync(id, None);
        world.World.Time.Advance(TimeSpan.FromDays(1));
        var nextDay = await world.Reflector.DueAsync(id, None);

        Assert.Null(sameDay);
        Assert.Equal(ReflectionTrigger.Daily, nextDay);
    }

    [Fact]
    public async Task A_valid_model_reflection_is_taken_and_junk_loses_nothing()
    {
        await using var world = await InnerWorld.CreateAsync(Monday, appraiseWithModel: true);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        world.World.Chat.Says("junk");
        await world.SayAsync(companion, "I got the job!!");

        world.World.Chat.Says("Once upon a time there was a reflection that was not JSON at all.");
        var fromJunk = await world.Reflector.ReflectAsync(id, ReflectionTrigger.Daily, None);
        world.World.Chat.Says("junk");
        await world.SayAsync(companion, "Celebrating tonight.");
        world.World.Chat.Says("""{"summary": "Sam got the job and celebrated.", "insights": ["Sam works hard."], "about_myself": "I love sharing good news.", "self_description": "I'm Sam's cheerful friend.", "traits": {"playfulness": 0.5, "nonsense": 1}}""");
        var fromModel = await world.Reflector.ReflectAsync(id, ReflectionTrigger.Daily, None);

        Assert.Equal(AppraisalSource.Lexicon, fromJunk.Reflection.Reflection.Source);
        Assert.Equal(AppraisalSource.Model, fromModel.Reflection.Reflection.Source);
        Assert.Equal("Sam got the job and celebrated.", fromModel.Reflection.Reflection.Summary);
        Assert.Equal("I'm Sam's cheerful friend.", fromModel.PersonaChange!.Persona.SelfDescription);
        // Capped at the implicit step, however large the model's wish.
        var beforeModel = fromJunk.PersonaChange!.Persona;
        Assert.Equal(beforeModel[Trait.Playfulness] + Persona.ImplicitStep, fromModel.PersonaChange.Persona[Trait.Playfulness], 6);
        Assert.Equal(2, (await world.World.Store.GetInnerReflectionsAsync(id, None)).Count);
        Assert.Equal(5, (await world.World.HistoryAsync()).Count);
    }

    [Fact]
    public async Task A_week_of_scripted_conversation_leaves_a_persona_history_a_timeline_a_reflection_per_day_and_a_reminder_on_time()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 3, 23, 5, 0, 0, TimeSpan.Zero)); // Monday, GMT
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        string[][] days =
        [
            ["Hi, I'm Sam. Long day, I'm so tired.", "Work is exhausting lately."],
            ["Don't be so formal with me, we're friends.", "Still tired though."],
            ["I have an interview on Friday and I'm nervous.", "Remind me to call Amy at nine tomorrow."],
            ["I'm exhausted again.", "Tell me a joke?"],
            ["hahaha good one", "I love it when you tease me."],
            ["The interview went fine I think.", "Feeling hopeful!"],
            ["I'm so happy today, it's the weekend!", "Thank you for being here."],
        ];

        var delivered = new List<(OutreachItem Item, DateTimeOffset At)>();
        for (var day = 0; day < days.Length; day++)
        {
            var evening = new DateTimeOffset(2026, 3, 23, 19, 0, 0, TimeSpan.Zero).AddDays(day);
            // Each morning the scheduler runs (as the CLI would while the person is connected) and she reflects on yesterday.
            for (var at = new DateTimeOffset(evening.Date, TimeSpan.Zero).AddHours(6); at <= evening; at = at.AddMinutes(30))
            {
                world.World.Time.SetUtcNow(at);
                foreach (var (item, _) in (await world.Scheduler.RunOnceAsync(id, None)).Delivered)
                {
                    delivered.Add((item, at));
                }
            }

            await world.Reflector.ReflectIfDueAsync(id, None);
            foreach (var line in days[day])
            {
                await world.SayAsync(companion, line, "Mm, tell me more.");
                world.World.Time.Advance(TimeSpan.FromMinutes(10));
            }
        }

        world.World.Time.Advance(TimeSpan.FromDays(1));
        await world.Reflector.ReflectIfDueAsync(id, None);

        // A reflection for each of the seven days.
        var reflections = await world.World.Store.GetInnerReflectionsAsync(id, None);
        Assert.Equal(7, reflections.Count);
        // Her persona history, with reasons: feedback, a laugh, reflections.
        var history = await world.Inner.GetPersonaHistoryAsync(id, None);
        Assert.Contains(history, v => v.Kind == PersonaChangeKind.Feedback && v.Reason.Contains("less formal", StringComparison.Ordinal));
        Assert.Contains(history, v => v.Kind == PersonaChangeKind.Feedback && v.Reason.Contains("tease", StringComparison.Ordinal));
        Assert.Contains(history, v => v.Kind == PersonaChangeKind.Implicit);
        Assert.Equal(7, history.Count(v => v.Kind == PersonaChangeKind.Reflection));
        // The emotional timeline: tired early in the week, happy at its end.
        var timeline = await world.Inner.GetTimelineAsync(id, TimeSpan.FromDays(9), None);
        Assert.Equal(7, timeline.Count);
        Assert.Equal("tired", timeline[0].Emotions[0]);
        Assert.True(timeline[^1].MeanValence > 0);
        // The reminder asked for on Wednesday evening arrived at nine on Thursday (09:00 GMT), once.
        var reminder = Assert.Single(delivered, d => d.Item.Kind == OutreachKind.Reminder);
        Assert.Equal(new DateTimeOffset(2026, 3, 26, 9, 0, 0, TimeSpan.Zero), reminder.At);
        Assert.Equal("You asked me to remind you: call Amy.", reminder.Item.Text);
        // The interview was followed up on Friday evening (after the work day, 19:00 GMT).
        Assert.Contains(delivered, d => d.Item.Kind == OutreachKind.FollowUp && d.Item.Text == "How did the interview go?");
    }
}
