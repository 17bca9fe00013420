using Kindred.Core;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Tests.Knowledge;

public sealed class KnowledgeForgetTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    // As in ForgetTests: one full-text token ending in a digit, scanned for by its tail.
    private const string Name = "Xandrix7q4w";
    private const string NameTail = "7q4w";

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_forgotten_fact_leaves_no_trace_in_the_files_and_the_rest_stays()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        await Corpus.AppendDistractorsAsync(store, "c1", 200);
        var turn = await store.AppendTurnAsync(Samples.Turn("I changed the lock on the shed today."), None);
        var secret = new ExtractedFact(FactSubject.Person, "shed lock code", "code 5k8z3", "Their shed lock code is 5k8z3.", null, turn.Id);
        var kept = new ExtractedFact(FactSubject.Person, "hobby", "gardening", "They garden.", null, turn.Id);
        await store.ApplyExtractionAsync("c1", [turn], new Extraction([], [secret, kept], KnowledgeSource.Model), None);
        Assert.NotEmpty(RawFiles.FindUtf8(_db.DatabasePath, "5k8z3"));
        var id = (await store.GetFactsAsync("c1", false, None)).Single(f => f.Attribute == "shed lock code").Id;

        Assert.True(await store.ForgetFactAsync("c1", id, None));

        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, "5k8z3"));
        Assert.Equal("gardening", Assert.Single(await store.GetFactsAsync("c1", true, None)).Value);
        Assert.Single(await store.GetTurnsAsync("c1", [turn.Id], None));
        Assert.False(await store.ForgetFactAsync("c1", id, None));
    }

    [Fact]
    public async Task A_forgotten_person_leaves_no_trace_in_tables_index_vectors_summaries_or_log()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        await Corpus.AppendDistractorsAsync(store, "c1", 200);
        var told = await store.AppendTurnAsync(Samples.Turn($"My brother {Name} moved to Oslo."), None);
        var reply = await store.AppendTurnAsync(Samples.Turn($"Oslo! How does {Name} like the cold?", speaker: Speaker.Companion), None);
        var unrelated = await store.AppendTurnAsync(Samples.Turn("I baked bread tonight."), None);
        await store.SaveTurnVectorsAsync([(told.Id, [1, 2, 3, 4]), (unrelated.Id, [5, 6, 7, 8])], None);
        await store.ApplyExtractionAsync(
            "c1",
            [told, reply, unrelated],
            new Extraction(
                [new ExtractedPerson(Name, [], "brother", told.Id)],
                [new ExtractedFact(Name, "home", "Oslo", $"{Name} lives in Oslo.", Name, told.Id), new ExtractedFact(FactSubject.Person, "hobby", "baking", "They bake bread.", null, unrelated.Id)],
                KnowledgeSource.BuiltIn),
            None);
        await store.SaveSummaryAsync(new SessionSummary("c1", "s1", $"They talked about {Name} in Oslo.", 1, unrelated.Id, Samples.WokeAt, KnowledgeSource.BuiltIn), None);
        await store.AddReflectionAsync("c1", "s1", $"I hope {Name} is well.", Samples.WokeAt, None);
        Assert.NotEmpty(RawFiles.FindUtf8(_db.DatabasePath, NameTail));
        var person = Assert.Single(await store.GetPeopleAsync("c1", None));
        Assert.Equal([told.Id, reply.Id], person.TurnIds);

        Assert.Equal(2, await store.ForgetPersonAsync("c1", person.Id, None));

        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, NameTail));
        Assert.Empty(await store.GetPeopleAsync("c1", None));
        Assert.Equal("baking", Assert.Single(await store.GetFactsAsync("c1", true, None)).Value);
        Assert.Empty(await store.GetSummariesAsync("c1", None));
        Assert.Empty(await store.GetReflectionsAsync("c1", None));
        Assert.Equal([unrelated.Id], (await store.LoadTurnVectorsAsync("c1", None)).Select(v => v.TurnId));
        Assert.Equal(201, (await store.GetRelationshipAsync("c1", None)).TurnCount);
        await store.DisposeAsync();

        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, NameTail));
    }

    [Fact]
    public async Task A_forgotten_person_leaves_no_trace_in_the_inner_life_either()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        await Corpus.AppendDistractorsAsync(store, "c1", 200);
        var told = await store.AppendTurnAsync(Samples.Turn($"My brother {Name} has a boat."), None);
        await store.ApplyExtractionAsync("c1", [told], new Extraction([new ExtractedPerson(Name, [], "brother", told.Id)], [], KnowledgeSource.BuiltIn), None);
        await InnerTraces.PlantAsync(store, "c1", Name);
        Assert.NotEmpty(RawFiles.FindUtf8(_db.DatabasePath, NameTail));
        Assert.NotEmpty(RawFiles.FindUtf8(_db.DatabasePath, NameTail.ToUpperInvariant()));

        Assert.Equal(1, await store.ForgetPersonAsync("c1", Assert.Single(await store.GetPeopleAsync("c1", None)).Id, None));

        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, NameTail));
        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, NameTail.ToUpperInvariant()));
        await InnerTraces.AssertOnlyTheRestIsLeftAsync(store, "c1");
        await store.DisposeAsync();

        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, NameTail));
    }

    [Fact]
    public async Task Forgetting_a_companion_takes_its_knowledge_with_it()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        var turn = await store.AppendTurnAsync(Samples.Turn($"My brother {Name} is here."), None);
        await store.ApplyExtractionAsync("c1", [turn], new Extraction([new ExtractedPerson(Name, [], "brother", turn.Id)], [], KnowledgeSource.BuiltIn), None);

        Assert.True(await store.ForgetCompanionAsync("c1", None));

        Assert.Empty(RawFiles.FindUtf8(_db.DatabasePath, NameTail));
        Assert.Equal(0, await store.GetExtractedThroughAsync("c1", None));
    }
}
