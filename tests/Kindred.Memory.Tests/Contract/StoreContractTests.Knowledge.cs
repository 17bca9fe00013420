using System.Text;
using Kindred.Core;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Portable;
using Kindred.Memory.Vectors;

namespace Kindred.Memory.Tests.Contract;

// What the companion knows beyond its turns: facts with validity in time, people, summaries, reflections.
public abstract partial class StoreContractTests
{
    private static readonly DateTimeOffset March = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset June = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset January = new(2026, 1, 10, 10, 0, 0, TimeSpan.Zero);

    // Tells the store, as extraction would, one marital fact per turn.
    private async Task<StoredTurn> SayMaritalAsync(string companionId, string text, string value, DateTimeOffset at)
    {
        var turn = await Store.AppendTurnAsync(Samples.Turn(text, companionId, at: at), None);
        var fact = new ExtractedFact(FactSubject.Person, "marital status", value, $"They are {value}.", "Catherine", turn.Id);
        await Store.ApplyExtractionAsync(companionId, [turn], new Extraction([new ExtractedPerson("Catherine", [], "wife", turn.Id)], [fact], KnowledgeSource.BuiltIn), None);
        return turn;
    }

    private async Task<(string Id, StoredTurn[] Turns)> MarriedSeparatedDivorcedAsync()
    {
        var id = await WakeAsync();
        var turns = new[]
        {
            await SayMaritalAsync(id, "I'm married to Catherine.", "married to Catherine", March),
            await SayMaritalAsync(id, "We separated.", "separated from Catherine", June),
            await SayMaritalAsync(id, "We're divorced now.", "divorced from Catherine", January),
        };
        return (id, turns);
    }

    [Fact]
    public async Task AContradictionClosesTheEarlierFactSoNowAndHistoryAreBothAnswerable()
    {
        var (id, turns) = await MarriedSeparatedDivorcedAsync();

        var current = Assert.Single(await Store.GetFactsAsync(id, includeSuperseded: false, None));
        Assert.Equal("divorced from Catherine", current.Value);
        Assert.Null(current.ValidTo);

        var history = await Store.GetFactsAsync(id, includeSuperseded: true, None);
        Assert.Equal(["married to Catherine", "separated from Catherine", "divorced from Catherine"], history.Select(f => f.Value));
        Assert.Equal((March, June, history[1].Id), (history[0].ValidFrom, history[0].ValidTo!.Value, history[0].SupersededBy!.Value));
        Assert.Equal((June, January, history[2].Id), (history[1].ValidFrom, history[1].ValidTo!.Value, history[1].SupersededBy!.Value));
        Assert.Equal(turns.Select(t => new[] { t.Id }), history.Select(f => f.TurnIds.ToArray()));
        Assert.All(history, f => Assert.Equal((KnowledgeSource.BuiltIn, id, "marital status"), (f.Source, f.CompanionId, f.Attribute)));
        var catherine = Assert.Single(await Store.GetPeopleAsync(id, None));
        Assert.Equal(("Catherine", "wife", March), (catherine.Name, catherine.Relation, catherine.FirstMentionedAt));
        Assert.All(history, f => Assert.Equal(catherine.Id, f.PersonId));
        Assert.Equal(turns[2].Id, await Store.GetExtractedThroughAsync(id, None));
    }

    [Fact]
    public async Task SayingTheSameThingAgainAddsAnEpisodeNotADuplicate()
    {
        var id = await WakeAsync();
        var first = await SayMaritalAsync(id, "I'm married to Catherine.", "married to Catherine", March);

        var second = await SayMaritalAsync(id, "Still married to Catherine!", "Married to catherine", June);

        var fact = Assert.Single(await Store.GetFactsAsync(id, includeSuperseded: true, None));
        Assert.Equal([first.Id, second.Id], fact.TurnIds);
        Assert.Equal(March, fact.ValidFrom);
        Assert.Equal([first.Id, second.Id], Assert.Single(await Store.GetPeopleAsync(id, None)).TurnIds);
    }

    [Fact]
    public async Task ACorrectionReplacesTheFactWithThePersonAsItsSource()
    {
        var (id, _) = await MarriedSeparatedDivorcedAsync();
        var divorced = Assert.Single(await Store.GetFactsAsync(id, false, None));

        var corrected = await Store.CorrectFactAsync(id, divorced.Id, " They are separated from Catherine, not divorced. ", January.AddDays(1), None);

        Assert.Equal((KnowledgeSource.Person, "marital status", divorced.PersonId), (corrected.Source, corrected.Attribute, corrected.PersonId));
        Assert.Equal(("They are separated from Catherine, not divorced.", January.AddDays(1), (DateTimeOffset?)null), (corrected.Text, corrected.ValidFrom, corrected.ValidTo));
        Assert.Equal(corrected.Id, Assert.Single(await Store.GetFactsAsync(id, false, None)).Id);
        var old = (await Store.GetFactsAsync(id, true, None)).Single(f => f.Id == divorced.Id);
        Assert.Equal((January.AddDays(1), corrected.Id), (old.ValidTo!.Value, old.SupersededBy!.Value));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CorrectFactAsync(id, divorced.Id, "again", January, None));
        var other = await WakeAsync("c2", "Quill");
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.CorrectFactAsync(other, corrected.Id, "not theirs", January, None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.CorrectFactAsync(id, corrected.Id + 1_000_000, "no such fact", January, None));
        Assert.Equal(4, (await Store.GetFactsAsync(id, true, None)).Count);
    }

    [Fact]
    public async Task PeopleAreMergedByNameOrAliasAndLinkedToEveryTurnThatNamesThem()
    {
        var id = await WakeAsync();
        var first = await Store.AppendTurnAsync(Samples.Turn("My friend Katherine Lee is back.", id), None);
        await Store.ApplyExtractionAsync(id, [first], new Extraction([new ExtractedPerson("Katherine Lee", ["Kat"], "friend", first.Id)], [], KnowledgeSource.Model), None);
        var second = await Store.AppendTurnAsync(Samples.Turn("kat says hi", id), None);
        var third = await Store.AppendTurnAsync(Samples.Turn("Katherine is my best friend", id), None);

        await Store.ApplyExtractionAsync(id, [second, third], new Extraction([new ExtractedPerson("Kat", ["Katherine"], "best friend", third.Id)], [], KnowledgeSource.Model), None);

        var person = Assert.Single(await Store.GetPeopleAsync(id, None));
        Assert.Equal(("Katherine Lee", "best friend"), (person.Name, person.Relation));
        Assert.Equal(["Kat", "Katherine"], person.Aliases);
        Assert.Equal([first.Id, second.Id, third.Id], person.TurnIds);
        Assert.Equal(third.Id, await Store.GetExtractedThroughAsync(id, None));
    }

    [Fact]
    public async Task OneCompanionNeverSeesOrForgetsAnothersKnowledge()
    {
        var (id, _) = await MarriedSeparatedDivorcedAsync();
        var other = await WakeAsync("c2", "Quill");
        var fact = (await Store.GetFactsAsync(id, true, None))[0];
        var person = Assert.Single(await Store.GetPeopleAsync(id, None));

        Assert.Empty(await Store.GetFactsAsync(other, true, None));
        Assert.Empty(await Store.GetPeopleAsync(other, None));
        Assert.Equal(0, await Store.GetExtractedThroughAsync(other, None));
        Assert.False(await Store.ForgetFactAsync(other, fact.Id, None));
        Assert.Null(await Store.ForgetPersonAsync(other, person.Id, None));
        Assert.Equal(3, (await Store.GetFactsAsync(id, true, None)).Count);
        Assert.Single(await Store.GetPeopleAsync(id, None));
    }

    [Fact]
    public async Task ForgettingTheTurnAFactCameFromForgetsTheFactButNotThePersonsCorrection()
    {
        var (id, turns) = await MarriedSeparatedDivorcedAsync();
        var divorced = Assert.Single(await Store.GetFactsAsync(id, false, None));
        await Store.CorrectFactAsync(id, divorced.Id, "They are divorced, and happier.", January.AddDays(1), None);

        Assert.True(await Store.ForgetTurnAsync(id, turns[1].Id, None));
        Assert.True(await Store.ForgetTurnAsync(id, turns[2].Id, None));

        Assert.Equal(["married to Catherine", "They are divorced, and happier."], (await Store.GetFactsAsync(id, true, None)).Select(f => f.Value));
    }

    [Fact]
    public async Task SomeoneKnownOnlyFromAForgottenTurnIsForgottenWithIt()
    {
        var id = await WakeAsync();
        var kept = await Store.AppendTurnAsync(Samples.Turn("My sister Amy called.", id), None);
        var gone = await Store.AppendTurnAsync(Samples.Turn("Bob from work was rude.", id), None);
        await Store.ApplyExtractionAsync(id, [kept, gone], new Extraction([new ExtractedPerson("Amy", [], "sister", kept.Id), new ExtractedPerson("Bob", [], "colleague", gone.Id)], [], KnowledgeSource.BuiltIn), None);

        Assert.True(await Store.ForgetTurnAsync(id, gone.Id, None));

        Assert.Equal(["Amy"], (await Store.GetPeopleAsync(id, None)).Select(p => p.Name));
    }

    [Fact]
    public async Task AForgottenFactGoesWithTheSummariesThatRepeatItAndTheRestStays()
    {
        var id = await WakeAsync();
        var turn = await Store.AppendTurnAsync(Samples.Turn("I changed the lock on the shed today.", id), None);
        var secret = new ExtractedFact(FactSubject.Person, "shed lock code", "code 5k8z3", "Their shed lock code is 5k8z3.", null, turn.Id);
        var kept = new ExtractedFact(FactSubject.Person, "hobby", "gardening", "They garden.", null, turn.Id);
        await Store.ApplyExtractionAsync(id, [turn], new Extraction([], [secret, kept], KnowledgeSource.Model), None);
        await Store.SaveSummaryAsync(new SessionSummary(id, "s1", "They set a new shed code 5k8z3.", turn.Id, turn.Id, Samples.WokeAt, KnowledgeSource.Model), None);
        var factId = (await Store.GetFactsAsync(id, false, None)).Single(f => f.Attribute == "shed lock code").Id;

        Assert.True(await Store.ForgetFactAsync(id, factId, None));

        Assert.Equal("gardening", Assert.Single(await Store.GetFactsAsync(id, true, None)).Value);
        Assert.Empty(await Store.GetSummariesAsync(id, None));
        Assert.Single(await Store.GetTurnsAsync(id, [turn.Id], None));
        Assert.False(await Store.ForgetFactAsync(id, factId, None));
    }

    [Fact]
    public async Task AForgottenPersonIsGoneWithTheirFactsTurnsVectorsSummariesAndReflections()
    {
        const string Name = "Xandrix";
        var id = await WakeAsync();
        var told = await Store.AppendTurnAsync(Samples.Turn($"My brother {Name} moved to Oslo.", id), None);
        var reply = await Store.AppendTurnAsync(Samples.Turn($"Oslo! How does {Name} like the cold?", id, Speaker.Companion), None);
        var unrelated = await Store.AppendTurnAsync(Samples.Turn("I baked bread tonight.", id), None);
        await Store.AppendTurnAsync(Samples.Turn($"{Name} called, by the way.", id, sessionId: "s2"), None); // never read by extraction
        await Store.SaveTurnVectorsAsync([(told.Id, VectorCodec.Encode([1f])), (unrelated.Id, VectorCodec.Encode([2f]))], None);
        await Store.ApplyExtractionAsync(
            id,
            [told, reply, unrelated],
            new Extraction(
                [new ExtractedPerson(Name, [], "brother", told.Id)],
                [new ExtractedFact(Name, "home", "Oslo", $"{Name} lives in Oslo.", Name, told.Id), new ExtractedFact(FactSubject.Person, "hobby", "baking", "They bake bread.", null, unrelated.Id)],
                KnowledgeSource.BuiltIn),
            None);
        await Store.SaveSummaryAsync(new SessionSummary(id, "s1", $"They talked about {Name} in Oslo.", told.Id, unrelated.Id, Samples.WokeAt, KnowledgeSource.BuiltIn), None);
        await Store.AddReflectionAsync(id, "s0", $"I hope {Name} is well.", Samples.WokeAt, None);
        await Store.AddReflectionAsync(id, null, "Bread is a comfort to them.", Samples.WokeAt, None);
        var person = Assert.Single(await Store.GetPeopleAsync(id, None));
        Assert.Equal([told.Id, reply.Id], person.TurnIds);

        Assert.Equal(3, await Store.ForgetPersonAsync(id, person.Id, None));

        Assert.Empty(await Store.GetPeopleAsync(id, None));
        Assert.Equal("baking", Assert.Single(await Store.GetFactsAsync(id, true, None)).Value);
        Assert.Empty(await Store.GetSummariesAsync(id, None));
        Assert.Equal(["Bread is a comfort to them."], (await Store.GetReflectionsAsync(id, None)).Select(r => r.Text));
        Assert.Equal([unrelated], await Store.GetWholeHistoryAsync(id, None));
        Assert.Equal([unrelated.Id], (await Store.LoadTurnVectorsAsync(id, None)).Select(v => v.TurnId));
        Assert.Null(await Store.ForgetPersonAsync(id, person.Id, None));
    }

    [Fact]
    public async Task ForgettingAPersonTakesTheInnerLifeTextThatNamesThemAndScrubsThePersonaHistory()
    {
        var id = await WakeAsync();
        var other = await WakeAsync("c2");
        var told = await Store.AppendTurnAsync(Samples.Turn("My cousin Zoë O'Hara has a boat.", id), None);
        await Store.ApplyExtractionAsync(id, [told], new Extraction([new ExtractedPerson("Zoë O'Hara", ["Zoë"], "cousin", told.Id)], [], KnowledgeSource.BuiltIn), None);
        await Kindred.Memory.Tests.Knowledge.InnerTraces.PlantAsync(Store, id, "Zoë");
        await Kindred.Memory.Tests.Knowledge.InnerTraces.PlantAsync(Store, other, "Zoë");

        Assert.Equal(1, await Store.ForgetPersonAsync(id, Assert.Single(await Store.GetPeopleAsync(id, None)).Id, None));

        await Kindred.Memory.Tests.Knowledge.InnerTraces.AssertOnlyTheRestIsLeftAsync(Store, id);
        Assert.Equal(3, (await Store.GetOutreachAsync(other, None)).Count);
        Assert.Equal("I like hearing about Zoë and the sea.", (await Store.GetPersonaHistoryAsync(other, None))[1].Persona.SelfDescription);
    }

    [Fact]
    public async Task SummariesAreSavedReplacedAndGoWhenATurnOfTheirSessionIsForgotten()
    {
        var id = await WakeAsync();
        var first = await Store.AppendTurnAsync(Samples.Turn("We went to the lake.", id, sessionId: "s1"), None);
        var second = await Store.AppendTurnAsync(Samples.Turn("Nice!", id, Speaker.Companion, sessionId: "s1"), None);
        var later = await Store.AppendTurnAsync(Samples.Turn("Work was long.", id, sessionId: "s2"), None);
        var companionOnly = await Store.AppendTurnAsync(Samples.Turn("Are you there?", id, Speaker.Companion, sessionId: "s3"), None);
        await Store.ApplyExtractionAsync(id, [first, second, later, companionOnly], new Extraction([], [], KnowledgeSource.BuiltIn), None);
        Assert.Equal(
            [new UnsummarizedSession("s1", first.Id, second.Id), new UnsummarizedSession("s2", later.Id, later.Id)],
            await Store.GetUnsummarizedSessionsAsync(id, None));

        await Store.SaveSummaryAsync(new SessionSummary(id, "s1", "A lake.", first.Id, second.Id, June, KnowledgeSource.BuiltIn), None);
        await Store.SaveSummaryAsync(new SessionSummary(id, "s1", "A day at the lake.", first.Id, second.Id, June.AddTicks(1), KnowledgeSource.Model), None);
        await Store.SaveSummaryAsync(new SessionSummary(id, "s2", "A long day.", later.Id, later.Id, June, KnowledgeSource.BuiltIn), None);
        await Store.AddReflectionAsync(id, "s1", "They love water.", June, None);
        Assert.Equal(
            [new SessionSummary(id, "s1", "A day at the lake.", first.Id, second.Id, June.AddTicks(1), KnowledgeSource.Model), new SessionSummary(id, "s2", "A long day.", later.Id, later.Id, June, KnowledgeSource.BuiltIn)],
            await Store.GetSummariesAsync(id, None));
        Assert.Empty(await Store.GetUnsummarizedSessionsAsync(id, None));

        Assert.True(await Store.ForgetTurnAsync(id, second.Id, None));

        Assert.Equal(["s2"], (await Store.GetSummariesAsync(id, None)).Select(s => s.SessionId));
        Assert.Empty(await Store.GetReflectionsAsync(id, None));
        Assert.Equal([new UnsummarizedSession("s1", first.Id, first.Id)], await Store.GetUnsummarizedSessionsAsync(id, None));
    }

    [Fact]
    public async Task ReflectionsComeBackInOrderAndNeedAnExistingCompanion()
    {
        var id = await WakeAsync();
        var at = new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(3);

        var first = await Store.AddReflectionAsync(id, null, "They are braver than they think.", at, None);
        var second = await Store.AddReflectionAsync(id, "s1", "The lake matters to them.", at.AddDays(1), None);

        Assert.Equal([first, second], await Store.GetReflectionsAsync(id, None));
        Assert.Equal(at.ToUniversalTime(), first.At);
        Assert.Equal(TimeSpan.Zero, (await Store.GetReflectionsAsync(id, None))[0].At.Offset);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AddReflectionAsync(Id("nobody"), null, "hello", at, None));
    }

    [Fact]
    public async Task ForgettingACompanionTakesItsKnowledgeWithIt()
    {
        var (id, _) = await MarriedSeparatedDivorcedAsync();
        await Store.AddReflectionAsync(id, null, "They have been through a lot.", January, None);

        Assert.True(await Store.ForgetCompanionAsync(id, None));

        Assert.Empty(await Store.GetFactsAsync(id, true, None));
        Assert.Empty(await Store.GetPeopleAsync(id, None));
        Assert.Empty(await Store.GetReflectionsAsync(id, None));
        Assert.Equal(0, await Store.GetExtractedThroughAsync(id, None));
    }

    [Fact]
    public async Task KnowledgeExportsAndImportsBackExactly()
    {
        var (id, turns) = await MarriedSeparatedDivorcedAsync();
        await Store.ApplyExtractionAsync(id, [turns[0]], new Extraction([new ExtractedPerson("Amy", ["Ames"], "sister", turns[0].Id)], [], KnowledgeSource.Model), None);
        var current = Assert.Single(await Store.GetFactsAsync(id, false, None));
        await Store.CorrectFactAsync(id, current.Id, "They are divorced, and happier.", January.AddDays(1), None);
        await Store.SaveSummaryAsync(new SessionSummary(id, "s1", "Catherine, again.", turns[0].Id, turns[2].Id, January, KnowledgeSource.Model), None);
        await Store.AddReflectionAsync(id, "s1", "It still hurts them.", January, None);
        await Store.AppendTurnAsync(Samples.Turn("not read by extraction yet", id, at: January.AddDays(2)), None);
        var exported = await ExportAsync(id);

        var copy = Id("copy");
        await MemoryExport.ImportAsync(Store, new MemoryStream(exported), copy, None);

        Assert.Equal(Encoding.UTF8.GetString(exported).Replace(id, copy, StringComparison.Ordinal), Encoding.UTF8.GetString(await ExportAsync(copy)));
        var copied = await Store.GetFactsAsync(copy, true, None);
        Assert.Equal(4, copied.Count);
        Assert.Equal(copied[^1].Id, copied[^2].SupersededBy);
        Assert.Equal(["Catherine", "Amy"], (await Store.GetPeopleAsync(copy, None)).Select(p => p.Name));
        var copiedTurns = await Store.GetWholeHistoryAsync(copy, None);
        Assert.Equal(copiedTurns[^2].Id, await Store.GetExtractedThroughAsync(copy, None));
    }

    private async Task<byte[]> ExportAsync(string companionId)
    {
        using var buffer = new MemoryStream();
        await MemoryExport.ExportAsync(Store, companionId, buffer, None);
        return buffer.ToArray();
    }
}
