namespace Kindred.Memory.Tests;

public sealed class QueryTermsTests
{
    [Fact]
    public void PunctuationAndOperatorsAreNotWords()
    {
        Assert.Equal(["NEAR", "dog"], QueryTerms.TermsOf("what \"about\" NEAR( -- * dog"));
    }

    [Fact]
    public void StopWordsAreLeftOutUnlessNothingElseIsAsked()
    {
        Assert.Equal(["Caroline", "research"], QueryTerms.TermsOf("What did Caroline research?"));
        Assert.Equal(["What", "is", "it"], QueryTerms.TermsOf("What is it?"));
    }

    [Fact]
    public void RepeatedWordsAreAskedOnceAndLettersOfAnyScriptCount()
    {
        Assert.Equal(["Café", "東京"], QueryTerms.TermsOf("Café, café! 東京"));
    }

    [Fact]
    public void ALongQuestionKeepsItsFirstWordsOnly()
    {
        var text = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));

        var terms = QueryTerms.TermsOf(text);

        Assert.Equal(QueryTerms.MaxTerms, terms.Count);
        Assert.Equal(["w0", "w1"], terms.Take(2));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\n")]
    [InlineData("-- * () \"\" ^ :")]
    public void TextWithoutWordsHasNoTerms(string text)
    {
        Assert.Empty(QueryTerms.TermsOf(text));
    }
}
