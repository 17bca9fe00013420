using Kindred.Core.Tests.TestSupport;

namespace Kindred.Core.Tests;

public sealed class RecentTurnsRecallTests
{
    [Fact]
    public async Task It_offers_the_latest_turns_oldest_first_without_the_one_being_answered()
    {
        // Given a companion with six stored turns, the last being the person's turn now being answered
        await using var world = await CompanionWorld.CreateAsync();
        await world.WakeNamedAsync();
        var stored = new List<StoredTurn>();
        for (var i = 1; i <= 5; i++)
        {
            stored.Add(await world.Store.AppendTurnAsync(
                new NewTurn(CompanionWorld.CompanionId, CompanionWorld.SessionId, i % 2 == 1 ? Speaker.Person : Speaker.Companion, $"turn {i}", world.Time.GetUtcNow()),
                CancellationToken.None));
        }

        var current = stored[^1];
        var recall = new RecentTurnsRecall(world.Store, maxTurns: 3);

        // When recalling for it
        var result = await recall.RecallAsync(new RecallRequest(CompanionWorld.CompanionId, current.Text, current.Id, world.Time.GetUtcNow()), CancellationToken.None);

        // Then the three turns before it come back, oldest first, and no memories
        Assert.Equal(["turn 2", "turn 3", "turn 4"], result.RecentTurns.Select(t => t.Text));
        Assert.Empty(result.Memories);
    }

    [Fact]
    public async Task A_companion_with_only_its_greeting_recalls_the_greeting()
    {
        await using var world = await CompanionWorld.CreateAsync();
        await world.WakeNamedAsync();
        var recall = new RecentTurnsRecall(world.Store);

        var result = await recall.RecallAsync(new RecallRequest(CompanionWorld.CompanionId, "hi", CurrentTurnId: long.MaxValue, world.Time.GetUtcNow()), CancellationToken.None);

        var greeting = Assert.Single(result.RecentTurns);
        Assert.Equal(Speaker.Companion, greeting.Speaker);
    }

    [Fact]
    public async Task At_least_one_turn_must_be_recalled()
    {
        await using var world = await CompanionWorld.CreateAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => new RecentTurnsRecall(world.Store, maxTurns: 0));
    }
}
