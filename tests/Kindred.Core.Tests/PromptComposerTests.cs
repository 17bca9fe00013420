using Kindred.Core.Tests.TestSupport;
using Microsoft.Extensions.AI;
using static Kindred.Core.Tests.TestSupport.Samples;

namespace Kindred.Core.Tests;

public sealed class PromptComposerTests
{
    private const string PersonTurn = "How was your day?";

    // Ten turns: eight older ones of 30 words, then the latest exchange of three words each. Four memories of 30 words,
    // given out of score order. The sizes make each stage of dropping visible on its own.
    private static readonly StoredTurn[] Conversation =
    [
        .. Enumerable.Range(1, 8).Select(i => Turn(i, i % 2 == 1 ? Speaker.Person : Speaker.Companion, Words($"t{i}w", 30))),
        Turn(9, Speaker.Person, "I went running"),
        Turn(10, Speaker.Companion, "That sounds lovely!"),
    ];

    private static readonly RecalledMemory[] Memories =
    [
        Remembered(Words("strong", 30), 0.9),
        Remembered(Words("weakest", 30), 0.2),
        Remembered(Words("good", 30), 0.6),
        Remembered(Words("weak", 30), 0.4),
    ];

    private static readonly string[] MemoriesBestFirst = ["strong0", "good0", "weak0", "weakest0"];

    [Fact]
    public void When_everything_fits_every_turn_memory_and_the_relationship_is_kept_in_order()
    {
        // Given a roomy context
        var composer = new PromptComposer(new FakeTokenCounter(contextLength: 8192), replyReserveTokens: 512);

        // When composing
        var prompt = composer.Compose(Inputs(Conversation, Memories, PersonTurn));

        // Then the system message comes first with persona, relationship and memories (best first)
        Assert.Equal(0, prompt.DroppedTurns);
        Assert.Equal(0, prompt.DroppedMemories);
        Assert.False(prompt.PersonTurnTruncated);
        var system = prompt.Messages[0];
        Assert.Equal(ChatRole.System, system.Role);
        Assert.StartsWith("You are Nova. A warm companion. You are curious.", system.Text, StringComparison.Ordinal);
        Assert.Contains("You are talking with Sam.", system.Text, StringComparison.Ordinal);
        Assert.Contains("Things you remember:", system.Text, StringComparison.Ordinal);
        var memoryPositions = MemoriesBestFirst.Select(m => system.Text.IndexOf(m, StringComparison.Ordinal)).ToList();
        Assert.All(memoryPositions, p => Assert.True(p > 0));
        Assert.Equal(memoryPositions.Order(), memoryPositions);

        // and the turns follow in chronological order with their roles, the person's new turn last
        Assert.Equal(Conversation.Length + 2, prompt.Messages.Count);
        for (var i = 0; i < Conversation.Length; i++)
        {
            Assert.Equal(Conversation[i].Text, prompt.Messages[i + 1].Text);
            Assert.Equal(Conversation[i].Speaker == Speaker.Person ? ChatRole.User : ChatRole.Assistant, prompt.Messages[i + 1].Role);
        }

        Assert.Equal(ChatRole.User, prompt.Messages[^1].Role);
        Assert.Equal(PersonTurn, prompt.Messages[^1].Text);
    }

    [Fact]
    public void Turns_are_put_in_the_order_they_were_said_whatever_order_they_arrive_in()
    {
        var composer = new PromptComposer(new FakeTokenCounter(), replyReserveTokens: 0);

        var prompt = composer.Compose(Inputs([.. Conversation.Reverse()]));

        Assert.Equal(Conversation.Select(t => t.Text), prompt.Messages.Skip(1).SkipLast(1).Select(m => m.Text));
    }

    [Theory]
    [InlineData(TokenCounting.PerWord)]
    [InlineData(TokenCounting.PerFourCharacters)]
    public void PromptTokens_covers_every_token_of_every_message_the_model_will_see(TokenCounting counting)
    {
        var counter = new FakeTokenCounter(4096, counting);
        var prompt = new PromptComposer(counter, 0).Compose(Inputs(Conversation, Memories, PersonTurn));

        Assert.True(Measured(prompt, counter) <= prompt.PromptTokens, $"measured {Measured(prompt, counter)}, reported {prompt.PromptTokens}");
        if (counting == TokenCounting.PerWord)
        {
            // Word counts add up exactly, so the report is exact too.
            Assert.Equal(Measured(prompt, counter), prompt.PromptTokens);
        }
    }

    [Fact]
    public void A_budget_one_token_short_of_everything_drops_only_the_oldest_turn()
    {
        // Given a context one token smaller than the whole prompt
        var full = PromptTokensFor(Inputs(Conversation, Memories, PersonTurn));
        var composer = new PromptComposer(new FakeTokenCounter(full - 1), replyReserveTokens: 0);

        // When composing
        var prompt = composer.Compose(Inputs(Conversation, Memories, PersonTurn));

        // Then only the oldest turn is gone
        Assert.Equal(1, prompt.DroppedTurns);
        Assert.Equal(0, prompt.DroppedMemories);
        Assert.Equal(Conversation.Skip(1).Select(t => t.Id), KeptTurnIds(prompt));
        Assert.Contains("You are talking with Sam.", prompt.Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void All_older_turns_go_before_the_weakest_memory_does()
    {
        // Given a context just too small for the latest exchange, relationship and all four memories
        var latestExchange = Conversation[^2..];
        var withoutOlderTurns = PromptTokensFor(Inputs(latestExchange, Memories, PersonTurn));
        var composer = new PromptComposer(new FakeTokenCounter(withoutOlderTurns - 1), replyReserveTokens: 0);

        // When composing the whole conversation
        var prompt = composer.Compose(Inputs(Conversation, Memories, PersonTurn));

        // Then every older turn and the weakest memory are gone, and the rest stays
        Assert.Equal(latestExchange.Select(t => t.Id), KeptTurnIds(prompt));
        Assert.Equal(1, prompt.DroppedMemories);
        Assert.DoesNotContain("weakest0", prompt.Messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("strong0", prompt.Messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("You are talking with Sam.", prompt.Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_relationship_goes_before_the_latest_exchange_does()
    {
        // Given a context one token too small for the latest exchange plus the relationship
        var latestExchange = Conversation[^2..];
        var composer = new PromptComposer(new FakeTokenCounter(PromptTokensFor(Inputs(latestExchange, [], PersonTurn)) - 1), 0);

        // When composing everything
        var prompt = composer.Compose(Inputs(Conversation, Memories, PersonTurn));

        // Then the latest exchange is all that is left beside persona and the person's turn
        Assert.Equal(latestExchange.Select(t => t.Id), KeptTurnIds(prompt));
        Assert.Equal(Memories.Length, prompt.DroppedMemories);
        Assert.DoesNotContain("Sam", prompt.Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(PersonTurn, prompt.Messages[^1].Text);
    }

    [Fact]
    public void As_the_context_shrinks_pieces_are_dropped_least_valuable_first_and_the_latest_exchange_survives_longest()
    {
        var inputs = Inputs(Conversation, Memories, PersonTurn);
        var full = PromptTokensFor(inputs);
        var stagesSeen = new HashSet<string>();
        var threw = false;

        for (var context = full + 5; context >= 0 && !threw; context--)
        {
            var composer = new PromptComposer(new FakeTokenCounter(context), replyReserveTokens: 0);
            ComposedPrompt prompt;
            try
            {
                prompt = composer.Compose(inputs);
            }
            catch (InvalidOperationException)
            {
                threw = true;
                continue;
            }

            var system = prompt.Messages[0].Text;
            var turnIds = KeptTurnIds(prompt);
            var olderKept = turnIds.Count(id => id <= 8);
            var keptScores = Memories.Where(m => system.Contains(m.Text, StringComparison.Ordinal)).Select(m => m.Score).ToList();
            var relationshipKept = system.Contains("You are talking with Sam.", StringComparison.Ordinal);

            // The kept turns are always the most recent ones, with no hole in the conversation.
            Assert.Equal(Enumerable.Range(11 - turnIds.Count, turnIds.Count).Select(i => (long)i), turnIds);
            Assert.Equal(Conversation.Length - turnIds.Count, prompt.DroppedTurns);

            // The memories kept are always the strongest ones.
            Assert.Equal(Memories.Select(m => m.Score).OrderDescending().Take(keptScores.Count), keptScores.OrderDescending());
            Assert.Equal(Memories.Length - keptScores.Count, prompt.DroppedMemories);

            // Older turns go first, then memories, then the relationship, then the latest exchange.
            if (olderKept > 0)
            {
                Assert.Equal(Memories.Length, keptScores.Count);
            }

            if (keptScores.Count > 0)
            {
                Assert.True(relationshipKept, $"context {context}: a memory was kept but the relationship was not");
            }

            if (relationshipKept)
            {
                Assert.Contains(9L, turnIds);
            }

            // The persona and the person's new turn are always there.
            Assert.StartsWith("You are Nova.", system, StringComparison.Ordinal);
            Assert.EndsWith(prompt.Messages[^1].Text, PersonTurn, StringComparison.Ordinal);
            Assert.Equal(prompt.PersonTurnTruncated, prompt.Messages[^1].Text != PersonTurn);
            Assert.True(prompt.PromptTokens <= context);

            stagesSeen.Add((olderKept, keptScores.Count, relationshipKept, turnIds.Count) switch
            {
                (8, 4, true, _) => "everything",
                ( > 0, 4, true, _) => "some older turns dropped",
                (0, > 0, true, 2) => "some memories dropped",
                (0, 0, true, 2) => "only the relationship and latest exchange",
                (0, 0, false, > 0) => "only the latest exchange",
                (0, 0, false, 0) => "only persona and the person's turn",
                var other => $"unexpected {other}",
            });
        }

        Assert.True(threw, "a context too small for the persona must be refused");
        string[] expectedStages =
        [
            "everything", "some older turns dropped", "some memories dropped", "only the relationship and latest exchange",
            "only the latest exchange", "only persona and the person's turn",
        ];
        Assert.Equal(expectedStages.Order(StringComparer.Ordinal), stagesSeen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_long_turn_that_does_not_fit_is_not_skipped_over_to_keep_an_older_one()
    {
        // Given a short old turn, a long turn after it, and the latest exchange
        StoredTurn[] turns =
        [
            Turn(1, Speaker.Person, "Yes."),
            Turn(2, Speaker.Companion, Words("long", 50)),
            Turn(3, Speaker.Person, "I went running"),
            Turn(4, Speaker.Companion, "That sounds lovely!"),
        ];

        // and room for the latest exchange plus the short old turn, but not the long one
        var room = PromptTokensFor(Inputs(turns[2..])) + new FakeTokenCounter().CountTokens("Yes.") + PromptComposer.MessageOverheadTokens;
        var composer = new PromptComposer(new FakeTokenCounter(room), replyReserveTokens: 0);

        // When composing
        var prompt = composer.Compose(Inputs(turns));

        // Then the old turn is not kept out of context across a hole in the conversation
        Assert.Equal([3L, 4L], KeptTurnIds(prompt, turns));
        Assert.Equal(2, prompt.DroppedTurns);
    }

    [Theory]
    [InlineData(TokenCounting.PerWord, false)]
    [InlineData(TokenCounting.PerWord, true)]
    [InlineData(TokenCounting.PerFourCharacters, false)]
    [InlineData(TokenCounting.PerFourCharacters, true)]
    public void The_prompt_never_exceeds_the_context_less_the_reply_reserve(TokenCounting counting, bool enormousPersonTurn)
    {
        const int replyReserve = 128;
        var personTurn = enormousPersonTurn ? Words("said", 3_000) + " and that is all" : PersonTurn;
        var inputs = Inputs(Conversation, Memories, personTurn);
        var firstFit = -1;

        for (var context = 1; context <= 1_200; context++)
        {
            var counter = new FakeTokenCounter(context, counting);
            var composer = new PromptComposer(counter, replyReserve);
            var budget = context - Math.Min(replyReserve, context / 2);
            Assert.Equal(budget, composer.PromptBudget);

            ComposedPrompt prompt;
            try
            {
                prompt = composer.Compose(inputs);
            }
            catch (InvalidOperationException)
            {
                // Refused only while the persona itself does not fit, and never again once it did.
                Assert.Equal(-1, firstFit);
                Assert.True(
                    counter.CountTokens(PromptComposer.PersonaText(inputs.Companion)) + 2 * PromptComposer.MessageOverheadTokens >= budget,
                    $"context {context} was refused though the persona fits");
                continue;
            }

            if (firstFit < 0)
            {
                firstFit = context;
            }

            Assert.True(prompt.PromptTokens <= budget, $"context {context}: reported {prompt.PromptTokens} > budget {budget}");
            Assert.True(Measured(prompt, counter) <= budget, $"context {context}: measured {Measured(prompt, counter)} > budget {budget}");
            Assert.StartsWith("You are Nova.", prompt.Messages[0].Text, StringComparison.Ordinal);
            Assert.Equal(ChatRole.User, prompt.Messages[^1].Role);
            Assert.NotEmpty(prompt.Messages[^1].Text);
            Assert.EndsWith(prompt.Messages[^1].Text, personTurn, StringComparison.Ordinal);
        }

        Assert.InRange(firstFit, 2, 1_200);
    }

    [Fact]
    public void An_enormous_person_turn_is_cut_to_its_end()
    {
        // Given a message far longer than the context
        var enormous = Words("said", 5_000) + " and that is what I wanted to say";
        var counter = new FakeTokenCounter(600);
        var composer = new PromptComposer(counter, replyReserveTokens: 100);

        // When composing
        var prompt = composer.Compose(Inputs(Conversation, Memories, enormous));

        // Then it keeps as much of its end as fits, and says it was cut
        Assert.True(prompt.PersonTurnTruncated);
        var kept = prompt.Messages[^1].Text;
        Assert.EndsWith("and that is what I wanted to say", kept, StringComparison.Ordinal);
        Assert.EndsWith(kept, enormous, StringComparison.Ordinal);
        Assert.DoesNotContain("said0 ", kept, StringComparison.Ordinal);
        Assert.True(prompt.PromptTokens <= composer.PromptBudget);
        Assert.True(prompt.PromptTokens >= composer.PromptBudget - 1, "the cut keeps as much as fits");
        Assert.StartsWith("You are Nova.", prompt.Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_context_too_small_for_the_persona_is_refused_with_a_clear_message()
    {
        var composer = new PromptComposer(new FakeTokenCounter(20), replyReserveTokens: 0);

        var error = Assert.Throws<InvalidOperationException>(() => composer.Compose(Inputs(Conversation, Memories, PersonTurn)));

        Assert.Contains("20 tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("too small", error.Message, StringComparison.Ordinal);
        Assert.Contains("persona", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupted_turn_is_marked_as_interrupted()
    {
        var composer = new PromptComposer(new FakeTokenCounter(), 0);
        StoredTurn[] turns = [Turn(1, Speaker.Person, "Tell me a story"), Turn(2, Speaker.Companion, "Once there was a fox who", TurnStatus.Interrupted)];

        var prompt = composer.Compose(Inputs(turns));

        Assert.Equal("Tell me a story", prompt.Messages[1].Text);
        Assert.Equal("Once there was a fox who [you were interrupted here]", prompt.Messages[2].Text);
    }

    [Fact]
    public void Before_the_person_has_said_their_name_the_companion_is_told_to_ask_for_it()
    {
        var composer = new PromptComposer(new FakeTokenCounter(), 0);

        var prompt = composer.Compose(Inputs(relationship: Relationship(personName: null)));

        Assert.Contains("You have not learned your person's name yet", prompt.Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, prompt.Messages.Count);
    }

    [Fact]
    public void The_reply_reserve_is_at_most_half_the_context()
    {
        Assert.Equal(500, new PromptComposer(new FakeTokenCounter(1_000), replyReserveTokens: 800).PromptBudget);
        Assert.Equal(900, new PromptComposer(new FakeTokenCounter(1_000), replyReserveTokens: 100).PromptBudget);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PromptComposer(new FakeTokenCounter(), replyReserveTokens: -1));
    }

    private static int PromptTokensFor(PromptInputs inputs) =>
        new PromptComposer(new FakeTokenCounter(1_000_000), replyReserveTokens: 0).Compose(inputs).PromptTokens;

    private static int Measured(ComposedPrompt prompt, FakeTokenCounter counter) =>
        prompt.Messages.Sum(m => counter.CountTokens(m.Text) + PromptComposer.MessageOverheadTokens);

    // Identifies kept turns by their text, which is unique in every conversation here.
    private static List<long> KeptTurnIds(ComposedPrompt prompt, IReadOnlyList<StoredTurn>? turns = null) =>
        [.. prompt.Messages.Skip(1).SkipLast(1).Select(m => (turns ?? Conversation).Single(t => t.Text == m.Text).Id)];
}
