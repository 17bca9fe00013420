using Kindred.Core;

namespace Kindred.Memory.Tests;

public sealed class CompanionTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ACreatedCompanionIsFoundWithEverythingItWasGiven()
    {
        await using var store = await _db.OpenAsync();
        var identity = Samples.Identity();

        var created = await store.CreateCompanionAsync(identity, None);
        var found = await store.FindCompanionAsync("c1", None);

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
    public async Task ACompanionThatNeverWokeIsNotFound()
    {
        await using var store = await _db.OpenAsync();

        Assert.Null(await store.FindCompanionAsync("nobody", None));
    }

    [Fact]
    public async Task CreatingACompanionTwiceKeepsTheFirstName()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(name: "Wren"), None);

        var second = await store.CreateCompanionAsync(Samples.Identity(name: "Sparrow"), None);

        Assert.Equal("Wren", second.Name);
        Assert.Equal("Wren", (await store.FindCompanionAsync("c1", None))!.Name);
        Assert.Single(await store.ListCompanionsAsync(None));
    }

    [Fact]
    public async Task CompanionsAreListedOldestFirst()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity("late", wokeAt: Samples.WokeAt.AddDays(2)), None);
        await store.CreateCompanionAsync(Samples.Identity("early", wokeAt: Samples.WokeAt), None);
        await store.CreateCompanionAsync(Samples.Identity("middle", wokeAt: Samples.WokeAt.AddDays(1)), None);

        var listed = await store.ListCompanionsAsync(None);

        Assert.Equal(["early", "middle", "late"], listed.Select(c => c.CompanionId));
    }

    [Fact]
    public async Task ANewRelationshipHasMetAtWakeAndNoTurnsOrName()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);

        var relationship = await store.GetRelationshipAsync("c1", None);

        Assert.Equal(new Relationship("c1", null, Samples.WokeAt, 0, null), relationship);
    }

    [Fact]
    public async Task TheRelationshipCountsTurnsAndKnowsTheNameAndTheLatestTurnTime()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);
        var latest = Samples.WokeAt.AddHours(5);
        await store.AppendTurnAsync(Samples.Turn("hi", at: Samples.WokeAt.AddHours(1)), None);
        await store.AppendTurnAsync(Samples.Turn("hello!", speaker: Speaker.Companion, at: latest), None);
        await store.AppendTurnAsync(Samples.Turn("late echo", at: Samples.WokeAt.AddHours(2)), None);

        await store.SetPersonNameAsync("c1", "Theodore", None);
        var relationship = await store.GetRelationshipAsync("c1", None);

        Assert.Equal(new Relationship("c1", "Theodore", Samples.WokeAt, 3, latest), relationship);
    }

    [Fact]
    public async Task TellingTheNameAgainReplacesIt()
    {
        await using var store = await _db.OpenAsync();
        await store.CreateCompanionAsync(Samples.Identity(), None);

        await store.SetPersonNameAsync("c1", "Ted", None);
        await store.SetPersonNameAsync("c1", "Theodore", None);

        Assert.Equal("Theodore", (await store.GetRelationshipAsync("c1", None)).PersonName);
    }

    [Fact]
    public async Task AnUnknownCompanionIsReportedByIdForRelationshipNameAndTurns()
    {
        await using var store = await _db.OpenAsync();

        var errors = new[]
        {
            await Assert.ThrowsAsync<KeyNotFoundException>(() => store.GetRelationshipAsync("ghost", None)),
            await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SetPersonNameAsync("ghost", "Theodore", None)),
            await Assert.ThrowsAsync<KeyNotFoundException>(() => store.AppendTurnAsync(Samples.Turn("hi", companionId: "ghost"), None)),
        };

        Assert.All(errors, error => Assert.Contains("'ghost'", error.Message, StringComparison.Ordinal));
        Assert.Empty(await store.GetRecentTurnsAsync("ghost", 10, None));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task AMissingCompanionIdIsRejected(string? id)
    {
        await using var store = await _db.OpenAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.FindCompanionAsync(id!, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetRelationshipAsync(id!, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SetPersonNameAsync(id!, "Theodore", None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetRecentTurnsAsync(id!, 1, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetHistoryAsync(id!, 0, 1, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateCompanionAsync(Samples.Identity(id!), None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendTurnAsync(Samples.Turn("hi", companionId: id!), None));
    }

    [Fact]
    public async Task InvalidIdentitiesAndNamesAreRejected()
    {
        await using var store = await _db.OpenAsync();
        var identity = Samples.Identity();

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.CreateCompanionAsync(null!, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateCompanionAsync(identity with { Name = "" }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateCompanionAsync(identity with { Persona = null! }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateCompanionAsync(identity with { Traits = null! }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateCompanionAsync(identity with { Traits = ["ok", null!] }, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SetPersonNameAsync("c1", "", None));
        Assert.Empty(await store.ListCompanionsAsync(None));
    }
}
