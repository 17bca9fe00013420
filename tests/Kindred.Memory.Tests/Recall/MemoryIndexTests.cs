using Kindred.Core;
using Kindred.Memory.Recall;

namespace Kindred.Memory.Tests.Recall;

// Disposed through IAsyncLifetime.DisposeAsync, which xunit always calls.
#pragma warning disable CA1001
public sealed class MemoryIndexTests : IAsyncLifetime
#pragma warning restore CA1001
{
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

    [Fact]
    public async Task A_planted_fact_ranks_first_among_ten_thousand_distractors()
    {
        await Corpus.AppendDistractorsAsync(_store, "c1", 10_000);
        var planted = await _store.AppendTurnAsync(Samples.Turn("My sister Amelia moved to Lisbon in June"), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);

        var hits = await _memory.SearchAsync("c1", "where did Amelia move?", 5, DateTimeOffset.MaxValue, CancellationToken.None);

        Assert.Equal(planted.Id, hits[0].Turn.Id);
        Assert.Contains("words", hits[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Meaning_finds_a_turn_that_shares_no_words_with_the_question_and_survives_a_restart()
    {
        var dog = await _store.AppendTurnAsync(Samples.Turn("We adopted a dog"), CancellationToken.None);
        await _store.AppendTurnAsync(Samples.Turn("The weather was grey all week"), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);

        // A fresh index over the same store loads the vectors that were saved.
        using var reopened = new MemoryIndex(_store, _embedder);
        var hits = await reopened.SearchAsync("c1", "puppy", 1, DateTimeOffset.MaxValue, CancellationToken.None);

        Assert.Equal(dog.Id, hits.Single().Turn.Id);
        Assert.StartsWith("close in meaning", hits[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turns_said_after_the_moment_asked_about_are_not_recalled()
    {
        var before = await _store.AppendTurnAsync(Samples.Turn("I started piano lessons", at: Samples.WokeAt.AddDays(1)), CancellationToken.None);
        await _store.AppendTurnAsync(Samples.Turn("I quit piano lessons", at: Samples.WokeAt.AddDays(30)), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);

        var hits = await _memory.SearchAsync("c1", "piano lessons", 10, Samples.WokeAt.AddDays(2), CancellationToken.None);

        Assert.Equal([before.Id], hits.Select(h => h.Turn.Id));
    }

    [Fact]
    public async Task A_forgotten_turn_is_found_neither_by_words_nor_by_meaning()
    {
        var secret = await _store.AppendTurnAsync(Samples.Turn("my dog Rex bit the mailman"), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);

        Assert.True(await _memory.ForgetTurnAsync("c1", secret.Id, CancellationToken.None));

        Assert.Empty(await _memory.SearchAsync("c1", "Rex mailman", 10, DateTimeOffset.MaxValue, CancellationToken.None));
        Assert.Empty(await _memory.SearchAsync("c1", "puppy", 10, DateTimeOffset.MaxValue, CancellationToken.None));
        using var reopened = new MemoryIndex(_store, _embedder);
        Assert.Empty(await reopened.SearchAsync("c1", "puppy", 10, DateTimeOffset.MaxValue, CancellationToken.None));
    }

    [Fact]
    public async Task A_turn_stored_after_the_index_loaded_is_found_by_its_words_at_once()
    {
        await _store.AppendTurnAsync(Samples.Turn("the weather was grey"), CancellationToken.None);
        Assert.Empty(await _memory.SearchAsync("c1", "lighthouse", 10, DateTimeOffset.MaxValue, CancellationToken.None));

        // Stored by another writer, not embedded yet: full text must still find it.
        var later = await _store.AppendTurnAsync(Samples.Turn("we climbed the lighthouse"), CancellationToken.None);
        var hits = await _memory.SearchAsync("c1", "lighthouse", 10, DateTimeOffset.MaxValue, CancellationToken.None);

        Assert.Equal(later.Id, hits[0].Turn.Id);
        Assert.Contains("words", hits[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_turn_deleted_through_the_store_directly_is_never_returned()
    {
        var first = await _store.AppendTurnAsync(Samples.Turn("my dog Rex bit the mailman"), CancellationToken.None);
        var second = await _store.AppendTurnAsync(Samples.Turn("Rex is a good dog really"), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);
        Assert.Equal(2, (await _memory.SearchAsync("c1", "Rex", 10, DateTimeOffset.MaxValue, CancellationToken.None)).Count);

        Assert.True(await _store.ForgetTurnAsync("c1", first.Id, CancellationToken.None));

        var hits = await _memory.SearchAsync("c1", "Rex mailman", 10, DateTimeOffset.MaxValue, CancellationToken.None);
        Assert.Equal([second.Id], hits.Select(h => h.Turn.Id));
        Assert.All(hits, h => Assert.DoesNotContain(h.Context, t => t.Id == first.Id));
        _memory.Unload("c1");
        Assert.Equal([second.Id], (await _memory.SearchAsync("c1", "Rex mailman", 10, DateTimeOffset.MaxValue, CancellationToken.None)).Select(h => h.Turn.Id));
    }

    [Fact]
    public async Task What_an_owner_remembers_is_found_by_meaning_through_the_shared_index_already_loaded()
    {
        await _store.AppendTurnAsync(Samples.Turn("The weather was grey all week"), CancellationToken.None);
        Assert.Empty(await _memory.SearchAsync("c1", "puppy", 1, DateTimeOffset.MaxValue, CancellationToken.None));

        using var owned = _memory.Open("c1");
        var dog = await _store.AppendTurnAsync(Samples.Turn("We adopted a dog"), CancellationToken.None);
        await owned.RememberAsync([dog], CancellationToken.None);

        var hits = await _memory.SearchAsync("c1", "puppy", 1, DateTimeOffset.MaxValue, CancellationToken.None);
        Assert.Equal(dog.Id, hits.Single().Turn.Id);
        Assert.StartsWith("close in meaning", hits[0].Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_the_shared_index_embeds_is_found_by_meaning_through_an_owners_memory_already_loaded()
    {
        await _store.AppendTurnAsync(Samples.Turn("The weather was grey all week"), CancellationToken.None);
        using var owned = _memory.Open("c1");
        Assert.Empty(await owned.SearchAsync("puppy", 1, DateTimeOffset.MaxValue, CancellationToken.None));

        var dog = await _store.AppendTurnAsync(Samples.Turn("We adopted a dog"), CancellationToken.None);
        Assert.Equal(2, await _memory.IndexPendingAsync("c1", CancellationToken.None));

        var hits = await owned.SearchAsync("puppy", 1, DateTimeOffset.MaxValue, CancellationToken.None);
        Assert.Equal(dog.Id, hits.Single().Turn.Id);
    }

    [Fact]
    public async Task Another_companions_memories_are_never_returned()
    {
        await _store.CreateCompanionAsync(Samples.Identity("c2", "Ada"), CancellationToken.None);
        await _store.AppendTurnAsync(Samples.Turn("my dog Rex", companionId: "c2"), CancellationToken.None);
        await _memory.IndexPendingAsync("c2", CancellationToken.None);

        Assert.Empty(await _memory.SearchAsync("c1", "dog Rex", 10, DateTimeOffset.MaxValue, CancellationToken.None));
    }

    [Fact]
    public async Task Hybrid_recall_brings_back_older_turns_but_not_those_already_in_the_recent_conversation()
    {
        var old = await _store.AppendTurnAsync(Samples.Turn("My grandmother's name was Rosa"), CancellationToken.None);
        for (var i = 0; i < 6; i++)
        {
            await _store.AppendTurnAsync(Samples.Turn($"small talk number {i} about Rosa's garden"), CancellationToken.None);
        }

        var current = await _store.AppendTurnAsync(Samples.Turn("What was my grandmother called?"), CancellationToken.None);
        var recall = new HybridRecall(_store, _memory, recentTurns: 6, memories: 3);

        var result = await recall.RecallAsync(new RecallRequest("c1", current.Text, current.Id, DateTimeOffset.MaxValue), CancellationToken.None);

        Assert.Equal(6, result.RecentTurns.Count);
        Assert.DoesNotContain(result.RecentTurns, t => t.Id == current.Id);
        var memory = Assert.Single(result.Memories, m => m.Text.Contains("Rosa", StringComparison.Ordinal) && m.Text.Contains("grandmother", StringComparison.Ordinal));
        Assert.Equal(1.0, result.Memories[0].Score);
        Assert.Equal(old.At, memory.At);
        Assert.StartsWith("They said:", memory.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pending_turns_can_be_indexed_a_bounded_number_at_a_time()
    {
        await Corpus.AppendDistractorsAsync(_store, "c1", 100);

        Assert.Equal(10, await _memory.IndexPendingAsync("c1", CancellationToken.None, maxTurns: 10));
        Assert.Equal(90, await _memory.IndexPendingAsync("c1", CancellationToken.None));
        Assert.Equal(0, await _memory.IndexPendingAsync("c1", CancellationToken.None));
    }

    [Fact]
    public async Task A_time_the_question_names_favours_what_was_said_then()
    {
        var june = await _store.AppendTurnAsync(Samples.Turn("We went camping by the lake", at: new DateTimeOffset(2025, 6, 20, 10, 0, 0, TimeSpan.Zero)), CancellationToken.None);
        var august = await _store.AppendTurnAsync(Samples.Turn("We went camping by the lake", at: new DateTimeOffset(2025, 8, 20, 10, 0, 0, TimeSpan.Zero)), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);
        var now = new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero);

        var inJune = await _memory.SearchAsync("c1", "Where did we go camping in June?", 2, now, CancellationToken.None);
        var unnamed = await _memory.SearchAsync("c1", "Where did we go camping?", 2, now, CancellationToken.None);

        Assert.Equal(june.Id, inJune[0].Turn.Id);
        Assert.Contains("in June", inJune[0].Why, StringComparison.Ordinal);
        Assert.Equal(august.Id, unnamed[0].Turn.Id);
    }

    [Fact]
    public async Task A_time_filter_returns_only_turns_said_within_it()
    {
        var june = await _store.AppendTurnAsync(Samples.Turn("We went camping by the lake", at: new DateTimeOffset(2025, 6, 20, 10, 0, 0, TimeSpan.Zero)), CancellationToken.None);
        await _store.AppendTurnAsync(Samples.Turn("We went camping by the lake again", at: new DateTimeOffset(2025, 8, 20, 10, 0, 0, TimeSpan.Zero)), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);
        var window = TimeExpressions.Find("in June", new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero))!;

        var hits = await _memory.SearchAsync("c1", "camping", null, 10, DateTimeOffset.MaxValue, window, CancellationToken.None);

        Assert.Equal([june.Id], hits.Select(h => h.Turn.Id));
    }

    [Fact]
    public async Task A_hit_comes_with_the_turns_around_it_from_its_own_session_only()
    {
        await _store.AppendTurnAsync(Samples.Turn("Another day, another session", sessionId: "s0"), CancellationToken.None);
        var question = await _store.AppendTurnAsync(Samples.Turn("How was the concert?", speaker: Speaker.Companion, sessionId: "s1"), CancellationToken.None);
        var answer = await _store.AppendTurnAsync(Samples.Turn("Loud! Mitski played every song I hoped for", sessionId: "s1"), CancellationToken.None);
        var after = await _store.AppendTurnAsync(Samples.Turn("That sounds wonderful", speaker: Speaker.Companion, sessionId: "s1"), CancellationToken.None);
        await _store.AppendTurnAsync(Samples.Turn("Something else entirely", sessionId: "s2"), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);

        var hits = await _memory.SearchAsync("c1", "Mitski", 1, DateTimeOffset.MaxValue, CancellationToken.None);

        Assert.Equal(answer.Id, hits[0].Turn.Id);
        Assert.Equal([question.Id, after.Id], hits[0].Context.Select(t => t.Id));
    }

    [Fact]
    public async Task The_reply_to_a_matching_question_shares_its_score()
    {
        // Both candidates share one word with the question; the answer is also the reply to a turn that matches well.
        var distractor = await _store.AppendTurnAsync(Samples.Turn("I went to the shop for milk", sessionId: "s0"), CancellationToken.None);
        await _store.AppendTurnAsync(Samples.Turn("What instrument did you pick up?", speaker: Speaker.Companion), CancellationToken.None);
        var answer = await _store.AppendTurnAsync(Samples.Turn("The cello, from the shop"), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);

        var hits = await _memory.SearchAsync("c1", "which instrument did I pick up at the shop?", 5, DateTimeOffset.MaxValue, CancellationToken.None);

        var ids = hits.Select(h => h.Turn.Id).ToList();
        Assert.True(ids.IndexOf(answer.Id) < ids.IndexOf(distractor.Id));
        Assert.Contains("next to a turn that matches", hits.Single(h => h.Turn.Id == answer.Id).Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turns_said_by_the_one_the_question_names_rank_higher()
    {
        await _store.SetPersonNameAsync("c1", "Jo", CancellationToken.None);
        await _store.AppendTurnAsync(Samples.Turn("I love hiking in the hills", speaker: Speaker.Companion), CancellationToken.None);
        var jo = await _store.AppendTurnAsync(Samples.Turn("I love hiking in the hills"), CancellationToken.None);
        await _memory.IndexPendingAsync("c1", CancellationToken.None);

        var hits = await _memory.SearchAsync("c1", "Does Jo love hiking?", 2, DateTimeOffset.MaxValue, CancellationToken.None);

        Assert.Equal(jo.Id, hits[0].Turn.Id);
        Assert.Contains("said by Jo", hits[0].Why, StringComparison.Ordinal);
    }
}
