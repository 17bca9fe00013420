using Kindred.Core.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Kindred.Core.Tests;

public sealed class CompanionWakeTests
{
    [Fact]
    public async Task On_first_wake_the_companion_asks_the_model_for_a_name_and_greets_the_person()
    {
        // Given a model that proposes a sane name
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says("Nova");

        // When the companion wakes for the first time
        var awakening = await world.WakeAsync();

        // Then the model was asked once for a name
        var request = Assert.Single(world.Chat.Requests);
        Assert.False(request.Streaming);
        Assert.Contains(request.Messages, m => m.Role == ChatRole.User && m.Text.Contains("name", StringComparison.OrdinalIgnoreCase));

        // and the companion took it, and greeted the person by asking their name
        Assert.True(awakening.FirstWake);
        Assert.Equal("Nova", awakening.Companion.Identity.Name);
        Assert.NotNull(awakening.Greeting);
        Assert.Contains("Nova", awakening.Greeting, StringComparison.Ordinal);
        Assert.EndsWith("What's your name?", awakening.Greeting, StringComparison.Ordinal);

        // and both the identity and the greeting are in the store
        var stored = await world.Store.FindCompanionAsync(CompanionWorld.CompanionId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("Nova", stored.Name);
        Assert.Equal(world.Options.DefaultPersona, stored.Persona);
        Assert.Equal(world.Options.DefaultTraits, stored.Traits);
        Assert.Equal(world.Time.GetUtcNow(), stored.WokeAt);
        var greeting = Assert.Single(await world.HistoryAsync());
        Assert.Equal((Speaker.Companion, awakening.Greeting, TurnStatus.Complete, CompanionWorld.SessionId), (greeting.Speaker, greeting.Text, greeting.Status, greeting.SessionId));
    }

    [Theory]
    [InlineData("Once upon a time there was a little robot")]
    [InlineData("I")]
    [InlineData("")]
    [InlineData("12345")]
    public async Task A_nonsense_proposal_gives_the_deterministic_fallback_name(string proposal)
    {
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Says(proposal);

        var awakening = await world.WakeAsync();

        Assert.True(awakening.FirstWake);
        Assert.Equal(CompanionName.Fallback(CompanionWorld.CompanionId), awakening.Companion.Identity.Name);
        Assert.Single(await world.HistoryAsync());
    }

    [Fact]
    public async Task A_model_that_fails_cannot_keep_the_companion_from_waking()
    {
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Fails(new HttpRequestException("model server is down"));

        var awakening = await world.WakeAsync();

        Assert.True(awakening.FirstWake);
        Assert.Equal(CompanionName.Fallback(CompanionWorld.CompanionId), awakening.Companion.Identity.Name);
        Assert.NotNull(awakening.Greeting);
        Assert.Single(await world.HistoryAsync());
    }

    [Fact]
    public async Task A_model_that_times_out_on_its_own_cannot_keep_the_companion_from_waking()
    {
        // Given a model client whose own timeout fires (HttpClient reports that as a TaskCanceledException)
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.Fails(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout."));

        // When waking with a token nobody cancelled
        var awakening = await world.WakeAsync();

        // Then it still wakes, with the fallback name
        Assert.True(awakening.FirstWake);
        Assert.Equal(CompanionName.Fallback(CompanionWorld.CompanionId), awakening.Companion.Identity.Name);
    }

    [Fact]
    public async Task Cancelling_the_first_wake_while_the_model_thinks_stores_nothing()
    {
        // Given a model that hangs while choosing a name
        await using var world = await CompanionWorld.CreateAsync();
        world.Chat.SaysThenHangs("Nova");
        using var cancellation = new CancellationTokenSource();

        // When the wake is cancelled while it waits
        var waking = world.WakeAsync(cancellationToken: cancellation.Token);
        await world.Chat.Hanging;
        await cancellation.CancelAsync();

        // Then the wake is cancelled and the companion is not born
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waking);
        Assert.Null(await world.Store.FindCompanionAsync(CompanionWorld.CompanionId, CancellationToken.None));
    }

    [Fact]
    public async Task A_second_wake_keeps_the_name_and_does_not_ask_the_model_again()
    {
        // Given a companion that woke once
        await using var world = await CompanionWorld.CreateAsync();
        var first = await world.WakeNamedAsync("Iris");
        world.Time.Advance(TimeSpan.FromDays(1));

        // When it wakes again with the same id
        var second = await world.WakeAsync();

        // Then it is the same companion, not newly born, and the model was asked nothing more
        Assert.False(second.FirstWake);
        Assert.Null(second.Greeting);
        Assert.Equal(first.Identity.Name, second.Companion.Identity.Name);
        Assert.Equal(first.Identity.WokeAt, second.Companion.Identity.WokeAt);
        Assert.Single(world.Chat.Requests);
        Assert.Single(await world.HistoryAsync());
    }

    [Fact]
    public async Task After_a_restart_the_companion_keeps_its_name_and_its_history()
    {
        // Given a companion that woke and talked, in a store that is then closed and reopened
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync("Juniper");
        world.Chat.Says("Lovely to meet you, Sam.");
        await companion.ReplyAsync("My name is Sam", CompanionWorld.SessionId).CollectAsync();
        await world.RestartAsync();

        // When it wakes in the restarted process
        var awakening = await world.WakeAsync();

        // Then it is who it was, remembers everything, and asked the model nothing new
        Assert.False(awakening.FirstWake);
        Assert.Equal("Juniper", awakening.Companion.Identity.Name);
        Assert.Equal(2, world.Chat.Requests.Count);
        var history = await world.HistoryAsync();
        Assert.Equal(3, history.Count);
        Assert.Contains("Juniper", history[0].Text, StringComparison.Ordinal);
        Assert.Equal(["My name is Sam", "Lovely to meet you, Sam."], history.Skip(1).Select(t => t.Text));
        Assert.Equal("Sam", (await awakening.Companion.GetRelationshipAsync(CancellationToken.None)).PersonName);

        // and its next prompt carries the conversation from before the restart
        world.Chat.Says("Welcome back.");
        await awakening.Companion.ReplyAsync("I'm back", CompanionWorld.SessionId).CollectAsync();
        var texts = world.Chat.Requests[^1].Messages.Select(m => m.Text).ToList();
        Assert.Contains("My name is Sam", texts);
        Assert.Contains("Lovely to meet you, Sam.", texts);
    }

    [Fact]
    public async Task Companions_with_different_ids_are_woken_separately()
    {
        await using var world = await CompanionWorld.CreateAsync();

        var nova = await world.WakeNamedAsync("Nova", "companion-a");
        var wren = await world.WakeNamedAsync("Wren", "companion-b");

        Assert.Equal("Nova", nova.Identity.Name);
        Assert.Equal("Wren", wren.Identity.Name);
        Assert.Single(await world.HistoryAsync("companion-a"));
        Assert.Single(await world.HistoryAsync("companion-b"));
    }

    [Fact]
    public async Task Invalid_options_are_refused_before_the_model_is_asked()
    {
        await using var world = await CompanionWorld.CreateAsync();
        world.Options.Temperature = 5;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => world.WakeAsync());

        Assert.Contains("Temperature", error.Message, StringComparison.Ordinal);
        Assert.Empty(world.Chat.Requests);
    }
}
