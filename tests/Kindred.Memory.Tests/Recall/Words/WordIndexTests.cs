using Kindred.Core;
using Kindred.Memory.Recall.Words;

namespace Kindred.Memory.Tests.Recall.Words;

public sealed class WordIndexTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Words_match_by_stem_ignoring_case_and_accents()
    {
        using var index = Build("We walked to the Café Amélie", "It rained all day");

        Assert.Equal([1L], index.Search(["WALKING"], 10, DateTimeOffset.MaxValue).Select(m => m.TurnId));
        Assert.Equal([1L], index.Search(["cafe", "amelie"], 10, DateTimeOffset.MaxValue).Select(m => m.TurnId));
        Assert.Empty(index.Search(["snow"], 10, DateTimeOffset.MaxValue));
    }

    [Fact]
    public void More_of_the_words_and_rarer_words_rank_higher()
    {
        using var index = Build(
            "the garden was lovely",
            "the garden and the lighthouse",
            "the lighthouse keeper",
            "it rained",
            "we ate soup",
            "a long walk");

        var both = index.Search(["garden", "lighthouse"], 10, DateTimeOffset.MaxValue);
        var rare = index.Search(["garden", "soup"], 10, DateTimeOffset.MaxValue);

        Assert.Equal([2L, 3L, 1L], both.Select(m => m.TurnId));
        Assert.True(both.Zip(both.Skip(1)).All(p => p.First.Score > p.Second.Score), "best first");
        Assert.Equal(5L, rare[0].TurnId);
    }

    [Fact]
    public void Only_turns_said_by_the_moment_asked_are_searched_and_the_limit_holds()
    {
        using var index = Build("piano lessons began", "piano recital", "piano sold");

        Assert.Equal([2L, 1L], index.Search(["piano"], 10, Start.AddDays(2)).Select(m => m.TurnId));
        Assert.Single(index.Search(["piano"], 1, DateTimeOffset.MaxValue));
    }

    [Fact]
    public void A_removed_turn_is_not_found_and_its_words_leave_the_index()
    {
        using var index = Build("my dog Rex bit the mailman", "the dog slept");

        Assert.True(index.Remove(1));

        Assert.Empty(index.Search(["Rex", "mailman"], 10, DateTimeOffset.MaxValue));
        Assert.Equal([2L], index.Search(["dog"], 10, DateTimeOffset.MaxValue).Select(m => m.TurnId));
        Assert.False(index.HoldsTermForTests("rex"));
        Assert.False(index.HoldsTermForTests("mailman"));
        Assert.True(index.HoldsTermForTests("dog"));
        Assert.Equal(1, index.Count);
        Assert.False(index.Remove(1));
    }

    [Fact]
    public void Neighbours_are_the_turns_around_in_the_same_session_skipping_removed_ones()
    {
        using var index = new WordIndex("c1");
        index.Add([Turn(1, "a", "s1"), Turn(2, "b", "s1"), Turn(3, "c", "s1"), Turn(4, "d", "s2")]);

        Assert.Equal(((long?)null, (long?)2), index.Adjacent(1));
        Assert.Equal(((long?)2, (long?)null), index.Adjacent(3));
        Assert.True(index.Remove(2));
        Assert.Equal(((long?)1, (long?)null), index.Adjacent(3));
        Assert.Equal(((long?)null, (long?)3), index.Adjacent(1));
        Assert.Equal(((long?)null, (long?)null), index.Adjacent(2));
    }

    [Fact]
    public void Turns_already_held_are_not_added_twice()
    {
        using var index = Build("lighthouse");

        index.Add([Turn(1, "lighthouse", "s1"), Turn(2, "lighthouse keeper", "s1")]);

        Assert.Equal(2, index.Count);
        Assert.Equal(2L, index.LastId);
        Assert.Equal(2, index.Search(["lighthouse"], 10, DateTimeOffset.MaxValue).Count);
    }

    // Turn i (from 1) is said on day i.
    private static WordIndex Build(params string[] texts)
    {
        var index = new WordIndex("c1");
        index.Add([.. texts.Select((text, i) => Turn(i + 1, text, "s1"))]);
        return index;
    }

    private static StoredTurn Turn(long id, string text, string session) =>
        new(id, "c1", session, Speaker.Person, text, Start.AddDays(id), TurnStatus.Complete);
}
