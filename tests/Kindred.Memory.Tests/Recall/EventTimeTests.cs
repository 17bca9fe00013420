using Kindred.Core;
using Kindred.Memory.Recall;

namespace Kindred.Memory.Tests.Recall;

// Disposed through IAsyncLifetime.DisposeAsync, which xunit always calls.
#pragma warning disable CA1001
public sealed class EventTimeTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly DateTimeOffset Now = new(2025, 6, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();
    private readonly WordEmbedder _embedder = new();
    private SqliteCompanionStore _store = null!;
    private MemoryIndex _memory = null!;

    public async Task InitializeAsync()
    {
        _store = await _database.OpenAsync();
        await _store.CreateCompanionAsync(Samples.Identity(), CancellationToken.None);
        _memory = new MemoryIndex(_store, _embedder);
    }

    public async Task DisposeAsync()
    {
        _memory.Dispose();
        await _store.DisposeAsync();
        _database.Dispose();
    }

    [Theory]
    [InlineData("What did I cook before the trip?", "trip", true)]
    [InlineData("how have I been since our wedding", "wedding", false)]
    [InlineData("Who did I see after my surgery, do you remember?", "surgery", false)]
    [InlineData("What was I reading before the trip to Spain?", "trip to Spain", true)]
    [InlineData("what did we plan until the move what happened", "move", true)]
    public void An_event_named_with_a_determiner_places_the_question_before_or_after_it(string question, string eventWords, bool before)
    {
        var reference = EventTime.Find(question, Now);

        Assert.NotNull(reference);
        Assert.Equal((eventWords, before), (reference.Event, reference.Before));
    }

    [Theory]
    [InlineData("What did I do before July?")]
    [InlineData("What happened after 2022?")]
    [InlineData("Shall we talk before lunch?")]
    [InlineData("What did I cook last week?")]
    [InlineData("I love the trip planning part.")]
    public void Dates_and_bare_words_are_not_events(string question) =>
        Assert.Null(EventTime.Find(question, Now));

    [Fact]
    public async Task Recall_before_an_event_keeps_only_what_was_said_before_the_turn_that_speaks_of_it()
    {
        var before = await Say("I went hiking in the Peak District with Sam.", days: -30);
        var trip = await Say("We fly out for the trip to Lisbon tomorrow!", days: -20);
        var after = await Say("I went hiking in the Alps last weekend.", days: -5);
        var recall = new HybridRecall(_store, _memory, recentTurns: 0);

        var asked = await Say("Where did I go hiking before the trip?", days: 0);
        var beforeTrip = await recall.RecallAsync(new RecallRequest("c1", asked.Text, asked.Id, Now), CancellationToken.None);
        var asked2 = await Say("Where did I go hiking after the trip?", days: 0);
        var afterTrip = await recall.RecallAsync(new RecallRequest("c1", asked2.Text, asked2.Id, Now), CancellationToken.None);

        Assert.Contains(beforeTrip.Memories, m => m.Text.Contains(before.Text, StringComparison.Ordinal));
        Assert.DoesNotContain(beforeTrip.Memories, m => m.Text.Contains(after.Text, StringComparison.Ordinal) || m.Text.Contains(trip.Text, StringComparison.Ordinal));
        Assert.Contains(afterTrip.Memories, m => m.Text.Contains(after.Text, StringComparison.Ordinal));
        Assert.DoesNotContain(afterTrip.Memories, m => m.Text.Contains(before.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_event_memory_does_not_hold_changes_nothing()
    {
        var hiking = await Say("I went hiking in the Peak District.", days: -30);
        var recall = new HybridRecall(_store, _memory, recentTurns: 0);

        var asked = await Say("Where did I go hiking before the wedding?", days: 0);
        var result = await recall.RecallAsync(new RecallRequest("c1", asked.Text, asked.Id, Now), CancellationToken.None);

        Assert.Contains(result.Memories, m => m.Text.Contains(hiking.Text, StringComparison.Ordinal));
    }

    private Task<StoredTurn> Say(string text, int days) =>
        _store.AppendTurnAsync(Samples.Turn(text, at: Now.AddDays(days)), CancellationToken.None);
}
