using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

/// <summary>
/// The companion's inner life through the API, per account: turns in the server run it (appraisal, feedback, reminders
/// heard in conversation), and the persona, its history and rollback, the mood timeline, reminders and outreach
/// settings are reachable under the companion.
/// </summary>
public sealed class InnerLifeApiTests : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task A_conversation_in_the_server_moves_her_persona_fills_the_mood_timeline_and_sets_a_reminder()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        var id = companion.CompanionId;

        await client.SayAsync(id, "I'm so happy today, I got the job!");
        await client.SayAsync(id, "Please don't be so formal with me.");
        await client.SayAsync(id, "Remind me to call Amy at nine tomorrow.");

        var history = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/persona/history");
        var change = history.EnumerateArray().Last();
        Assert.Equal("feedback", change.GetProperty("kind").GetString());
        Assert.Contains("less formal", change.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(change.GetProperty("persona").GetProperty("traits").GetProperty("formality").GetDouble() < history[0].GetProperty("persona").GetProperty("traits").GetProperty("formality").GetDouble());

        var persona = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/persona");
        Assert.Equal(change.GetProperty("version").GetInt32(), persona.GetProperty("version").GetInt32());

        var mood = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/mood?days=7");
        var today = Assert.Single(mood.EnumerateArray());
        Assert.Equal(3, today.GetProperty("turns").GetInt32());
        Assert.True(today.GetProperty("valence").GetDouble() > 0);

        var reminders = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/reminders");
        var reminder = Assert.Single(reminders.EnumerateArray());
        Assert.Equal("reminder", reminder.GetProperty("kind").GetString());
        Assert.Contains("call Amy", reminder.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("T09:00", reminder.GetProperty("dueLocal").GetString(), StringComparison.Ordinal);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/reflections")).EnumerateArray());
    }

    [Fact]
    public async Task Rolling_back_a_change_restores_the_persona_before_it_as_a_new_version()
    {
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;
        await client.SayAsync(id, "I love it when you tease me.");
        var before = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/persona/history");
        Assert.Equal(2, before.GetArrayLength());

        var rollback = await client.PostAsJsonAsync($"/api/companions/{id}/persona/rollback", new { version = 2 });

        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        var version = await rollback.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, version.GetProperty("version").GetInt32());
        Assert.Equal("rollback", version.GetProperty("kind").GetString());
        Assert.Equal(2, version.GetProperty("reverts").GetInt32());
        Assert.Equal(before[0].GetProperty("persona").GetProperty("traits").ToString(), version.GetProperty("persona").GetProperty("traits").ToString());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/companions/{id}/persona/rollback", new { version = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/companions/{id}/persona/rollback", new { version = 99 })).StatusCode);
        Assert.Equal(3, (await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/persona/history")).GetArrayLength());
    }

    [Fact]
    public async Task Reminders_are_set_listed_and_cancelled_and_bad_ones_are_refused_with_the_reason()
    {
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;

        var set = await client.PostAsJsonAsync($"/api/companions/{id}/reminders", new { text = "water the plants", at = "2099-06-01T18:30" });
        var parsed = await client.PostAsJsonAsync($"/api/companions/{id}/reminders", new { text = "call Amy at nine tomorrow" });
        var past = await client.PostAsJsonAsync($"/api/companions/{id}/reminders", new { text = "vote", at = "2001-01-01T09:00" });
        var whenless = await client.PostAsJsonAsync($"/api/companions/{id}/reminders", new { text = "call Amy" });
        var offset = await client.PostAsJsonAsync($"/api/companions/{id}/reminders", new { text = "call Amy", at = "2099-06-01T18:30Z" });

        Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        Assert.Equal(HttpStatusCode.Created, parsed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, whenless.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, offset.StatusCode);
        Assert.Contains("Say when", await whenless.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var plants = await set.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("2099-06-01T18:30", plants.GetProperty("dueLocal").GetString());
        Assert.Equal("You asked me to remind you: water the plants.", plants.GetProperty("text").GetString());

        var cancel = await client.DeleteAsync($"/api/companions/{id}/reminders/{plants.GetProperty("id").GetInt64()}");
        var again = await client.DeleteAsync($"/api/companions/{id}/reminders/{plants.GetProperty("id").GetInt64()}");

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var pending = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/reminders");
        Assert.Contains("call Amy", Assert.Single(pending.EnumerateArray()).GetProperty("text").GetString(), StringComparison.Ordinal);
        var all = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/reminders?all=true");
        Assert.Contains(all.EnumerateArray(), r => r.GetProperty("status").GetString() == "cancelled");
    }

    [Fact]
    public async Task Outreach_settings_are_kept_and_bad_values_are_refused_naming_the_setting()
    {
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;

        var defaults = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/outreach-settings");
        var changed = await client.PutAsJsonAsync($"/api/companions/{id}/outreach-settings", new { timeZone = "Europe/Lisbon", quietFrom = "21:30", quietUntil = "07:00", dailyLimit = 1 });
        var badZone = await client.PutAsJsonAsync($"/api/companions/{id}/outreach-settings", new { timeZone = "Mars/Olympus" });
        var badLimit = await client.PutAsJsonAsync($"/api/companions/{id}/outreach-settings", new { dailyLimit = 99 });
        var badTime = await client.PutAsJsonAsync($"/api/companions/{id}/outreach-settings", new { quietFrom = "late" });

        Assert.Equal(3, defaults.GetProperty("dailyLimit").GetInt32());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badZone.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);
        Assert.Contains("dailyLimit", await badLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var kept = await client.GetFromJsonAsync<JsonElement>($"/api/companions/{id}/outreach-settings");
        Assert.Equal("Europe/Lisbon", kept.GetProperty("timeZone").GetString());
        Assert.Equal("21:30", kept.GetProperty("quietFrom").GetString());
        Assert.Equal("07:00", kept.GetProperty("quietUntil").GetString());
        Assert.Equal(1, kept.GetProperty("dailyLimit").GetInt32());
    }
}
