using Kindred.Memory.Knowledge;
using Kindred.Memory.Recall;

namespace Kindred.Memory.Tests.Knowledge;

public sealed class KnowledgeRecallTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private async Task<SqliteCompanionStore> StoreAsync()
    {
        var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        string[] said = ["I'm married to Catherine.", "My sister Amy is visiting.", "I work at Acme.", "We separated.", "I moved to Porto.", "We got divorced."];
        for (var i = 0; i < said.Length; i++)
        {
            await store.AppendTurnAsync(Samples.Turn(said[i], at: Samples.WokeAt.AddDays(30 * i)), None);
        }

        await using var worker = new KnowledgeWorker(store, store, new BuiltInExtractor(), _db.Time);
        await worker.DrainAsync("c1", null, None);
        return store;
    }

    [Fact]
    public async Task A_question_about_now_gets_the_current_fact_first_and_nothing_that_no_longer_holds()
    {
        await using var store = await StoreAsync();

        var (facts, _) = await new KnowledgeRecall(store).RecallAsync("c1", "Are you still married?", None);

        Assert.Equal("They are divorced from Catherine.", facts[0].Text);
        Assert.Contains("marital status", facts[0].Why, StringComparison.Ordinal);
        Assert.All(facts, f => Assert.Null(f.ValidTo));
        Assert.InRange(facts[0].Score, 0.3, 1);
    }

    [Fact]
    public async Task A_question_about_when_brings_the_history_after_what_holds_now()
    {
        await using var store = await StoreAsync();

        var (facts, people) = await new KnowledgeRecall(store).RecallAsync("c1", "When did Catherine and I separate?", None);

        var marital = facts.Where(f => f.Text.Contains("Catherine", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["They are divorced from Catherine.", "They separated from Catherine.", "They are married to Catherine."],
            marital.Select(f => f.Text));
        var separated = marital[1];
        Assert.Equal((Samples.WokeAt.AddDays(90), Samples.WokeAt.AddDays(150)), (separated.ValidFrom, separated.ValidTo!.Value));
        Assert.Contains("no longer true", separated.Why, StringComparison.Ordinal);
        Assert.Equal("Catherine", Assert.Single(people).Name);
    }

    [Fact]
    public async Task People_come_back_by_name_or_by_relation_with_their_facts()
    {
        await using var store = await StoreAsync();

        var (facts, people) = await new KnowledgeRecall(store).RecallAsync("c1", "How is my sister doing?", None);

        var amy = Assert.Single(people);
        Assert.Equal(("Amy", "sister"), (amy.Name, amy.Relation));
        Assert.Contains("sister", amy.Why, StringComparison.Ordinal);
        Assert.Equal("Amy is their sister.", facts[0].Text);
    }
}
