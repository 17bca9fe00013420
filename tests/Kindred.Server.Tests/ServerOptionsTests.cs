namespace Kindred.Server.Tests;

public sealed class ServerOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_listen_only_on_this_machine()
    {
        var options = new ServerOptions();

        options.Validate();

        Assert.Equal("127.0.0.1", options.Address);
    }

    [Theory]
    [InlineData("Address")]
    [InlineData("Port")]
    [InlineData("SiloPort")]
    [InlineData("CompanionIdleMinutes")]
    [InlineData("RequestsPerMinute")]
    [InlineData("CompanionCallTimeoutSeconds")]
    public void A_bad_value_is_refused_with_a_message_that_names_the_option(string option)
    {
        var options = new ServerOptions();
        switch (option)
        {
            case "Address": options.Address = "localhost:80"; break;
            case "Port": options.Port = 70000; break;
            case "SiloPort": options.SiloPort = options.GatewayPort; break;
            case "CompanionIdleMinutes": options.CompanionIdleMinutes = 0; break;
            case "RequestsPerMinute": options.RequestsPerMinute = -1; break;
            case "CompanionCallTimeoutSeconds": options.CompanionCallTimeoutSeconds = 5; break;
        }

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("Server." + option, error.Message, StringComparison.Ordinal);
    }
}
