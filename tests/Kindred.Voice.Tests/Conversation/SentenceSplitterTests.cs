using Kindred.Voice.Conversation;

namespace Kindred.Voice.Tests.Conversation;

public sealed class SentenceSplitterTests
{
    [Fact]
    public void Sentences_come_out_in_order_as_soon_as_the_token_after_their_end_arrives()
    {
        var splitter = new SentenceSplitter();
        string[] tokens = ["Hel", "lo there", ".", " How", " are you", "?", " I", " missed", " you!", ""];
        var seen = new List<(int Token, string Sentence)>();

        for (var i = 0; i < tokens.Length; i++)
        {
            seen.AddRange(splitter.Append(tokens[i]).Select(s => (i, s)));
        }

        seen.AddRange(splitter.Flush() is { } last ? [(tokens.Length, last)] : []);
        Assert.Equal([(3, "Hello there."), (6, "How are you?"), (10, "I missed you!")], seen);
    }

    [Theory]
    [InlineData("Dr. Smith said hi. Then he left.", new[] { "Dr. Smith said hi.", "Then he left." })]
    [InlineData("It costs 3.50 today. Cheap!", new[] { "It costs 3.50 today.", "Cheap!" })]
    [InlineData("Bring fruit, e.g. apples. Thanks.", new[] { "Bring fruit, e.g. apples.", "Thanks." })]
    [InlineData("J. R. R. Tolkien wrote it. Really.", new[] { "J. R. R. Tolkien wrote it.", "Really." })]
    [InlineData("\"Stop!\" she said. Wait...  what?", new[] { "\"Stop!\"", "she said.", "Wait...", "what?" })]
    [InlineData("One line\nAnother line", new[] { "One line", "Another line" })]
    [InlineData("no ending at all", new[] { "no ending at all" })]
    public void Abbreviations_initials_and_numbers_do_not_end_a_sentence(string text, string[] expected)
    {
        Assert.Equal(expected, SentenceSplitter.Split(text));
    }

    [Fact]
    public void A_run_on_sentence_is_cut_at_a_clause_once_it_is_long()
    {
        var clause = string.Join(' ', Enumerable.Repeat("and then we walked a little further", 5));

        var parts = SentenceSplitter.Split(clause + ", " + clause + ".");

        Assert.Equal([clause + ",", clause + "."], parts);
    }

    [Fact]
    public void Cutting_the_first_clause_early_ends_only_the_first_piece_at_its_comma()
    {
        var splitter = new SentenceSplitter { CutFirstClause = true };
        string[] tokens = ["Oh", " dear,", " that", " sounds hard, really.", " Tell", " me, please."];

        var pieces = tokens.SelectMany(splitter.Append).ToList();
        pieces.AddRange(splitter.Flush() is { } last ? [last] : []);

        Assert.Equal(["Oh dear,", "that sounds hard, really.", "Tell me, please."], pieces);
    }

    [Fact]
    public void A_single_word_before_the_first_comma_is_not_cut_off_alone()
    {
        var splitter = new SentenceSplitter { CutFirstClause = true };

        var pieces = splitter.Append("Well, I think so. ").ToList();

        Assert.Equal(["Well, I think so."], pieces);
    }
}
