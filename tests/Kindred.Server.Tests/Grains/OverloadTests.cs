using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kindred.Models.Local;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

/// <summary>
/// One sequence and no queue on the real model: while something holds the sequence, every way of talking is
/// refused with 429 and Retry-After. (That a freed sequence serves again is the scheduler's own test.)
/// </summary>
public sealed class OverloadTests : IAsyncLifetime
{
    // The holder can only end by running out of tokens; this many keep it busy far longer than the test needs.
    private const int HoldTokens = 16_000;

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(options => options.BusyRetryAfterSeconds = 7, sequences: 1, queued: 0, contextLength: HoldTokens + 64);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task When_the_model_is_full_every_channel_answers_busy_with_retry_after()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        var model = _server.Model!;

        // Holds the only sequence: it never says end-of-text, so it runs until it is disposed.
        var endless = new GenerationSettings(new SamplingSettings { PreventEndOfText = true }, MaxTokens: HoldTokens, StopSequences: []);
        var holder = model.Scheduler.GenerateAsync(model.TokenizePrompt("Once upon a time"), endless).GetAsyncEnumerator();
        await using (holder)
        {
            Assert.True(await holder.MoveNextAsync());

            var sse = await client.PostAsJsonAsync($"/api/companions/{companion.CompanionId}/replies", new { text = "Hello" });
            Assert.Equal(HttpStatusCode.TooManyRequests, sse.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), sse.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", sse.Content.Headers.ContentType?.MediaType);

            var openAi = await client.PostAsJsonAsync("/v1/chat/completions", new { model = companion.CompanionId, messages = new[] { new { role = "user", content = "Hello" } } });
            Assert.Equal(HttpStatusCode.TooManyRequests, openAi.StatusCode);
            Assert.NotNull(openAi.Headers.RetryAfter);

            using var socket = await _server.ConnectLiveAsync(client, companion.CompanionId);
            await socket.ReceiveAsync();
            await socket.SendAsync(new { type = "say", text = "Hello" });
            var (_, error) = await socket.ReadReplyAsync();
            Assert.Equal("busy", error.GetProperty("code").GetString());
            Assert.Equal(7, error.GetProperty("retryAfter").GetInt32());
        }

        // Refused turns are not kept: the client says them again, and a kept one would then be there twice.
        var history = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{companion.CompanionId}/history");
        Assert.DoesNotContain(history.GetProperty("turns").EnumerateArray(), turn => turn.GetProperty("speaker").GetString() == "person");
    }
}
