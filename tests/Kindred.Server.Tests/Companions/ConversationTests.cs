using System.Net.Http.Json;
using System.Net.WebSockets;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

/// <summary>Replies from the real stories260K model, streamed over Server-Sent Events and the WebSocket.</summary>
public sealed class ConversationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_new_companion_wakes_names_itself_and_greets_and_the_greeting_is_its_first_turn()
    {
        using var client = await _server.SignedInClientAsync();

        var companion = await TestServer.CreateCompanionAsync(client);

        Assert.False(string.IsNullOrWhiteSpace(companion.Name));
        Assert.Contains(companion.Name, companion.Greeting, StringComparison.Ordinal);
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
        var first = Assert.Single(history!.Turns);
        Assert.Equal(companion.Greeting, first.Text);
        var listed = await client.GetFromJsonAsync<List<CompanionSummary>>("/api/companions");
        Assert.Equal(companion.CompanionId, Assert.Single(listed!).CompanionId);
    }

    [Fact]
    public async Task A_reply_streams_as_server_sent_events_and_is_stored_exactly_as_streamed()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);

        var (reply, events) = await client.SayAsync(companion.CompanionId, "Once upon a time there was a cat.");

        Assert.Contains("token", events);
        Assert.Equal("done", events[^1]);
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
        Assert.Equal(["companion", "person", "companion"], history!.Turns.Select(t => t.Speaker));
        Assert.Equal("Once upon a time there was a cat.", history.Turns[1].Text);
        Assert.Equal(reply.Trim(), history.Turns[2].Text);
        Assert.Equal("complete", history.Turns[2].Status);
    }

    [Fact]
    public async Task A_live_conversation_says_ready_then_streams_tokens_and_done_and_answers_status()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        using var socket = await _server.ConnectLiveAsync(client, companion.CompanionId);

        var ready = await socket.ReceiveAsync();
        Assert.Equal("ready", ready.GetProperty("type").GetString());
        Assert.Equal(companion.Name, ready.GetProperty("name").GetString());

        await socket.SendAsync(new { type = "say", text = "The dog ran to the park." });
        var (reply, done) = await socket.ReadReplyAsync();
        Assert.Equal("done", done.GetProperty("type").GetString());
        Assert.Equal("complete", done.GetProperty("status").GetString());

        await socket.SendAsync(new { type = "status" });
        var status = await socket.ReceiveAsync();
        Assert.Equal("idle", status.GetProperty("state").GetString());

        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
        Assert.Equal(reply.Trim(), history!.Turns[^1].Text);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
    }

    [Fact]
    public async Task Bad_messages_get_a_clear_error_and_the_conversation_goes_on()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        using var socket = await _server.ConnectLiveAsync(client, companion.CompanionId);
        await socket.ReceiveAsync();

        await socket.SendAsync(new { type = "dance" });
        var unknown = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "say", text = "   " });
        var empty = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "status" });
        var status = await socket.ReceiveAsync();

        Assert.Equal("bad_message", unknown.GetProperty("code").GetString());
        Assert.Equal("bad_message", empty.GetProperty("code").GetString());
        Assert.Equal("idle", status.GetProperty("state").GetString());
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
        Assert.Single(history!.Turns);
    }

    [Fact]
    public async Task An_empty_message_over_http_is_a_400_problem_and_stores_nothing()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);

        var response = await client.PostAsJsonAsync($"/api/companions/{companion.CompanionId}/replies", new { text = "" });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
        Assert.Single(history!.Turns);
    }
}
