using Kindred.Core.Inner;
using Kindred.Core.Tests.TestSupport;

namespace Kindred.Core.Tests.Inner;

public sealed class UnderstandingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Each_turn_is_appraised_stored_with_its_turn_and_steers_the_reply()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero), appraiseWithModel: true);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;

        world.World.Chat.Says("""{"valence": -0.7, "arousal": 0.3, "emotions": ["sad", "lonely"], "need": "vent"}""");
        await world.SayAsync(companion, "Everyone forgot my birthday.", "Oh no. I'm here.");

        var person = (await world.World.HistoryAsync()).Last(t => t.Speaker == Speaker.Person);
        var stored = Assert.Single(await world.World.Store.GetAppraisalsAsync(id, DateTimeOffset.MinValue, None));
        Assert.Equal(person.Id, stored.TurnId);
        Assert.Equal(AppraisalSource.Model, stored.Appraisal.Source);
        Assert.Equal(["sad", "lonely"], stored.Appraisal.Emotions);
        var system = world.World.Chat.Requests[^1].SystemText;
        Assert.Contains("seems sad and lonely", system, StringComparison.Ordinal);
        Assert.Contains("need to vent", system, StringComparison.Ordinal);
        var milestones = await world.World.Store.GetMilestonesAsync(id, None);
        Assert.Contains(milestones, m => m.Kind == MilestoneKind.FirstConversation);
        Assert.Contains(milestones, m => m.Kind == MilestoneKind.FirstSharedSomethingHard && m.TurnId == person.Id);
    }

    [Fact]
    public async Task Junk_from_the_model_loses_nothing_the_lexicon_appraises_and_the_reply_still_comes()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero), appraiseWithModel: true);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;

        world.World.Chat.Says("Once upon a time there was a big red ball. The ball was happy.");
        var reply = await world.SayAsync(companion, "I'm exhausted after work", "Rest up.");

        Assert.Equal("Rest up.", reply);
        Assert.Equal(3, (await world.World.HistoryAsync()).Count);
        var stored = Assert.Single(await world.World.Store.GetAppraisalsAsync(id, DateTimeOffset.MinValue, None));
        Assert.Equal(AppraisalSource.Lexicon, stored.Appraisal.Source);
        Assert.Contains("tired", stored.Appraisal.Emotions);
    }

    [Fact]
    public async Task A_failure_inside_the_inner_life_never_costs_the_reply()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        var inner = world.Inner;
        inner.Perceived += (_, _) => throw new InvalidOperationException("observer broke");
        world.World.Chat.Says("Nova");
        var services = world.World.Services with { Inner = inner };
        var companion = (await Companion.WakeAsync(CompanionWorld.CompanionId, CompanionWorld.SessionId, services, None)).Companion;

        world.World.Chat.Says("Still here.");
        var reply = new List<string>();
        await foreach (var chunk in companion.ReplyAsync("hello", CompanionWorld.SessionId))
        {
            reply.Add(chunk);
        }

        Assert.Equal("Still here.", string.Concat(reply));
        Assert.Equal(3, (await world.World.HistoryAsync()).Count);
    }

    [Fact]
    public async Task A_week_of_tired_days_becomes_something_she_can_mention()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 6, 1, 19, 0, 0, TimeSpan.Zero));
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;

        for (var day = 0; day < 4; day++)
        {
            await world.SayAsync(companion, "I'm so tired today.");
            world.World.Time.Advance(TimeSpan.FromDays(1));
        }

        await world.SayAsync(companion, "Long day again, I'm exhausted.");

        var timeline = await world.Inner.GetTimelineAsync(id, TimeSpan.FromDays(7), None);
        Assert.Equal(5, timeline.Count);
        Assert.All(timeline, d => Assert.Equal("tired", d.Emotions[0]));
        Assert.Contains("seemed tired every day you have talked this week", world.World.Chat.Requests[^1].SystemText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forgetting_the_companion_forgets_its_inner_life_to_the_last_byte()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.SayAsync(companion, "remind me to feed Zorbl5q at nine tomorrow");
        await world.SayAsync(companion, "I have an exam tomorrow, wish me luck");
        Assert.NotEmpty(world.FilesContaining("Zorbl5q"));

        Assert.True(await world.World.Store.ForgetCompanionAsync(id, None));

        Assert.Empty(world.FilesContaining("Zorbl5q"));
        Assert.Empty(world.FilesContaining("the exam"));
        Assert.Empty(await world.World.Store.GetOutreachAsync(id, None));
        Assert.Empty(await world.World.Store.GetPersonaHistoryAsync(id, None));
    }

    [Fact]
    public async Task Forgetting_the_turn_that_asked_for_a_reminder_forgets_the_reminder()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.SayAsync(companion, "remind me to feed Zorbl5q at nine tomorrow");
        var asked = (await world.World.HistoryAsync()).Single(t => t.Text.Contains("Zorbl5q", StringComparison.Ordinal));

        Assert.True(await world.World.Store.ForgetTurnAsync(id, asked.Id, None));

        Assert.Empty(await world.World.Store.GetOutreachAsync(id, None));
        Assert.Empty(await world.World.Store.GetAppraisalsAsync(id, DateTimeOffset.MinValue, None));
        Assert.Empty(world.FilesContaining("Zorbl5q"));
    }
}
