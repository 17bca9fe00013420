using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

/// <summary>The off switch and private conversations through the API: off hears and keeps nothing; private keeps nothing.</summary>
public sealed class SwitchAndPrivacyTests : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task Switched_off_she_hears_and_keeps_nothing_and_says_so_when_switched_back_on()
    {
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;
        var off = await client.PutAsJsonAsync($"/api/companions/{id}/switch", new { on = false });
        Assert.False((await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("on").GetBoolean());
        var before = await client.GetStringAsync($"/api/companions/{id}/history");

        var sse = await client.PostAsJsonAsync($"/api/companions/{id}/replies", new { text = "Remind me to buy apricots at nine tomorrow" });
        var sseBody = await sse.Content.ReadAsStringAsync();
        var openAi = await client.PostAsJsonAsync("/v1/chat/completions", new { model = id, messages = new[] { new { role = "user", content = "apricots" } } });
        using var socket = await _server.ConnectLiveAsync(client, id);
        await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "say", text = "apricots again" });
        var (_, final) = await socket.ReadReplyAsync();
        var reminder = await client.PostAsJsonAsync($"/api/companions/{id}/reminders", new { text = "buy apricots", at = "2099-01-01T09:00" });

        Assert.Equal(HttpStatusCode.Conflict, sse.StatusCode);
        Assert.Contains("switched off", sseBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, openAi.StatusCode);
        Assert.Equal("off", final.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, reminder.StatusCode);
        Assert.Equal(before, await client.GetStringAsync($"/api/companions/{id}/history"));
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/reminders?all=true")).EnumerateArray());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/mood")).EnumerateArray());

        var on = await (await client.PutAsJsonAsync($"/api/companions/{id}/switch", new { on = true })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(on.GetProperty("on").GetBoolean());
        var said = on.GetProperty("said").GetString()!;
        Assert.Contains("switched off", said, StringComparison.Ordinal);
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{id}/history");
        Assert.Equal(said, history!.Turns[^1].Text);
        Assert.True((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/switch")).GetProperty("on").GetBoolean());
        await client.SayAsync(id, "Back again");
        Assert.Equal(history.Turns.Count + 2, (await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{id}/history"))!.Turns.Count);
    }

    [Fact]
    public async Task A_private_conversation_over_the_websocket_and_sse_leaves_no_trace_in_the_database_files()
    {
        const string planted = "Quetzalcoatlus";
        const string plantedToo = "Zyzzyvaberry";
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;
        await client.SayAsync(id, "A remembered hello");
        var before = await client.GetStringAsync($"/api/companions/{id}/history");

        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Authorization", client.DefaultRequestHeaders.Authorization!.ToString());
            await socket.ConnectAsync(new Uri(_server.WebSocketUri(id) + "?private=true"), CancellationToken.None);
            var ready = await socket.ReceiveAsync();
            Assert.True(ready.GetProperty("private").GetBoolean());
            await socket.SendAsync(new { type = "say", text = $"My secret is {planted}; remind me to hide it at nine tomorrow. Don't be so formal." });
            var (reply, final) = await socket.ReadReplyAsync();
            Assert.Equal("Fine, thanks.", reply);
            Assert.Equal("complete", final.GetProperty("status").GetString());
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }

        using var sse = await client.PostAsJsonAsync($"/api/companions/{id}/replies", new { text = $"Also {plantedToo}, I'm so sad", @private = true });
        Assert.Equal(HttpStatusCode.OK, sse.StatusCode);
        Assert.Contains("event: done", await sse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(before, await client.GetStringAsync($"/api/companions/{id}/history"));
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/reminders?all=true")).EnumerateArray());
        Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/persona/history")).EnumerateArray());
        var remembered = false;
        foreach (var file in Directory.EnumerateFiles(_server.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var bytes = await ReadSharedAsync(file);
            remembered |= bytes.AsSpan().IndexOf("A remembered hello"u8) >= 0;
            foreach (var word in new[] { planted, plantedToo })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(word)) < 0, $"{Path.GetFileName(file)} holds '{word}'.");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(word)) < 0, $"{Path.GetFileName(file)} holds '{word}' (UTF-16).");
            }
        }

        // The scan does see what is stored: the remembered turn is in the files.
        Assert.True(remembered, "The scan found not even the remembered turn.");
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
