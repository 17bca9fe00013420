namespace Kindred.Core.Tests;

public sealed class CompanionOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new CompanionOptions();

        options.Validate();

        Assert.Equal(400, options.MaxReplyTokens);
        Assert.NotEmpty(options.DefaultTraits);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(8193)]
    [InlineData(-1)]
    public void An_out_of_range_MaxReplyTokens_is_named(int value)
    {
        var error = Assert.Throws<ArgumentException>(() => new CompanionOptions { MaxReplyTokens = value }.Validate());
        Assert.Contains(nameof(CompanionOptions.MaxReplyTokens), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(2.1f)]
    [InlineData(float.NaN)]
    public void An_out_of_range_Temperature_is_named(float value)
    {
        var error = Assert.Throws<ArgumentException>(() => new CompanionOptions { Temperature = value }.Validate());
        Assert.Contains(nameof(CompanionOptions.Temperature), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1.01f)]
    [InlineData(float.NaN)]
    public void An_out_of_range_TopP_is_named(float value)
    {
        var error = Assert.Throws<ArgumentException>(() => new CompanionOptions { TopP = value }.Validate());
        Assert.Contains(nameof(CompanionOptions.TopP), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_DefaultPersona_is_named(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => new CompanionOptions { DefaultPersona = value }.Validate());
        Assert.Contains(nameof(CompanionOptions.DefaultPersona), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_edges_of_each_range_are_valid()
    {
        new CompanionOptions { MaxReplyTokens = 16, Temperature = 0, TopP = 1 }.Validate();
        new CompanionOptions { MaxReplyTokens = 8192, Temperature = 2, TopP = 0.01f }.Validate();
    }
}
