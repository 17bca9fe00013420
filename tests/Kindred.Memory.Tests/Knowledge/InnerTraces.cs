using Kindred.Core;
using Kindred.Core.Inner;

namespace Kindred.Memory.Tests.Knowledge;

/// <summary>
/// Inner-life text that names someone, not drawn from any turn (so no cascade takes it): a reminder asked for through
/// the API, a follow-up, an open thread, a reflection and a persona version; and the same kinds of text that do not.
/// </summary>
internal static class InnerTraces
{
    public static async Task PlantAsync(IFullCompanionStore store, string companionId, string name)
    {
        var none = CancellationToken.None;
        var at = Samples.WokeAt;
        await store.AddOutreachAsync(new NewOutreach(companionId, OutreachKind.Reminder, $"call {name} about the boat", at.AddDays(1), at, null), none);
        await store.AddOutreachAsync(new NewOutreach(companionId, OutreachKind.FollowUp, $"How was lunch with {name.ToUpperInvariant()}?", at.AddDays(2), at, null), none);
        await store.AddOutreachAsync(new NewOutreach(companionId, OutreachKind.Reminder, "water the tomatoes", at.AddDays(1), at, null), none);
        await store.AddThreadAsync(companionId, $"{name}'s operation", at, at.AddDays(3), null, none);
        await store.AddThreadAsync(companionId, "the job interview", at, at.AddDays(3), null, none);
        await store.AddReflectionAsync(new NewReflection(companionId, at, ReflectionTrigger.Daily, 0, "A quiet day.", [$"They miss {name}."], "I listened.", AppraisalSource.Lexicon, null), none);
        await store.AddReflectionAsync(new NewReflection(companionId, at, ReflectionTrigger.Daily, 0, "They baked bread.", ["Bread comforts them."], "I was curious.", AppraisalSource.Lexicon, null), none);
        await store.AppendPersonaVersionAsync(companionId, new PersonaVersion(1, at, Persona.Initial, PersonaChangeKind.Initial, "woke"), none);
        var curious = Persona.Initial with { Interests = ["sailing", $"{name}'s boat"], SelfDescription = $"I like hearing about {name} and the sea." };
        await store.AppendPersonaVersionAsync(companionId, new PersonaVersion(2, at.AddDays(1), curious, PersonaChangeKind.Reflection, $"talking about {name}"), none);
    }

    /// <summary>What is left once they are forgotten: only what did not name them, and the persona's history, scrubbed.</summary>
    public static async Task AssertOnlyTheRestIsLeftAsync(IFullCompanionStore store, string companionId)
    {
        var none = CancellationToken.None;
        Assert.Equal(["water the tomatoes"], (await store.GetOutreachAsync(companionId, none)).Select(o => o.Text));
        Assert.Equal(["the job interview"], (await store.GetOpenThreadsAsync(companionId, none)).Select(t => t.About));
        Assert.Equal(["They baked bread."], (await store.GetInnerReflectionsAsync(companionId, none)).Select(r => r.Reflection.Summary));
        var history = await store.GetPersonaHistoryAsync(companionId, none);
        Assert.Equal([1, 2], history.Select(v => v.Version));
        Assert.Equal(["sailing"], history[1].Persona.Interests);
        Assert.Equal("I like hearing about someone and the sea.", history[1].Persona.SelfDescription);
        Assert.Equal(("talking about someone", PersonaChangeKind.Reflection), (history[1].Reason, history[1].Kind));
    }
}
