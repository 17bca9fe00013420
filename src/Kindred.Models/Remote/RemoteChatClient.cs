using System.ClientModel;
using Kindred.Core;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Kindred.Models.Remote;

/// <summary>Connects to an OpenAI-compatible endpoint through Microsoft.Extensions.AI.OpenAI.</summary>
public static class RemoteChatClient
{
    /// <summary>A chat client for the endpoint, and a token counter for budgeting its prompts.</summary>
    public static (IChatClient Chat, ITokenCounter Tokens) Create(RemoteModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "no-key" : options.ApiKey),
            new OpenAIClientOptions { Endpoint = new Uri(options.Endpoint) });
        return (client.GetChatClient(options.Model).AsIChatClient(), new ApproximateTokenCounter(options.ContextLength));
    }
}

/// <summary>
/// A remote model's tokenizer is not available here, so its tokens are estimated on the safe side: three
/// characters a token, where English averages about four.
/// </summary>
public sealed class ApproximateTokenCounter(int contextLength) : ITokenCounter
{
    public int ContextLength { get; } = contextLength;

    public int CountTokens(string text) => string.IsNullOrEmpty(text) ? 0 : (text.Length + 2) / 3;
}
