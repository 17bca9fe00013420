namespace Kindred.Memory.Tests;

public sealed class FtsQueryTests
{
    [Fact]
    public void EachWordIsQuotedAndTheWordsAreOred()
    {
        Assert.Equal("\"NEAR\" OR \"dog\"", FtsQuery.FromPersonText("what \"about\" NEAR( -- * dog"));
    }

    [Fact]
    public void StopWordsAreLeftOutUnlessNothingElseIsAsked()
    {
        Assert.Equal("\"Caroline\" OR \"research\"", FtsQuery.FromPersonText("What did Caroline research?"));
        Assert.Equal("\"What\" OR \"is\" OR \"it\"", FtsQuery.FromPersonText("What is it?"));
    }

    [Fact]
    public void RepeatedWordsAreAskedOnceAndLettersOfAnyScriptCount()
    {
        Assert.Equal("\"Café\" OR \"東京\"", FtsQuery.FromPersonText("Café, café! 東京"));
    }

    [Fact]
    public void ALongQuestionKeepsItsFirstWordsOnly()
    {
        var text = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));

        var query = FtsQuery.FromPersonText(text)!;

        Assert.Equal(FtsQuery.MaxTerms, query.Split(" OR ").Length);
        Assert.StartsWith("\"w0\" OR \"w1\"", query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\n")]
    [InlineData("-- * () \"\" ^ :")]
    public void TextWithoutWordsIsNoQuery(string text)
    {
        Assert.Null(FtsQuery.FromPersonText(text));
    }
}
