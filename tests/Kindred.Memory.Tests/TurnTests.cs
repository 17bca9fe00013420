using Kindred.Core;

namespace Kindred.Memory.Tests;

public sealed class TurnTests : IDisposable
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

    private static async Task<List<StoredTurn>> AppendManyAsync(SqliteCompanionStore store, string companionId, int count)
    {
        var stored = new List<StoredTurn>();
        for (var i = 0; i < count; i++)
        {
            var speaker = i % 2 == 0 ? Speaker.Person : Speaker.Companion;
            stored.Add(await store.AppendTurnAsync(
                Samples.Turn($"turn {i}", companionId, speaker, Samples.WokeAt.AddMinutes(i)), None));
        }

        return stored;
    }

    [Fact]
    public async Task AnAppendedTurnComesBackExactlyAsGivenWithAnId()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        var turn = Samples.Turn("I had a long day.", speaker: Speaker.Person, sessionId: "morning");

        var stored = await store.AppendTurnAsync(turn, None);
        var read = Assert.Single(await store.GetRecentTurnsAsync("c1", 10, None));

        var expected = new StoredTurn(stored.Id, "c1", "morning", Speaker.Person, "I had a long day.", turn.At, TurnStatus.Complete);
        Assert.Equal(expected, stored);
        Assert.Equal(expected, read);
        Assert.True(stored.Id > 0);
    }

    [Fact]
    public async Task RecentTurnsAreTheLatestNOldestFirst()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        var all = await AppendManyAsync(store, "c1", 7);

        var recent = await store.GetRecentTurnsAsync("c1", 3, None);

        Assert.Equal(all.Skip(4), recent);
    }

    [Fact]
    public async Task AskingForMoreRecentTurnsThanExistReturnsThemAllAndZeroReturnsNone()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        var all = await AppendManyAsync(store, "c1", 4);

        Assert.Equal(all, await store.GetRecentTurnsAsync("c1", 100, None));
        Assert.Empty(await store.GetRecentTurnsAsync("c1", 0, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetRecentTurnsAsync("c1", -1, None));
    }

    [Fact]
    public async Task EachCompanionSeesOnlyItsOwnTurns()
    {
        await using var store = await OpenWithCompanionsAsync("c1", "c2");
        var first = await AppendManyAsync(store, "c1", 3);
        var second = await AppendManyAsync(store, "c2", 2);

        Assert.Equal(first, await store.GetRecentTurnsAsync("c1", 10, None));
        Assert.Equal(second, await store.GetHistoryAsync("c2", 0, 10, None));
        Assert.Equal(3, (await store.GetRelationshipAsync("c1", None)).TurnCount);
    }

    [Fact]
    public async Task HistoryPagesByIdCoverEveryTurnOnceInOrder()
    {
        await using var store = await OpenWithCompanionsAsync("c1", "other");
        var all = new List<StoredTurn>();
        for (var i = 0; i < 10; i++)
        {
            // Interleaving another companion's turns leaves gaps in this one's ids, which paging must not mind.
            all.Add(await store.AppendTurnAsync(Samples.Turn($"mine {i}"), None));
            await store.AppendTurnAsync(Samples.Turn($"theirs {i}", companionId: "other"), None);
        }

        var paged = new List<StoredTurn>();
        var pages = 0;
        long afterId = 0;
        while (true)
        {
            var page = await store.GetHistoryAsync("c1", afterId, 3, None);
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 3);
            paged.AddRange(page);
            afterId = page[^1].Id;
            pages++;
        }

        Assert.Equal(all, paged);
        Assert.Equal(4, pages);
        Assert.Equal(all.Skip(5).Take(2), await store.GetHistoryAsync("c1", all[4].Id, 2, None));
    }

    [Fact]
    public async Task AnInterruptedReplyKeepsItsStatusAndPartialText()
    {
        await using var store = await OpenWithCompanionsAsync("c1");

        await store.AppendTurnAsync(Samples.Turn("I was just going to s", speaker: Speaker.Companion, status: TurnStatus.Interrupted), None);
        await store.AppendTurnAsync(Samples.Turn("", speaker: Speaker.Companion, status: TurnStatus.Interrupted), None);

        var turns = await store.GetHistoryAsync("c1", 0, 10, None);
        Assert.All(turns, t => Assert.Equal(TurnStatus.Interrupted, t.Status));
        Assert.Equal(["I was just going to s", ""], turns.Select(t => t.Text));
    }

    [Theory]
    [InlineData("Héllo, naïve café — “quotes” ‘too’")]
    [InlineData("家族と話した 👨‍👩‍👧‍👦🏳️‍🌈")]
    [InlineData("שלום عليكم")]
    [InlineData("e\u0301 vs \u00e9, \U0001F600 and a lone tab\tand\r\nlines\n")]
    [InlineData("embedded\0nul and trailing spaces   ")]
    public async Task UnicodeTextRoundTripsExactly(string text)
    {
        await using var store = await OpenWithCompanionsAsync("c1");

        await store.AppendTurnAsync(Samples.Turn(text), None);

        var read = Assert.Single(await store.GetRecentTurnsAsync("c1", 1, None));
        Assert.Equal(text, read.Text, StringComparer.Ordinal);
    }

    [Fact]
    public async Task TurnTimesKeepTheExactInstantAndComeBackInUtc()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        var at = new DateTimeOffset(2025, 6, 1, 23, 59, 59, TimeSpan.FromHours(-7)).AddTicks(1_234_567);

        await store.AppendTurnAsync(Samples.Turn("late night", at: at), None);

        var read = Assert.Single(await store.GetRecentTurnsAsync("c1", 1, None));
        Assert.Equal(at.UtcTicks, read.At.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.At.Offset);
    }

    [Fact]
    public async Task InvalidTurnsAreRejectedAndNothingIsStored()
    {
        await using var store = await OpenWithCompanionsAsync("c1");
        var turn = Samples.Turn("hi");

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.AppendTurnAsync(null!, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendTurnAsync(turn with { Text = null! }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendTurnAsync(turn with { Text = "" }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendTurnAsync(turn with { SessionId = "" }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendTurnAsync(turn with { Speaker = (Speaker)9 }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendTurnAsync(turn with { Status = (TurnStatus)9 }, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetHistoryAsync("c1", 0, -1, None));
        Assert.Empty(await store.GetHistoryAsync("c1", 0, 10, None));
    }

    [Fact]
    public async Task ConcurrentAppendsFromManyTasksAllLandWithUniqueIncreasingIds()
    {
        await using var store = await OpenWithCompanionsAsync("c1", "c2");
        const int perCompanion = 100;

        var appends = Enumerable.Range(0, perCompanion * 2).Select(i => Task.Run(() =>
            store.AppendTurnAsync(Samples.Turn($"message {i}", companionId: i % 2 == 0 ? "c1" : "c2"), None)));
        // Readers run alongside the writers: WAL must let them through without errors.
        var reads = Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.GetRecentTurnsAsync("c1", 5, None)));
        var stored = await Task.WhenAll(appends);
        await Task.WhenAll(reads);

        Assert.Equal(stored.Length, stored.Select(t => t.Id).Distinct().Count());
        foreach (var companion in new[] { "c1", "c2" })
        {
            var history = await store.GetHistoryAsync(companion, 0, 1_000, None);
            Assert.Equal(perCompanion, history.Count);
            Assert.Equal(history.Select(t => t.Id).Order(), history.Select(t => t.Id));
            Assert.Equal(
                stored.Where(t => t.CompanionId == companion).OrderBy(t => t.Id),
                history);
            Assert.Equal(perCompanion, (await store.GetRelationshipAsync(companion, None)).TurnCount);
        }
    }
}
