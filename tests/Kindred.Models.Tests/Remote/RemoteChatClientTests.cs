using Kindred.Models.Remote;
using Microsoft.Extensions.AI;

namespace Kindred.Models.Tests.Remote;

public sealed class RemoteChatClientTests
{
    [Fact]
    public void An_endpoint_and_model_give_a_chat_client_for_that_server_and_model()
    {
        var (chat, tokens) = RemoteChatClient.Create(new RemoteModelOptions { Endpoint = "http://127.0.0.1:11434/v1", Model = "qwen2.5:1.5b", ContextLength = 4096 });

        var metadata = chat.GetService<ChatClientMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("qwen2.5:1.5b", metadata.DefaultModelId);
        Assert.Equal(new Uri("http://127.0.0.1:11434/v1"), metadata.ProviderUri);
        Assert.Equal(4096, tokens.ContextLength);
    }

    [Fact]
    public void The_token_estimate_errs_on_the_side_of_more_tokens()
    {
        var tokens = new ApproximateTokenCounter(8192);
        Assert.Equal(0, tokens.CountTokens(""));
        Assert.True(tokens.CountTokens("Hello there, how are you today?") >= 8);
    }

    [Theory]
    [InlineData("", "qwen", 8192, "Endpoint")]
    [InlineData("ftp://host/v1", "qwen", 8192, "Endpoint")]
    [InlineData("http://127.0.0.1:8080/v1", "", 8192, "Model is required")]
    [InlineData("http://127.0.0.1:8080/v1", "qwen", 10, "ContextLength")]
    public void Wrong_options_are_refused_with_the_option_named(string endpoint, string model, int context, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RemoteChatClient.Create(new RemoteModelOptions { Endpoint = endpoint, Model = model, ContextLength = context }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
