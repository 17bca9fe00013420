using Kindred.Core.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Kindred.Core.Tests;

public sealed class CompanionReplyTests
{
    private const string Session = CompanionWorld.SessionId;

    [Fact]
    public async Task The_persons_turn_is_stored_before_the_model_is_called()
    {
        // Given a model that looks in the store the moment it is asked
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        IReadOnlyList<StoredTurn>? storedWhenAsked = null;
        world.Chat.OnStreamingStarted = async ct => storedWhenAsked = await world.Store.GetRecentTurnsAsync(CompanionWorld.CompanionId, 10, ct);
        world.Chat.Says("Hello", " there.");

        // When the person speaks
        await companion.ReplyAsync("  Good evening  ", Session).CollectAsync();

        // Then their turn, trimmed, was already durable when the model started
        Assert.NotNull(storedWhenAsked);
        var last = storedWhenAsked[^1];
        Assert.Equal((Speaker.Person, "Good evening", TurnStatus.Complete), (last.Speaker, last.Text, last.Status));
    }

    [Fact]
    public async Task The_reply_is_streamed_chunk_by_chunk_and_stored_whole_when_done()
    {
        // Given a model that answers in chunks
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.Says("Hi", " Sam", "", ", good", " to meet you. ");
        var chunksProducedWhenRead = new List<int>();
        var received = new List<string>();
        var producedBefore = world.Chat.ChunksProduced;

        // When reading the reply
        await foreach (var chunk in companion.ReplyAsync("Hello, I'm Sam", Session))
        {
            received.Add(chunk);
            chunksProducedWhenRead.Add(world.Chat.ChunksProduced - producedBefore);
        }

        // Then each chunk reached the reader before the model produced the next one, empty ones skipped
        Assert.Equal(["Hi", " Sam", ", good", " to meet you. "], received);
        Assert.Equal([1, 2, 4, 5], chunksProducedWhenRead);

        // and the whole reply is stored, trimmed and complete, after the person's turn
        var history = await world.HistoryAsync();
        Assert.Equal(3, history.Count);
        Assert.Equal((Speaker.Person, "Hello, I'm Sam"), (history[1].Speaker, history[1].Text));
        Assert.Equal((Speaker.Companion, "Hi Sam, good to meet you.", TurnStatus.Complete), (history[2].Speaker, history[2].Text, history[2].Status));
        Assert.True(world.Chat.StreamClosed);
    }

    [Fact]
    public async Task Turns_are_stamped_with_the_companions_clock()
    {
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Time.Advance(TimeSpan.FromHours(2));
        world.Chat.Says("Evening!");

        await companion.ReplyAsync("Hi", Session).CollectAsync();

        var history = await world.HistoryAsync();
        Assert.All(history.Skip(1), t => Assert.Equal(world.Time.GetUtcNow(), t.At));
    }

    [Fact]
    public async Task The_prompt_carries_the_companions_name_the_persons_name_and_the_recent_turns()
    {
        // Given a companion that has greeted its person
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync("Nova");

        // When the person says their name, and then something else
        world.Chat.Says("Lovely to meet you, Sam.");
        await companion.ReplyAsync("My name is Sam", Session).CollectAsync();
        world.Chat.Says("Tell me about it.");
        await companion.ReplyAsync("I had a long day at work", Session).CollectAsync();

        // Then the first reply's prompt already knew the name it had just been told
        var first = world.Chat.Requests[1];
        Assert.True(first.Streaming);
        Assert.StartsWith("You are Nova.", first.SystemText, StringComparison.Ordinal);
        Assert.Contains("You are talking with Sam.", first.SystemText, StringComparison.Ordinal);

        // and the second reply's prompt has the whole conversation in order, ending with the person's new turn
        var second = world.Chat.Requests[2];
        Assert.Contains("You are Nova.", second.SystemText, StringComparison.Ordinal);
        Assert.Contains("You are talking with Sam.", second.SystemText, StringComparison.Ordinal);
        var conversation = second.Messages.Skip(1).Select(m => (m.Role, m.Text)).ToList();
        Assert.Equal(4, conversation.Count);
        Assert.Equal(ChatRole.Assistant, conversation[0].Role);
        Assert.Contains("Nova", conversation[0].Text, StringComparison.Ordinal);
        Assert.Equal((ChatRole.User, "My name is Sam"), conversation[1]);
        Assert.Equal((ChatRole.Assistant, "Lovely to meet you, Sam."), conversation[2]);
        Assert.Equal((ChatRole.User, "I had a long day at work"), conversation[3]);
        Assert.Equal("Sam", (await companion.GetRelationshipAsync(CancellationToken.None)).PersonName);
    }

    [Fact]
    public async Task A_bare_name_right_after_the_greeting_becomes_the_persons_name()
    {
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.Says("Hi Sam!");

        await companion.ReplyAsync("sam", Session).CollectAsync();

        Assert.Equal("Sam", (await companion.GetRelationshipAsync(CancellationToken.None)).PersonName);
        Assert.Contains("You are talking with Sam.", world.Chat.Requests[^1].SystemText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_word_when_the_companion_did_not_just_ask_is_not_taken_for_a_name()
    {
        // Given a companion whose last turn asked nothing
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.Says("Hi there.");
        await companion.ReplyAsync("hello", Session).CollectAsync();
        world.Chat.Says("Sunny indeed.");

        // When the person says a single word
        await companion.ReplyAsync("Sunny", Session).CollectAsync();

        // Then it is not their name
        Assert.Null((await companion.GetRelationshipAsync(CancellationToken.None)).PersonName);
    }

    [Fact]
    public async Task Once_the_name_is_known_a_later_introduction_does_not_replace_it()
    {
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.Says("Hi Sam.").Says("Ha, hello Batman.");

        await companion.ReplyAsync("My name is Sam", Session).CollectAsync();
        await companion.ReplyAsync("Call me Batman", Session).CollectAsync();

        Assert.Equal("Sam", (await companion.GetRelationshipAsync(CancellationToken.None)).PersonName);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stores_what_was_said_as_interrupted_and_rethrows()
    {
        // Given a model that says a little and then keeps generating until stopped
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.SaysThenHangs("I was", " thinking");
        using var cancellation = new CancellationTokenSource();
        var received = new List<string>();

        // When the reader cancels while the model is generating
        var reading = ReadAllAsync(companion.ReplyAsync("Tell me a story", Session, cancellation.Token), received);
        await world.Chat.Hanging;
        await cancellation.CancelAsync();

        // Then the reply is cancelled
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(["I was", " thinking"], received);

        // and both the person's turn and what was said so far are stored, the latter as interrupted
        var history = await world.HistoryAsync();
        Assert.Equal(3, history.Count);
        Assert.Equal((Speaker.Person, "Tell me a story", TurnStatus.Complete), (history[1].Speaker, history[1].Text, history[1].Status));
        Assert.Equal((Speaker.Companion, "I was thinking", TurnStatus.Interrupted), (history[2].Speaker, history[2].Text, history[2].Status));
        Assert.True(world.Chat.StreamClosed);
    }

    [Fact]
    public async Task Cancelling_between_chunks_stops_the_model_at_once()
    {
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.Says("One", " two", " three", " four");
        using var cancellation = new CancellationTokenSource();
        var producedBefore = world.Chat.ChunksProduced;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in companion.ReplyAsync("Count for me", Session).WithCancellation(cancellation.Token))
            {
                if (chunk == " two")
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        var last = (await world.HistoryAsync())[^1];
        Assert.Equal(("One two", TurnStatus.Interrupted), (last.Text, last.Status));
        Assert.Equal(2, world.Chat.ChunksProduced - producedBefore);
    }

    [Fact]
    public async Task Abandoning_the_stream_stores_what_was_said_as_interrupted()
    {
        // Given a model with a long answer
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.Says("Well,", " it", " all", " began", " long ago");

        // When the reader stops reading after the first chunk
        await foreach (var chunk in companion.ReplyAsync("How did it start?", Session))
        {
            break;
        }

        // Then generation stopped and the first chunk is stored as interrupted
        Assert.True(world.Chat.StreamClosed);
        var last = (await world.HistoryAsync())[^1];
        Assert.Equal((Speaker.Companion, "Well,", TurnStatus.Interrupted), (last.Speaker, last.Text, last.Status));
    }

    [Fact]
    public async Task A_model_that_fails_mid_stream_keeps_the_persons_turn_and_the_partial_reply()
    {
        // Given a model that fails after two chunks
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.SaysThenFails(new HttpRequestException("connection reset"), "Oh,", " I remember");

        // When the person speaks
        await Assert.ThrowsAsync<HttpRequestException>(() => companion.ReplyAsync("Do you remember my dog?", Session).CollectAsync());

        // Then nothing said is lost
        var history = await world.HistoryAsync();
        Assert.Equal(3, history.Count);
        Assert.Equal((Speaker.Person, "Do you remember my dog?"), (history[1].Speaker, history[1].Text));
        Assert.Equal((Speaker.Companion, "Oh, I remember", TurnStatus.Interrupted), (history[2].Speaker, history[2].Text, history[2].Status));
    }

    [Fact]
    public async Task A_model_that_fails_before_saying_anything_keeps_the_persons_turn_and_stores_no_reply()
    {
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.Fails(new HttpRequestException("model server is down"));

        await Assert.ThrowsAsync<HttpRequestException>(() => companion.ReplyAsync("Are you there?", Session).CollectAsync());

        var history = await world.HistoryAsync();
        Assert.Equal(2, history.Count);
        Assert.Equal((Speaker.Person, "Are you there?"), (history[1].Speaker, history[1].Text));
    }

    [Fact]
    public async Task An_interrupted_reply_is_shown_to_the_model_as_interrupted_next_time()
    {
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();
        world.Chat.Says("Once there was", " a fox").Says("Sorry, go ahead.");
        await foreach (var chunk in companion.ReplyAsync("Tell me a story", Session))
        {
            break;
        }

        await companion.ReplyAsync("Wait, one thing", Session).CollectAsync();

        Assert.Contains(world.Chat.Requests[^1].Messages, m => m.Role == ChatRole.Assistant && m.Text == "Once there was [you were interrupted here]");
    }

    [Fact]
    public async Task The_model_is_asked_with_the_sampling_options_of_the_companion()
    {
        // Given options that differ from the defaults
        await using var world = await CompanionWorld.CreateAsync();
        world.Options.MaxReplyTokens = 123;
        world.Options.Temperature = 0.3f;
        world.Options.TopP = 0.5f;
        var companion = await world.WakeNamedAsync();
        world.Chat.Says("Sure.");

        // When it replies
        await companion.ReplyAsync("Hi", Session).CollectAsync();

        // Then the model got them
        var options = world.Chat.Requests[^1].Options;
        Assert.NotNull(options);
        Assert.Equal(123, options.MaxOutputTokens);
        Assert.Equal(0.3f, options.Temperature);
        Assert.Equal(0.5f, options.TopP);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Saying_nothing_is_refused_and_stores_nothing(string text)
    {
        await using var world = await CompanionWorld.CreateAsync();
        var companion = await world.WakeNamedAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => companion.ReplyAsync(text, Session).CollectAsync());

        Assert.Single(await world.HistoryAsync());
        Assert.Single(world.Chat.Requests);
    }

    private static async Task ReadAllAsync(IAsyncEnumerable<string> stream, List<string> into)
    {
        await foreach (var chunk in stream)
        {
            into.Add(chunk);
        }
    }
}
