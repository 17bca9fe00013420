using Kindred.Core;

namespace Kindred.Memory.Tests;

public sealed class SearchTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private async Task<SqliteCompanionStore> OpenWithCompanionsAsync(params string[] ids)
    {
        var store = await _db.OpenAsync();
        foreach (var id in ids)
        {
            await store.CreateCompanionAsync(Samples.Identity(id), None);
        }

        return store;
    }

    [Fact]
    public async Task APlantedTurnRanksFirstAmongTwoThousandDistractors()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        await Corpus.AppendDistractorsAsync(store, "c1", 1_000);
        var planted = await store.AppendTurnAsync(Samples.Turn("My sister's wedding is in Lisbon next June, by the sea."), None);
        await Corpus.AppendDistractorsAsync(store, "c1", 1_000);

        // Every word of the question but "Lisbon" also appears in hundreds of distractors.
        var matches = await store.SearchTurnsAsync("c1", "When is my sister's wedding in Lisbon?", 10, None);

        Assert.Equal(10, matches.Count);
        Assert.Equal(planted.Id, matches[0].TurnId);
        Assert.Contains("Lisbon", matches[0].Snippet, StringComparison.Ordinal);
        Assert.All(matches, match => Assert.True(match.Score > 0));
        Assert.Equal(matches.OrderByDescending(match => match.Score).Select(match => match.Score), matches.Select(match => match.Score));
        Assert.True(matches[0].Score > matches[1].Score);
    }

    [Fact]
    public async Task SearchSeesOnlyTheNamedCompanionsTurns()
    {
        await using var store = await OpenWithCompanionsAsync("c1", "c2");
        var mine = await store.AppendTurnAsync(Samples.Turn("We walked to the lighthouse.", "c1"), None);
        await store.AppendTurnAsync(Samples.Turn("The lighthouse keeper waved at us from the lighthouse.", "c2"), None);

        var forC1 = await store.SearchTurnsAsync("c1", "lighthouse", 10, None);
        var forStranger = await store.SearchTurnsAsync("nobody", "lighthouse", 10, None);

        Assert.Equal([mine.Id], forC1.Select(match => match.TurnId));
        Assert.Empty(forStranger);
    }

    [Fact]
    public async Task WordsMatchIgnoringCaseAccentsAndEndings()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        var cafe = await store.AppendTurnAsync(Samples.Turn("We met at the little Café Amélie."), None);
        var walked = await store.AppendTurnAsync(Samples.Turn("Then we walked along the river."), None);

        Assert.Equal([cafe.Id], (await store.SearchTurnsAsync("c1", "cafe amelie", 10, None)).Select(match => match.TurnId));
        Assert.Equal([walked.Id], (await store.SearchTurnsAsync("c1", "WALKING", 10, None)).Select(match => match.TurnId));
    }

    [Fact]
    public async Task TheLimitCapsTheMatchesAndZeroFindsNothing()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        await Corpus.AppendDistractorsAsync(store, "c1", 50);

        Assert.Equal(3, (await store.SearchTurnsAsync("c1", "dinner garden coffee", 3, None)).Count);
        Assert.Empty(await store.SearchTurnsAsync("c1", "dinner", 0, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SearchTurnsAsync("c1", "dinner", -1, None));
    }

    [Theory]
    [InlineData("what \"about\" NEAR( -- *")]
    [InlineData("\"")]
    [InlineData("\"\"\"unbalanced")]
    [InlineData("*")]
    [InlineData("AND OR NOT")]
    [InlineData("NEAR(lighthouse walked, 2)")]
    [InlineData("text: lighthouse")]
    [InlineData("{text companion_id}: x")]
    [InlineData("^lighthouse +walked -sea")]
    [InlineData("light*")]
    [InlineData("'); DROP TABLE turns; --")]
    [InlineData("(((lighthouse")]
    [InlineData("\u0301\u0301")]
    [InlineData("🙂 😢")]
    [InlineData("\0")]
    public async Task AnyTextIsASafeQuery(string query)
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        var turn = await store.AppendTurnAsync(Samples.Turn("We walked to the lighthouse."), None);

        var matches = await store.SearchTurnsAsync("c1", query, 10, None);

        Assert.All(matches, match => Assert.Equal(turn.Id, match.TurnId));
        Assert.Single(await store.GetRecentTurnsAsync("c1", 10, None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?! -- ...")]
    public async Task TextWithNoWordsFindsNothing(string query)
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        await store.AppendTurnAsync(Samples.Turn("-- ... ?!"), None);

        Assert.Empty(await store.SearchTurnsAsync("c1", query, 10, None));
    }

    [Fact]
    public async Task OperatorWordsAreSearchedAsPlainWords()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        var turn = await store.AppendTurnAsync(Samples.Turn("Do not go near the edge."), None);

        var matches = await store.SearchTurnsAsync("c1", "NOT NEAR", 10, None);

        Assert.Equal([turn.Id], matches.Select(match => match.TurnId));
    }

    [Fact]
    public async Task ChangedTextIsReindexed()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        var turn = await store.AppendTurnAsync(Samples.Turn("I adopted a kitten."), None);

        // The store never edits a turn today, but the index must follow if anything ever does.
        await store.WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE turns SET text = 'I adopted a puppy.' WHERE id = $id;";
            command.Parameters.AddWithValue("$id", turn.Id);
            return await command.ExecuteNonQueryAsync();
        }, None);

        Assert.Empty(await store.SearchTurnsAsync("c1", "kitten", 10, None));
        Assert.Equal([turn.Id], (await store.SearchTurnsAsync("c1", "puppy", 10, None)).Select(match => match.TurnId));
    }
}
