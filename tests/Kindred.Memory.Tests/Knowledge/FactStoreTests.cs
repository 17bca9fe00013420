using Kindred.Core;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Tests.Knowledge;

public sealed class FactStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset March = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset June = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset January = new(2026, 1, 10, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    // Tells the store, as extraction would, one marital fact per turn.
    private static async Task<StoredTurn> SayAsync(SqliteCompanionStore store, string text, string value, DateTimeOffset at, string companionId = "c1")
    {
        var turn = await store.AppendTurnAsync(Samples.Turn(text, companionId, at: at), None);
        var fact = new ExtractedFact(FactSubject.Person, "marital status", value, $"They are {value}.", "Catherine", turn.Id);
        await store.ApplyExtractionAsync(companionId, [turn], new Extraction([new ExtractedPerson("Catherine", [], "wife", turn.Id)], [fact], KnowledgeSource.BuiltIn), None);
        return turn;
    }

    private async Task<SqliteCompanionStore> MarriedSeparatedDivorcedAsync()
    {
        var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        await SayAsync(store, "I'm married to Catherine.", "married to Catherine", March);
        await SayAsync(store, "We separated.", "separated from Catherine", June);
        await SayAsync(store, "We're divorced now.", "divorced from Catherine", January);
        return store;
    }

    [Fact]
    public async Task A_contradiction_closes_the_earlier_fact_so_now_and_history_are_both_answerable()
    {
        await using var store = await MarriedSeparatedDivorcedAsync();

        var current = Assert.Single(await store.GetFactsAsync("c1", includeSuperseded: false, None));
        Assert.Equal("divorced from Catherine", current.Value);
        Assert.Null(current.ValidTo);

        var history = await store.GetFactsAsync("c1", includeSuperseded: true, None);
        Assert.Equal(["married to Catherine", "separated from Catherine", "divorced from Catherine"], history.Select(f => f.Value));
        Assert.Equal((March, June, history[1].Id), (history[0].ValidFrom, history[0].ValidTo!.Value, history[0].SupersededBy!.Value));
        Assert.Equal((June, January, history[2].Id), (history[1].ValidFrom, history[1].ValidTo!.Value, history[1].SupersededBy!.Value));
        Assert.Equal([[1L], [2L], [3L]], history.Select(f => f.TurnIds.ToArray()));
        var catherine = Assert.Single(await store.GetPeopleAsync("c1", None));
        Assert.All(history, f => Assert.Equal(catherine.Id, f.PersonId));
    }

    [Fact]
    public async Task Saying_the_same_thing_again_adds_an_episode_not_a_duplicate()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        await SayAsync(store, "I'm married to Catherine.", "married to Catherine", March);

        await SayAsync(store, "Still married to Catherine!", "Married to catherine", June);

        var fact = Assert.Single(await store.GetFactsAsync("c1", includeSuperseded: true, None));
        Assert.Equal([1L, 2L], fact.TurnIds);
        Assert.Equal(March, fact.ValidFrom);
        Assert.Equal([1L, 2L], Assert.Single(await store.GetPeopleAsync("c1", None)).TurnIds);
    }

    [Fact]
    public async Task A_correction_replaces_the_fact_with_the_person_as_its_source()
    {
        await using var store = await MarriedSeparatedDivorcedAsync();
        var divorced = Assert.Single(await store.GetFactsAsync("c1", false, None));
        var corrected = await store.CorrectFactAsync("c1", divorced.Id, "They are separated from Catherine, not divorced.", January.AddDays(1), None);

        Assert.Equal((KnowledgeSource.Person, "marital status", divorced.PersonId), (corrected.Source, corrected.Attribute, corrected.PersonId));
        Assert.Equal(corrected.Id, Assert.Single(await store.GetFactsAsync("c1", false, None)).Id);
        var old = (await store.GetFactsAsync("c1", true, None)).Single(f => f.Id == divorced.Id);
        Assert.Equal((January.AddDays(1), corrected.Id), (old.ValidTo!.Value, old.SupersededBy!.Value));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CorrectFactAsync("c1", divorced.Id, "again", January, None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.CorrectFactAsync("c2", corrected.Id, "not theirs", January, None));
    }

    [Fact]
    public async Task People_are_merged_by_name_or_alias_and_linked_to_every_turn_that_names_them()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        var first = await store.AppendTurnAsync(Samples.Turn("My friend Katherine Lee is back."), None);
        await store.ApplyExtractionAsync("c1", [first], new Extraction([new ExtractedPerson("Katherine Lee", ["Kat"], "friend", first.Id)], [], KnowledgeSource.Model), None);
        var second = await store.AppendTurnAsync(Samples.Turn("kat says hi"), None);
        var third = await store.AppendTurnAsync(Samples.Turn("Katherine is my best friend"), None);

        await store.ApplyExtractionAsync("c1", [second, third], new Extraction([new ExtractedPerson("Kat", ["Katherine"], "best friend", third.Id)], [], KnowledgeSource.Model), None);

        var person = Assert.Single(await store.GetPeopleAsync("c1", None));
        Assert.Equal(("Katherine Lee", "best friend"), (person.Name, person.Relation));
        Assert.Equal(["Kat", "Katherine"], person.Aliases);
        Assert.Equal([first.Id, second.Id, third.Id], person.TurnIds);
        Assert.Equal(third.Id, await store.GetExtractedThroughAsync("c1", None));
    }

    [Fact]
    public async Task One_companion_never_sees_anothers_knowledge()
    {
        await using var store = await MarriedSeparatedDivorcedAsync();
        await store.CreateCompanionAsync(Samples.Identity("c2", "Quill"), None);

        Assert.Empty(await store.GetFactsAsync("c2", true, None));
        Assert.Empty(await store.GetPeopleAsync("c2", None));
        Assert.False(await store.ForgetFactAsync("c2", 1, None));
        Assert.Null(await store.ForgetPersonAsync("c2", 1, None));
        Assert.Equal(3, (await store.GetFactsAsync("c1", true, None)).Count);
    }

    [Fact]
    public async Task Forgetting_the_turn_a_fact_came_from_forgets_the_fact()
    {
        await using var store = await MarriedSeparatedDivorcedAsync();

        Assert.True(await store.ForgetTurnAsync("c1", 2, None));

        Assert.Equal(["married to Catherine", "divorced from Catherine"], (await store.GetFactsAsync("c1", true, None)).Select(f => f.Value));
    }
}
