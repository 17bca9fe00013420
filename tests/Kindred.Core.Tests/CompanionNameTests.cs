namespace Kindred.Core.Tests;

public sealed class CompanionNameTests
{
    [Theory]
    [InlineData("Nova", "Nova")]
    [InlineData("  \"Iris.\"", "Iris")]
    [InlineData("juniper", "Juniper")]
    [InlineData("NOVA", "Nova")]
    [InlineData("**Wren**", "Wren")]
    [InlineData("Mira! It suits me.", "Mira")]
    [InlineData("Anne-Marie", "Anne-Marie")]
    [InlineData("O'Neil", "O'Neil")]
    public void A_plausible_name_is_accepted_and_capitalised(string proposal, string expected)
    {
        Assert.True(CompanionName.TryAccept(proposal, out var name));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Once upon a time")]
    [InlineData("I")]
    [InlineData("Assistant")]
    [InlineData("the")]
    [InlineData("x")]
    [InlineData("1234")]
    [InlineData("R2D2")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcd")]
    [InlineData("...")]
    public void Nonsense_is_rejected(string? proposal)
    {
        Assert.False(CompanionName.TryAccept(proposal, out var name));
        Assert.Equal("", name);
    }

    [Fact]
    public void The_longest_accepted_name_has_MaxLength_letters()
    {
        Assert.True(CompanionName.TryAccept(new string('a', CompanionName.MaxLength), out _));
        Assert.False(CompanionName.TryAccept(new string('a', CompanionName.MaxLength + 1), out _));
    }

    [Fact]
    public void The_fallback_is_the_same_every_time_for_the_same_id()
    {
        Assert.Equal(CompanionName.Fallback("companion-42"), CompanionName.Fallback("companion-42"));
        Assert.Equal(CompanionName.Fallback("ünïcødé-id"), CompanionName.Fallback("ünïcødé-id"));
    }

    [Fact]
    public void The_fallback_varies_across_ids_and_is_always_an_acceptable_name()
    {
        var names = Enumerable.Range(0, 200).Select(i => CompanionName.Fallback($"companion-{i}")).ToList();

        Assert.True(names.Distinct().Count() >= 10, $"only {names.Distinct().Count()} distinct fallback names over 200 ids");
        Assert.All(names, n =>
        {
            Assert.True(CompanionName.TryAccept(n, out var accepted));
            Assert.Equal(n, accepted);
        });
    }
}
