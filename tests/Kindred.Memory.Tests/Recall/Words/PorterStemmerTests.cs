using Kindred.Memory.Recall.Words;

namespace Kindred.Memory.Tests.Recall.Words;

public sealed class PorterStemmerTests
{
    [Theory]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("cats", "cat")]
    [InlineData("hopping", "hop")]
    [InlineData("filing", "file")]
    [InlineData("agreed", "agre")]
    [InlineData("happy", "happi")]
    [InlineData("sky", "sky")]
    [InlineData("relational", "relat")]
    [InlineData("conditional", "condit")]
    [InlineData("generalization", "gener")]
    [InlineData("controll", "control")]
    [InlineData("walking", "walk")]
    [InlineData("walked", "walk")]
    public void Stems_as_porter_does(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));

    [Theory]
    [InlineData("is")]
    [InlineData("cafés")]
    [InlineData("ok")]
    [InlineData("café")]
    [InlineData("x2000s")]
    public void Leaves_short_words_and_words_with_other_letters_as_they_are(string word) => Assert.Equal(word, PorterStemmer.Stem(word));
}
