using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Kindred.Server.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Kindred.Server.Tests;

/// <summary>
/// Outreach in the server, on a fake clock: a reminder set through the API is said once over the live WebSocket at its
/// local time (across a change to summer time), waits in the queue while the person is away, and quiet hours and the
/// daily limit hold.
/// </summary>
public sealed class OutreachTests : IAsyncLifetime, IDisposable
{
    // Saturday 28 March 2026, noon in London; clocks go forward at 01:00 UTC on Sunday 29 March.
    private static readonly DateTimeOffset Start = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly EndlessChatClient _chat = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(options => options.OutreachRecheckSeconds = 86_400, chat: _chat, clock: _clock, timeZone: "Europe/London");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task A_reminder_set_through_the_api_is_said_once_over_the_websocket_at_its_local_time_across_the_clock_change()
    {
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;
        using var socket = await _server.ConnectLiveAsync(client, id);
        Assert.Equal("ready", (await socket.ReceiveAsync()).GetProperty("type").GetString());

        var created = await (await client.PostAsJsonAsync($"/api/companions/{id}/reminders", new { text = "call Amy", at = "2026-03-29T09:00" })).Content.ReadFromJsonAsync<JsonElement>();

        // 09:00 in London on the 29th is summer time already: 08:00 UTC.
        var due = new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(due, created.GetProperty("dueAt").GetDateTimeOffset());
        _clock.SetUtcNow(due - TimeSpan.FromSeconds(1));
        await SettleAsync(client, id);
        Assert.Equal("status", (await StatusAsync(socket)).GetProperty("type").GetString());

        _clock.SetUtcNow(due);
        var outreach = await socket.ReceiveAsync();

        Assert.Equal("outreach", outreach.GetProperty("type").GetString());
        Assert.Equal(created.GetProperty("id").GetInt64(), outreach.GetProperty("id").GetInt64());
        Assert.Equal("You asked me to remind you: call Amy.", outreach.GetProperty("text").GetString());
        _clock.Advance(TimeSpan.FromDays(2));
        await SettleAsync(client, id);
        Assert.Equal("status", (await StatusAsync(socket)).GetProperty("type").GetString());
        var all = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/reminders?all=true");
        var delivered = Assert.Single(all.EnumerateArray());
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
        Assert.Equal(due, delivered.GetProperty("deliveredAt").GetDateTimeOffset());
        var history = await client.GetStringAsync($"/api/companions/{id}/history");
        Assert.Contains("You asked me to remind you: call Amy.", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reminder_due_while_the_person_is_away_waits_in_the_queue_and_is_said_when_they_connect()
    {
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;
        var created = await (await client.PostAsJsonAsync($"/api/companions/{id}/reminders", new { text = "feed the cat", at = "2026-03-28T13:00" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/outreach")).EnumerateArray());

        _clock.Advance(TimeSpan.FromHours(3));
        var queued = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/outreach");

        Assert.Equal(created.GetProperty("id").GetInt64(), Assert.Single(queued.EnumerateArray()).GetProperty("id").GetInt64());
        using var socket = await _server.ConnectLiveAsync(client, id);
        Assert.Equal("ready", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        var outreach = await socket.ReceiveAsync();
        Assert.Equal("outreach", outreach.GetProperty("type").GetString());
        Assert.StartsWith("You asked me to remind you: feed the cat.", outreach.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("That was for", outreach.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/outreach")).EnumerateArray());
    }

    [Fact]
    public async Task A_follow_up_heard_in_conversation_waits_out_quiet_hours_and_the_daily_limit_holds_it_back()
    {
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/companions/{id}/outreach-settings", new { quietFrom = "18:00", quietUntil = "08:00", dailyLimit = 1 })).StatusCode);
        await client.SayAsync(id, "I have a job interview tomorrow and I'm nervous");
        var followUp = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/reminders")).EnumerateArray());
        Assert.Equal("followUp", followUp.GetProperty("kind").GetString());
        Assert.Equal("2026-03-29T19:00", followUp.GetProperty("dueLocal").GetString());
        using var socket = await _server.ConnectLiveAsync(client, id);
        Assert.Equal("ready", (await socket.ReceiveAsync()).GetProperty("type").GetString());

        // Due at 19:00, in quiet hours: held back, queued (one a day is allowed, so only the quiet hours hold it).
        _clock.SetUtcNow(followUp.GetProperty("dueAt").GetDateTimeOffset());
        await SettleAsync(client, id);
        Assert.Equal("status", (await StatusAsync(socket)).GetProperty("type").GetString());
        Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/outreach")).EnumerateArray());

        // Quiet hours over, but the daily limit is now 0: still held.
        var morning = new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/companions/{id}/outreach-settings", new { dailyLimit = 0 })).StatusCode);
        _clock.SetUtcNow(morning);
        await SettleAsync(client, id);
        Assert.Equal("status", (await StatusAsync(socket)).GetProperty("type").GetString());

        // One a day allowed: said now, after quiet hours.
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/companions/{id}/outreach-settings", new { dailyLimit = 1 })).StatusCode);
        var outreach = await socket.ReceiveAsync();
        Assert.Equal("outreach", outreach.GetProperty("type").GetString());
        Assert.Equal("How did the job interview go?", outreach.GetProperty("text").GetString());
        var all = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/reminders?all=true");
        Assert.Equal(morning, Assert.Single(all.EnumerateArray()).GetProperty("deliveredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Nothing_is_sent_while_she_is_off_and_what_waited_is_said_when_she_is_back_on()
    {
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;
        await client.PostAsJsonAsync($"/api/companions/{id}/reminders", new { text = "stretch", at = "2026-03-28T13:00" });
        await client.PutAsJsonAsync($"/api/companions/{id}/switch", new { on = false });
        using var socket = await _server.ConnectLiveAsync(client, id);
        Assert.Equal("ready", (await socket.ReceiveAsync()).GetProperty("type").GetString());

        _clock.Advance(TimeSpan.FromHours(2));
        await SettleAsync(client, id);
        Assert.Equal("status", (await StatusAsync(socket)).GetProperty("type").GetString());

        await client.PutAsJsonAsync($"/api/companions/{id}/switch", new { on = true });
        var outreach = await socket.ReceiveAsync();
        Assert.Equal("outreach", outreach.GetProperty("type").GetString());
        Assert.StartsWith("You asked me to remind you: stretch.", outreach.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    // Changing nothing in the settings runs one outreach pass for the companion and answers when it is done: after it,
    // whatever was due at the current fake time has been said (or deliberately held back).
    private static async Task SettleAsync(HttpClient client, string companionId) =>
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/companions/{companionId}/outreach-settings", new { })).StatusCode);

    // The next message after asking for the status: "status" when nothing was said in between.
    private static async Task<JsonElement> StatusAsync(ClientWebSocket socket)
    {
        await socket.SendAsync(new { type = "status" });
        return await socket.ReceiveAsync();
    }
}
