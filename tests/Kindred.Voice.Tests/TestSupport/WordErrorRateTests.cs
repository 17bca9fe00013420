namespace Kindred.Voice.Tests.TestSupport;

public sealed class WordErrorRateTests
{
    [Fact]
    public void Counts_substitutions_deletions_and_insertions_over_all_reference_words()
    {
        // 1 substitution (his/a), 1 deletion (now), 1 insertion (very): 3 errors over 6 + 5 = 11 reference words.
        var rate = WordErrorRate.Of([("can you tell me a story", "can you tell me his story"), ("what time is it now", "what time is very it")]);

        Assert.Equal(3.0 / 11, rate, 6);
    }

    [Fact]
    public void Ignores_case_and_punctuation()
    {
        Assert.Equal(0, WordErrorRate.Of([("What time is it, now?", "what time is it now")]));
    }
}
