using System.Net.Http.Json;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

/// <summary>
/// Interrupts and disconnects, with a chat client that talks until it is stopped, so it is the interrupt or the
/// disconnect, never the model running out of words, that ends each reply.
/// </summary>
public sealed class InterruptTests : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task An_interrupt_stops_the_reply_and_what_was_said_is_stored_as_interrupted()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        using var socket = await _server.ConnectLiveAsync(client, companion.CompanionId);
        await socket.ReceiveAsync();

        await socket.SendAsync(new { type = "say", text = "Tell me a story that goes on forever." });
        var first = await socket.ReceiveAsync();
        Assert.Equal("Once", first.GetProperty("text").GetString());
        await socket.SendAsync(new { type = "status" });
        Assert.Equal("replying", (await socket.ReceiveAsync()).GetProperty("state").GetString());
        await socket.SendAsync(new { type = "interrupt" });
        var (_, done) = await socket.ReadReplyAsync();

        Assert.Equal("interrupted", done.GetProperty("status").GetString());
        await _chat.WaitForCancellationAsync();

        // The conversation goes on after an interrupt; turns are serialised, so this one follows the stored cut-off.
        await socket.SendAsync(new { type = "say", text = "How are you?" });
        var (reply, after) = await socket.ReadReplyAsync();
        Assert.Equal("complete", after.GetProperty("status").GetString());
        Assert.Equal("Fine, thanks.", reply);
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
        var cutOff = history!.Turns[2];
        Assert.Equal(("companion", "Once", "interrupted"), (cutOff.Speaker, cutOff.Text, cutOff.Status));
        Assert.Equal("How are you?", history.Turns[3].Text);
    }

    [Fact]
    public async Task A_client_that_goes_away_stops_generation_and_the_cut_off_reply_is_stored()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        var socket = await _server.ConnectLiveAsync(client, companion.CompanionId);
        await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "say", text = "Talk forever, please." });
        await socket.ReceiveAsync();

        socket.Abort();
        socket.Dispose();

        // Generation stops...
        await _chat.WaitForCancellationAsync();

        // ...and turns are serialised, so this one runs only after the cut-off reply has been stored.
        var (reply, _) = await client.SayAsync(companion.CompanionId, "Are you there?");
        Assert.Equal("Fine, thanks.", reply);
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
        var turns = history!.Turns;
        Assert.Equal(["Talk forever, please.", "Once", "Are you there?", "Fine, thanks."], turns.Skip(1).Select(t => t.Text));
        Assert.Equal("interrupted", turns[2].Status);
    }

    [Fact]
    public async Task Closing_a_server_sent_events_reply_early_stops_generation_and_stores_it_as_interrupted()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/companions/{companion.CompanionId}/replies") { Content = JsonContent.Create(new { text = "Go on forever" }) })
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var body = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal("event: token", await body.ReadLineAsync());
        }

        await _chat.WaitForCancellationAsync();
        await client.SayAsync(companion.CompanionId, "Hello?");
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
        Assert.Equal(("Once", "interrupted"), (history!.Turns[2].Text, history.Turns[2].Status));
    }
}
