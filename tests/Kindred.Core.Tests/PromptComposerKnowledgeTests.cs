using Kindred.Core.Tests.TestSupport;
using static Kindred.Core.Tests.TestSupport.Samples;

namespace Kindred.Core.Tests;

public sealed class PromptComposerKnowledgeTests
{
    private static readonly DateTimeOffset March = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset June = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly RecalledFact Separated = new("They separated from Catherine.", 0.9, "about their marital status", June, null);
    private static readonly RecalledFact Married = new("They are married to Catherine.", 0.8, "no longer true", March, June);
    private static readonly RecalledPerson Amy = new("Amy", "sister", ["Ames"], 1, "named");

    [Fact]
    public void Facts_and_people_are_in_the_system_message_with_when_they_held()
    {
        var composer = new PromptComposer(new FakeTokenCounter(contextLength: 8192), replyReserveTokens: 512);

        var prompt = composer.Compose(Inputs(memories: [Remembered(Words("memory", 5), 0.5)]) with { Facts = [Separated, Married], People = [Amy] });

        var system = prompt.Messages[0].Text;
        Assert.Contains("What you know about them (newer facts replace older ones):\n- (since 1 Jun 2025) They separated from Catherine.\n- (no longer true; from 1 Mar 2025 until 1 Jun 2025) They are married to Catherine.", system, StringComparison.Ordinal);
        Assert.Contains("People in their life:\n- Amy (also Ames): their sister", system, StringComparison.Ordinal);
        Assert.True(system.IndexOf("What you know", StringComparison.Ordinal) < system.IndexOf("Things you remember:", StringComparison.Ordinal));
    }

    [Fact]
    public void When_space_is_short_a_past_fact_goes_before_a_current_one_and_episodes_before_both()
    {
        var inputs = Inputs(memories: [Remembered(Words("memory", 20), 1.0)]) with { Facts = [Separated, Married] };
        var everything = new PromptComposer(new FakeTokenCounter(1_000_000), replyReserveTokens: 0).Compose(inputs).PromptTokens;

        // Room for all but the episode memory (its 20 words and heading).
        var withoutMemory = new PromptComposer(new FakeTokenCounter(everything - 20), replyReserveTokens: 0).Compose(inputs);
        Assert.Equal(1, withoutMemory.DroppedMemories);
        Assert.Contains("They are married to Catherine.", withoutMemory.Messages[0].Text, StringComparison.Ordinal);

        // Then room for only one fact: the current one stays.
        var oneFact = new PromptComposer(new FakeTokenCounter(everything - 40), replyReserveTokens: 0).Compose(inputs);
        Assert.Contains("They separated from Catherine.", oneFact.Messages[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("They are married to Catherine.", oneFact.Messages[0].Text, StringComparison.Ordinal);
        Assert.True(oneFact.PromptTokens <= everything - 40);
    }
}
