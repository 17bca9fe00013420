using Kindred.Core.Inner;

namespace Kindred.Core.Tests.Inner;

public sealed class PersonaTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 18, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Being_asked_to_be_less_formal_lowers_formality_by_one_bounded_step_with_its_reason()
    {
        await using var world = await InnerWorld.CreateAsync(Start);
        var companion = await world.WakeAsync();
        var before = await world.Inner.GetPersonaAsync(companion.Identity.CompanionId, None);

        await world.SayAsync(companion, "Honestly, don't be so formal with me.");

        var history = await world.Inner.GetPersonaHistoryAsync(companion.Identity.CompanionId, None);
        var change = history[^1];
        Assert.Equal(2, change.Version);
        Assert.Equal(PersonaChangeKind.Feedback, change.Kind);
        Assert.Contains("less formal", change.Reason, StringComparison.Ordinal);
        Assert.Equal(before[Trait.Formality] - Persona.FeedbackStep, change.Persona[Trait.Formality], 6);
        Assert.Equal(before[Trait.Warmth], change.Persona[Trait.Warmth]);
    }

    [Fact]
    public async Task Loving_to_be_teased_raises_playfulness_and_it_never_passes_its_bound()
    {
        await using var world = await InnerWorld.CreateAsync(Start);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        var start = (await world.Inner.GetPersonaAsync(id, None))[Trait.Playfulness];

        await world.SayAsync(companion, "I love it when you tease me.");
        var once = (await world.Inner.GetPersonaAsync(id, None))[Trait.Playfulness];
        for (var i = 0; i < 10; i++)
        {
            await world.SayAsync(companion, "I love it when you tease me.");
        }

        var after = (await world.Inner.GetPersonaAsync(id, None))[Trait.Playfulness];
        Assert.Equal(start + Persona.FeedbackStep, once, 6);
        Assert.Equal(1.0, after);
        var history = await world.Inner.GetPersonaHistoryAsync(id, None);
        Assert.All(history.Skip(1), v => Assert.InRange(v.Persona[Trait.Playfulness], 0, 1));
        Assert.True(history.Count < 12, "a change that moves nothing must not be stored as a version");
    }

    [Fact]
    public void A_nudge_is_capped_at_its_step_and_kept_within_zero_and_one()
    {
        var persona = Persona.Initial;

        var nudged = persona.Nudge(new Dictionary<Trait, double> { [Trait.Formality] = -5, [Trait.Warmth] = double.NaN }, Persona.FeedbackStep);
        var floor = Enumerable.Range(0, 20).Aggregate(persona, (p, _) => p.Nudge(new Dictionary<Trait, double> { [Trait.Formality] = -1 }, Persona.FeedbackStep));

        Assert.Equal(persona[Trait.Formality] - Persona.FeedbackStep, nudged[Trait.Formality], 6);
        Assert.Equal(persona[Trait.Warmth], nudged[Trait.Warmth]);
        Assert.Equal(0, floor[Trait.Formality]);
    }

    [Fact]
    public async Task Laughing_at_a_reply_moves_playfulness_by_the_small_implicit_step()
    {
        await using var world = await InnerWorld.CreateAsync(Start);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.SayAsync(companion, "What's a cloud's favourite game?", "Hide and mist.");
        var before = (await world.Inner.GetPersonaAsync(id, None))[Trait.Playfulness];

        await world.SayAsync(companion, "hahaha that's terrible");

        var change = (await world.Inner.GetPersonaHistoryAsync(id, None))[^1];
        Assert.Equal(PersonaChangeKind.Implicit, change.Kind);
        Assert.Equal(before + Persona.ImplicitStep, change.Persona[Trait.Playfulness], 6);
        Assert.Contains(await world.World.Store.GetMilestonesAsync(id, None), m => m.Kind == MilestoneKind.FirstLaugh);
    }

    [Fact]
    public async Task Rolling_back_a_change_restores_the_persona_before_it_as_a_new_version()
    {
        await using var world = await InnerWorld.CreateAsync(Start);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        var original = await world.Inner.GetPersonaAsync(id, None);
        await world.SayAsync(companion, "Please stop joking around so much.");
        var changed = (await world.Inner.GetPersonaHistoryAsync(id, None))[^1];
        Assert.True(changed.Persona[Trait.Playfulness] < original[Trait.Playfulness]);

        var rollback = await world.Inner.RollBackAsync(id, changed.Version, None);

        Assert.Equal(PersonaChangeKind.Rollback, rollback.Kind);
        Assert.Equal(changed.Version, rollback.RevertsVersion);
        Assert.Equal(changed.Version + 1, rollback.Version);
        var now = await world.Inner.GetPersonaAsync(id, None);
        Assert.All(Enum.GetValues<Trait>(), t => Assert.Equal(original[t], now[t]));
        Assert.Equal(3, (await world.Inner.GetPersonaHistoryAsync(id, None)).Count);
        await Assert.ThrowsAsync<ArgumentException>(() => world.Inner.RollBackAsync(id, 1, None));
        await Assert.ThrowsAsync<ArgumentException>(() => world.Inner.RollBackAsync(id, 99, None));
    }

    [Fact]
    public async Task The_persona_survives_a_restart()
    {
        await using var world = await InnerWorld.CreateAsync(Start);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.SayAsync(companion, "Be more direct with me.");
        var before = await world.Inner.GetPersonaAsync(id, None);

        await world.World.RestartAsync();

        var after = await world.Inner.GetPersonaAsync(id, None);
        Assert.All(Enum.GetValues<Trait>(), t => Assert.Equal(before[t], after[t]));
        Assert.Equal(before.SelfDescription, after.SelfDescription);
        Assert.Equal(before.Interests, after.Interests);
    }

    [Theory]
    [InlineData("don't be so formal", Trait.Formality, -1)]
    [InlineData("you're too blunt sometimes", Trait.Directness, -1)]
    [InlineData("just get to the point", Trait.Directness, 1)]
    [InlineData("you ask too many questions", Trait.Curiosity, -1)]
    [InlineData("that's a bit too sappy", Trait.Warmth, -1)]
    [InlineData("could you be more professional", Trait.Formality, 1)]
    public void Feedback_is_heard_in_the_right_direction(string text, Trait trait, int direction)
    {
        var signal = FeedbackDetector.Detect(text, previousTurn: null);

        Assert.NotNull(signal);
        Assert.Equal(direction, Math.Sign(signal.Deltas[trait]));
    }

    [Fact]
    public void Ordinary_talk_is_not_feedback() =>
        Assert.Null(FeedbackDetector.Detect("I had pasta for dinner and watched the rain", previousTurn: null));
}
