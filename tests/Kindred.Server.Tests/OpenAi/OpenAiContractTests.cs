using System.ClientModel;
using System.Net.Http.Json;
using System.Text;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Kindred.Server.Tests;

/// <summary>The OpenAI-compatible API, driven by the official OpenAI .NET library, against the real stories260K model.</summary>
public sealed class OpenAiContractTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private HttpClient _client = null!;
    private CompanionCreated _companion = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _client = await _server.SignedInClientAsync();
        _companion = await TestServer.CreateCompanionAsync(_client);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(_server.BaseAddress, "/v1") };

    private ApiKeyCredential Key => new(_client.DefaultRequestHeaders.Authorization!.Parameter!);

    [Fact]
    public async Task The_models_are_the_callers_companions()
    {
        var models = await new OpenAIModelClient(Key, Options).GetModelsAsync();

        Assert.Equal(_companion.CompanionId, Assert.Single(models.Value).Id);
    }

    [Fact]
    public async Task A_completion_is_the_companions_reply_and_is_remembered()
    {
        var chat = new ChatClient(_companion.CompanionId, Key, Options);

        ChatCompletion completion = await chat.CompleteChatAsync([new SystemChatMessage("ignored"), new UserChatMessage("Once upon a time there was a frog.")]);

        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(_companion.CompanionId, completion.Model);
        var history = await _client.GetFromJsonAsync<HistoryPage>($"/api/companions/{_companion.CompanionId}/history");
        Assert.Equal("Once upon a time there was a frog.", history!.Turns[^2].Text);
        Assert.Equal(completion.Content[0].Text, history.Turns[^1].Text);
    }

    [Fact]
    public async Task A_streamed_completion_arrives_in_pieces_that_make_the_stored_reply()
    {
        var chat = new ChatClient(_companion.CompanionId, Key, Options);
        var text = new StringBuilder();
        var updates = 0;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("The little bird sang.")]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.True(updates > 1);
        Assert.Equal(ChatFinishReason.Stop, finish);
        var history = await _client.GetFromJsonAsync<HistoryPage>($"/api/companions/{_companion.CompanionId}/history");
        Assert.Equal(text.ToString().Trim(), history!.Turns[^1].Text);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_the_client_reports()
    {
        var chat = new ChatClient("c000000000000000000000000", Key, Options);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, error.Status);
    }
}
