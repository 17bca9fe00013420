namespace Kindred.Core.Tests;

public sealed class PersonNameTests
{
    [Theory]
    [InlineData("My name is Sam", "Sam")]
    [InlineData("my name is sam", "Sam")]
    [InlineData("call me theo", "Theo")]
    [InlineData("I'm Sam Lee", "Sam Lee")]
    [InlineData("Hi! I'm Sam, nice to meet you.", "Sam")]
    [InlineData("It's Sam", "Sam")]
    [InlineData("I am Sam and I love hiking", "Sam")]
    [InlineData("I'm Sam from Boston", "Sam")]
    [InlineData("My name is Mary Jane Watson Parker", "Mary Jane Watson")]
    public void An_introduction_gives_the_name(string text, string expected)
    {
        Assert.True(PersonName.TryParse(text, allowBareAnswer: false, out var name));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("I'm tired")]
    [InlineData("it's a long story how I got here today honestly")]
    [InlineData("This is great")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("My name is 42")]
    public void Words_that_are_not_an_introduction_give_no_name(string text)
    {
        Assert.False(PersonName.TryParse(text, allowBareAnswer: false, out _));
        Assert.False(PersonName.TryParse(text, allowBareAnswer: true, out _));
    }

    [Theory]
    [InlineData("Sam", "Sam")]
    [InlineData("sam", "Sam")]
    [InlineData("Sam Lee.", "Sam Lee")]
    [InlineData("Theo!", "Theo")]
    public void A_bare_name_counts_only_as_an_answer_to_being_asked(string text, string expected)
    {
        Assert.True(PersonName.TryParse(text, allowBareAnswer: true, out var name));
        Assert.Equal(expected, name);

        Assert.False(PersonName.TryParse(text, allowBareAnswer: false, out _));
    }

    [Theory]
    [InlineData("Hello")]
    [InlineData("Why?")]
    [InlineData("Who are you?")]
    [InlineData("What's it to you")]
    [InlineData("I would rather not say right now")]
    public void A_bare_answer_that_is_not_a_name_gives_no_name(string text)
    {
        Assert.False(PersonName.TryParse(text, allowBareAnswer: true, out var name), $"took '{name}' for a name");
    }
}
