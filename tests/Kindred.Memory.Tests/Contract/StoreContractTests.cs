using Kindred.Core;
using Kindred.Memory.Vectors;

namespace Kindred.Memory.Tests.Contract;

/// <summary>
/// What every <see cref="IFullCompanionStore"/> must do (turns, memory, knowledge and the inner life), run against each store (SQLite and PostgreSQL) by a subclass.
/// A store may hold other tests' data (PostgreSQL keeps one database per class), so every test names its companions
/// through <see cref="Id"/> and looks only at those.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;
    private readonly string _scope = Guid.NewGuid().ToString("N")[..10];

    protected IFullCompanionStore Store { get; private set; } = null!;

    /// <summary>Opens the store under test; each test gets its own instance, disposed after it.</summary>
    protected abstract Task<IFullCompanionStore> OpenStoreAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Store = await OpenStoreAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await CleanUpAsync();
    }

    /// <summary>A companion id that is this test's own.</summary>
    protected string Id(string name) => $"{name}-{_scope}";

    private async Task<string> WakeAsync(string name = "c1", string companionName = "Wren", DateTimeOffset? wokeAt = null)
    {
        var id = Id(name);
        await Store.CreateCompanionAsync(Samples.Identity(id, companionName, wokeAt), None);
        return id;
    }

    private async Task<List<StoredTurn>> AppendManyAsync(string companionId, int count, string prefix = "turn")
    {
        var stored = new List<StoredTurn>();
        for (var i = 0; i < count; i++)
        {
            var speaker = i % 2 == 0 ? Speaker.Person : Speaker.Companion;
            stored.Add(await Store.AppendTurnAsync(Samples.Turn($"{prefix} {i}", companionId, speaker, Samples.WokeAt.AddMinutes(i)), None));
        }

        return stored;
    }

    // Companions

    [Fact]
    public async Task ACreatedCompanionIsFoundWithEverythingItWasGiven()
    {
        var identity = new CompanionIdentity(Id("c1"), "Wrén", Samples.WokeAt.AddTicks(1_234_567), "A quiet, “curious” listener. 家族", ["curious", "warm", ""]);

        var created = await Store.CreateCompanionAsync(identity, None);
        var found = await Store.FindCompanionAsync(identity.CompanionId, None);

        Assert.NotNull(found);
        foreach (var actual in new[] { created, found })
        {
            Assert.Equal(identity.CompanionId, actual.CompanionId);
            Assert.Equal(identity.Name, actual.Name);
            Assert.Equal(identity.WokeAt, actual.WokeAt);
            Assert.Equal(identity.Persona, actual.Persona);
            Assert.Equal(identity.Traits, actual.Traits);
        }
    }

    [Fact]
    public async Task ACompanionThatNeverWokeIsNotFound() =>
        Assert.Null(await Store.FindCompanionAsync(Id("nobody"), None));

    [Fact]
    public async Task CreatingACompanionTwiceKeepsTheFirstName()
    {
        var id = await WakeAsync(companionName: "Wren");

        var second = await Store.CreateCompanionAsync(Samples.Identity(id, "Sparrow"), None);

        Assert.Equal("Wren", second.Name);
        Assert.Equal("Wren", (await Store.FindCompanionAsync(id, None))!.Name);
        Assert.Single(await Store.ListCompanionsAsync(None), c => c.CompanionId == id);
    }

    [Fact]
    public async Task CompanionsWokenAtOnceUnderOneIdAllGetTheSameFirstName()
    {
        var id = Id("c1");

        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            Store.CreateCompanionAsync(Samples.Identity(id, $"Name{i}"), None))));

        var kept = (await Store.FindCompanionAsync(id, None))!.Name;
        Assert.All(created, c => Assert.Equal(kept, c.Name));
    }

    [Fact]
    public async Task CompanionsAreListedOldestFirstAndTiesInTheOrderStored()
    {
        await WakeAsync("late", wokeAt: Samples.WokeAt.AddDays(2));
        await WakeAsync("early", wokeAt: Samples.WokeAt);
        await WakeAsync("tie", wokeAt: Samples.WokeAt.AddDays(1));
        await WakeAsync("middle", wokeAt: Samples.WokeAt.AddDays(1));

        var listed = await Store.ListCompanionsAsync(None);

        Assert.Equal(
            [Id("early"), Id("tie"), Id("middle"), Id("late")],
            listed.Select(c => c.CompanionId).Where(id => id.EndsWith(_scope, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ANewRelationshipHasMetAtWakeAndNoTurnsOrName()
    {
        var id = await WakeAsync();

        Assert.Equal(new Relationship(id, null, Samples.WokeAt, 0, null), await Store.GetRelationshipAsync(id, None));
    }

    [Fact]
    public async Task TheRelationshipCountsTurnsAndKnowsTheLatestNameAndTurnTime()
    {
        var id = await WakeAsync();
        var latest = Samples.WokeAt.AddHours(5);
        await Store.AppendTurnAsync(Samples.Turn("hi", id, at: Samples.WokeAt.AddHours(1)), None);
        await Store.AppendTurnAsync(Samples.Turn("hello!", id, Speaker.Companion, latest), None);
        await Store.AppendTurnAsync(Samples.Turn("late echo", id, at: Samples.WokeAt.AddHours(2)), None);

        await Store.SetPersonNameAsync(id, "Ted", None);
        await Store.SetPersonNameAsync(id, "Theodore", None);

        Assert.Equal(new Relationship(id, "Theodore", Samples.WokeAt, 3, latest), await Store.GetRelationshipAsync(id, None));
    }

    [Fact]
    public async Task AnUnknownCompanionIsReportedByIdOrHasNothing()
    {
        var ghost = Id("ghost");

        var errors = new[]
        {
            await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.GetRelationshipAsync(ghost, None)),
            await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.SetPersonNameAsync(ghost, "Theodore", None)),
            await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AppendTurnAsync(Samples.Turn("hi", ghost), None)),
            await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AppendTurnsAsync([Samples.Turn("hi", ghost)], None)),
        };

        Assert.All(errors, error => Assert.Contains($"'{ghost}'", error.Message, StringComparison.Ordinal));
        Assert.Empty(await Store.GetRecentTurnsAsync(ghost, 10, None));
        Assert.Empty(await Store.GetHistoryAsync(ghost, 0, 10, None));
        Assert.Empty(await Store.LoadTurnVectorsAsync(ghost, None));
        Assert.Empty(await Store.GetUnindexedTurnsAsync(ghost, 10, None));
        Assert.Empty(await Store.GetTurnsAsync(ghost, [1, 2, 3], None));
    }

    [Fact]
    public async Task InvalidIdentitiesAndNamesAreRejectedAndNothingIsStored()
    {
        var identity = Samples.Identity(Id("c1"));

        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.CreateCompanionAsync(null!, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CreateCompanionAsync(identity with { CompanionId = " " }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CreateCompanionAsync(identity with { Name = "" }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CreateCompanionAsync(identity with { Persona = null! }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CreateCompanionAsync(identity with { Traits = ["ok", null!] }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetPersonNameAsync(identity.CompanionId, "", None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.FindCompanionAsync("", None));

        Assert.Null(await Store.FindCompanionAsync(identity.CompanionId, None));
    }

    // Turns

    [Fact]
    public async Task AnAppendedTurnComesBackExactlyWithItsInstantInUtc()
    {
        var id = await WakeAsync();
        var at = new DateTimeOffset(2025, 6, 1, 23, 59, 59, TimeSpan.FromHours(-7)).AddTicks(1_234_567);
        var turn = new NewTurn(id, "morning", Speaker.Person, "I had a long day.", at);

        var stored = await Store.AppendTurnAsync(turn, None);
        var read = Assert.Single(await Store.GetRecentTurnsAsync(id, 10, None));

        Assert.Equal(new StoredTurn(stored.Id, id, "morning", Speaker.Person, "I had a long day.", at, TurnStatus.Complete), read);
        Assert.Equal(stored, read);
        Assert.Equal(TimeSpan.Zero, read.At.Offset);
        Assert.True(stored.Id > 0);
    }

    [Theory]
    [InlineData("Héllo, naïve café — “quotes” ‘too’ 'single' \\backslash")]
    [InlineData("家族と話した 👨‍👩‍👧‍👦🏳️‍🌈")]
    [InlineData("שלום عليكم")]
    [InlineData("e\u0301 vs \u00e9, \U0001F600 and a lone tab\tand\r\nlines\n   ")]
    public async Task UnicodeTextRoundTripsExactly(string text)
    {
        var id = await WakeAsync();

        await Store.AppendTurnAsync(Samples.Turn(text, id), None);

        Assert.Equal(text, Assert.Single(await Store.GetRecentTurnsAsync(id, 1, None)).Text, StringComparer.Ordinal);
    }

    [Fact]
    public async Task RecentTurnsAreTheLatestNOldestFirst()
    {
        var id = await WakeAsync();
        var all = await AppendManyAsync(id, 7);

        Assert.Equal(all.Skip(4), await Store.GetRecentTurnsAsync(id, 3, None));
        Assert.Equal(all, await Store.GetRecentTurnsAsync(id, 100, None));
        Assert.Empty(await Store.GetRecentTurnsAsync(id, 0, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetRecentTurnsAsync(id, -1, None));
    }

    [Fact]
    public async Task HistoryPagesByIdCoverEveryTurnOnceInOrder()
    {
        var id = await WakeAsync();
        var other = await WakeAsync("other");
        var all = new List<StoredTurn>();
        for (var i = 0; i < 10; i++)
        {
            // Another companion's turns in between leave gaps in this one's ids, which paging must not mind.
            all.Add(await Store.AppendTurnAsync(Samples.Turn($"mine {i}", id), None));
            await Store.AppendTurnAsync(Samples.Turn($"theirs {i}", other), None);
        }

        var paged = new List<StoredTurn>();
        var pages = 0;
        for (var page = await Store.GetHistoryAsync(id, 0, 3, None); page.Count > 0; page = await Store.GetHistoryAsync(id, paged[^1].Id, 3, None))
        {
            Assert.True(page.Count <= 3);
            paged.AddRange(page);
            pages++;
        }

        Assert.Equal(all, paged);
        Assert.Equal(4, pages);
        Assert.Equal(all.Skip(5).Take(2), await Store.GetHistoryAsync(id, all[4].Id, 2, None));
        Assert.Equal(all, await Store.GetWholeHistoryAsync(id, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetHistoryAsync(id, 0, -1, None));
    }

    [Fact]
    public async Task AnInterruptedReplyKeepsItsStatusAndPartialText()
    {
        var id = await WakeAsync();

        await Store.AppendTurnAsync(Samples.Turn("I was just going to s", id, Speaker.Companion, status: TurnStatus.Interrupted), None);
        await Store.AppendTurnAsync(Samples.Turn("", id, Speaker.Companion, status: TurnStatus.Interrupted), None);

        var turns = await Store.GetHistoryAsync(id, 0, 10, None);
        Assert.All(turns, t => Assert.Equal(TurnStatus.Interrupted, t.Status));
        Assert.Equal(["I was just going to s", ""], turns.Select(t => t.Text));
    }

    [Fact]
    public async Task InvalidTurnsAreRejectedAndNothingIsStored()
    {
        var id = await WakeAsync();
        var turn = Samples.Turn("hi", id);

        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.AppendTurnAsync(null!, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendTurnAsync(turn with { Text = null! }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendTurnAsync(turn with { Text = "" }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendTurnAsync(turn with { SessionId = "" }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendTurnAsync(turn with { Speaker = (Speaker)9 }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendTurnAsync(turn with { Status = (TurnStatus)9 }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendTurnsAsync([turn, turn with { Text = null! }], None));

        Assert.Empty(await Store.GetHistoryAsync(id, 0, 10, None));
    }

    [Fact]
    public async Task ABatchIsStoredInOrderWithIncreasingIds()
    {
        var id = await WakeAsync();
        var before = await Store.AppendTurnAsync(Samples.Turn("before", id), None);
        var batch = Enumerable.Range(0, 50).Select(i => Samples.Turn($"batch {i}", id, at: Samples.WokeAt.AddSeconds(i))).ToList();

        var stored = await Store.AppendTurnsAsync(batch, None);

        Assert.Equal(batch.Select(t => t.Text), stored.Select(t => t.Text));
        Assert.Equal(stored.Select(t => t.Id).Order(), stored.Select(t => t.Id));
        Assert.True(stored[0].Id > before.Id);
        Assert.Equal([before, .. stored], await Store.GetHistoryAsync(id, 0, 100, None));
        Assert.Empty(await Store.AppendTurnsAsync([], None));
    }

    [Fact]
    public async Task ABatchWithAnUnknownCompanionStoresNothing()
    {
        var id = await WakeAsync();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AppendTurnsAsync(
            [Samples.Turn("first", id), Samples.Turn("lost", Id("ghost")), Samples.Turn("third", id)], None));

        Assert.Empty(await Store.GetHistoryAsync(id, 0, 10, None));
    }

    [Fact]
    public async Task ConcurrentAppendsAllLandWithUniqueIdsInEachCompanionsOrder()
    {
        var first = await WakeAsync("c1");
        var second = await WakeAsync("c2");
        const int perCompanion = 100;

        var appends = Enumerable.Range(0, perCompanion * 2).Select(i => Task.Run(() =>
            Store.AppendTurnAsync(Samples.Turn($"message {i}", i % 2 == 0 ? first : second), None)));
        var reads = Enumerable.Range(0, 20).Select(_ => Task.Run(() => Store.GetRecentTurnsAsync(first, 5, None)));
        var stored = await Task.WhenAll(appends);
        await Task.WhenAll(reads);

        Assert.Equal(stored.Length, stored.Select(t => t.Id).Distinct().Count());
        foreach (var companion in new[] { first, second })
        {
            var history = await Store.GetHistoryAsync(companion, 0, 1_000, None);
            Assert.Equal(stored.Where(t => t.CompanionId == companion).OrderBy(t => t.Id), history);
            Assert.Equal(perCompanion, (await Store.GetRelationshipAsync(companion, None)).TurnCount);
        }
    }

    [Fact]
    public async Task TurnsByIdAreTheCompanionsOwnInIdOrder()
    {
        var id = await WakeAsync();
        var other = await WakeAsync("other");
        var mine = await AppendManyAsync(id, 4);
        var theirs = await Store.AppendTurnAsync(Samples.Turn("not yours", other), None);

        var found = await Store.GetTurnsAsync(id, [mine[3].Id, theirs.Id, mine[1].Id, 999_999_999], None);

        Assert.Equal([mine[1], mine[3]], found);
        Assert.Empty(await Store.GetTurnsAsync(id, [], None));
    }

    // Vectors

    [Fact]
    public async Task VectorsAreSavedReplacedAndLoadedPerCompanionInTurnOrder()
    {
        var id = await WakeAsync();
        var other = await WakeAsync("other");
        var turns = await AppendManyAsync(id, 3);
        var theirs = await Store.AppendTurnAsync(Samples.Turn("theirs", other), None);
        var v0 = VectorCodec.Encode([1f, 0f, -0.5f]);
        var v2 = VectorCodec.Encode([0f, float.Epsilon, 3.25f]);
        var replaced = VectorCodec.Encode([0.25f, 0.5f, 0.75f]);

        await Store.SaveTurnVectorsAsync([(turns[2].Id, v2), (turns[0].Id, v0), (theirs.Id, v0)], None);
        await Store.SaveTurnVectorsAsync([(turns[2].Id, replaced), (999_999_999, v0)], None);
        await Store.SaveTurnVectorsAsync([], None);

        var loaded = await Store.LoadTurnVectorsAsync(id, None);
        Assert.Equal([turns[0].Id, turns[2].Id], loaded.Select(v => v.TurnId));
        Assert.Equal(v0, loaded[0].Vector);
        Assert.Equal(replaced, loaded[1].Vector);
        Assert.Equal([theirs.Id], (await Store.LoadTurnVectorsAsync(other, None)).Select(v => v.TurnId));
    }

    [Fact]
    public async Task UnindexedTurnsAreTheNonEmptyOnesWithoutAVectorOldestFirst()
    {
        var id = await WakeAsync();
        var turns = await AppendManyAsync(id, 5);
        await Store.AppendTurnAsync(Samples.Turn("", id, Speaker.Companion, status: TurnStatus.Interrupted), None);
        await Store.SaveTurnVectorsAsync([(turns[1].Id, VectorCodec.Encode([1f]))], None);

        Assert.Equal([turns[0], turns[2], turns[3], turns[4]], await Store.GetUnindexedTurnsAsync(id, 10, None));
        Assert.Equal([turns[0], turns[2]], await Store.GetUnindexedTurnsAsync(id, 2, None));
        Assert.Empty(await Store.GetUnindexedTurnsAsync(id, 0, None));
    }

    // Forgetting

    [Fact]
    public async Task AForgottenTurnIsGoneFromHistoryVectorsAndCounts()
    {
        var id = await WakeAsync();
        var before = await Store.AppendTurnAsync(Samples.Turn("And the dog needs walking.", id), None);
        var secret = await Store.AppendTurnAsync(Samples.Turn("My locker code is zebra7f3a9, keep it between us.", id), None);
        await Store.SaveTurnVectorsAsync([(before.Id, VectorCodec.Encode([1f])), (secret.Id, VectorCodec.Encode([2f]))], None);

        Assert.True(await Store.ForgetTurnAsync(id, secret.Id, None));

        Assert.Equal([before], await Store.GetWholeHistoryAsync(id, None));
        Assert.Equal([before], await Store.GetRecentTurnsAsync(id, 10, None));
        Assert.Empty(await Store.GetTurnsAsync(id, [secret.Id], None));
        Assert.Equal([before.Id], (await Store.LoadTurnVectorsAsync(id, None)).Select(v => v.TurnId));
        Assert.Equal(1, (await Store.GetRelationshipAsync(id, None)).TurnCount);
        Assert.False(await Store.ForgetTurnAsync(id, secret.Id, None));
    }

    [Fact]
    public async Task AnotherCompanionsTurnCannotBeForgotten()
    {
        var id = await WakeAsync();
        var other = await WakeAsync("other");
        var theirs = await Store.AppendTurnAsync(Samples.Turn("The lighthouse is ours.", other), None);

        Assert.False(await Store.ForgetTurnAsync(id, theirs.Id, None));
        Assert.False(await Store.ForgetTurnAsync(Id("nobody"), theirs.Id, None));
        Assert.False(await Store.ForgetTurnAsync(other, theirs.Id + 1_000_000, None));

        Assert.Equal([theirs], await Store.GetRecentTurnsAsync(other, 10, None));
    }

    [Fact]
    public async Task AForgottenCompanionIsGoneWithEverythingAndCanWakeAgainAsAStranger()
    {
        var id = await WakeAsync(companionName: "Wren");
        var kept = await WakeAsync("kept", "Quill");
        var turns = await AppendManyAsync(id, 5, "lighthouse");
        await Store.SaveTurnVectorsAsync([(turns[0].Id, VectorCodec.Encode([1f]))], None);
        await Store.SetPersonNameAsync(id, "Theodore", None);
        var keptTurn = await Store.AppendTurnAsync(Samples.Turn("The lighthouse garden is blooming.", kept), None);

        Assert.True(await Store.ForgetCompanionAsync(id, None));

        Assert.Null(await Store.FindCompanionAsync(id, None));
        Assert.DoesNotContain(await Store.ListCompanionsAsync(None), c => c.CompanionId == id);
        Assert.Empty(await Store.GetWholeHistoryAsync(id, None));
        Assert.Empty(await Store.LoadTurnVectorsAsync(id, None));
        Assert.Empty(await Store.GetTurnsAsync(id, [.. turns.Select(t => t.Id)], None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.GetRelationshipAsync(id, None));
        Assert.False(await Store.ForgetCompanionAsync(id, None));

        Assert.Equal([keptTurn], await Store.GetWholeHistoryAsync(kept, None));
        Assert.Equal(1, (await Store.GetRelationshipAsync(kept, None)).TurnCount);

        var reborn = await Store.CreateCompanionAsync(Samples.Identity(id, "Sparrow"), None);
        Assert.Equal("Sparrow", reborn.Name);
        Assert.Equal(new Relationship(id, null, Samples.WokeAt, 0, null), await Store.GetRelationshipAsync(id, None));
    }

    [Fact]
    public async Task ForgettingAnUnknownCompanionChangesNothing()
    {
        var id = await WakeAsync();
        await AppendManyAsync(id, 3);

        Assert.False(await Store.ForgetCompanionAsync(Id("nobody"), None));

        Assert.Equal(3, (await Store.GetRelationshipAsync(id, None)).TurnCount);
    }
}
