using System.Net.Http.Json;
using System.Text.Json;
using Kindred.Server.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Kindred.Server.Tests;

public sealed class OutreachRestartTests
{
    [Fact]
    public async Task A_reminder_asked_for_in_conversation_survives_a_restart_and_is_said_at_nine_local_after_the_clock_change()
    {
        // Saturday noon in London; clocks go forward that night, so nine on Sunday is 08:00 UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));
        var due = new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero);
        var dataDirectory = Directory.CreateTempSubdirectory("kindred-outreach-restart-test-").FullName;
        try
        {
            string token;
            string companionId;
            using (var chat = new EndlessChatClient())
            {
                await using var first = await StartAsync(chat, clock, dataDirectory);
                using var client = await first.SignedInClientAsync();
                token = client.DefaultRequestHeaders.Authorization!.Parameter!;
                companionId = (await TestServer.CreateCompanionAsync(client)).CompanionId;
                await client.SayAsync(companionId, "Remind me to call Amy at nine tomorrow.");
                var reminder = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{companionId}/reminders")).EnumerateArray());
                Assert.Equal(due, reminder.GetProperty("dueAt").GetDateTimeOffset());
            }

            clock.SetUtcNow(due - TimeSpan.FromHours(1));
            using (var chat = new EndlessChatClient())
            {
                await using var second = await StartAsync(chat, clock, dataDirectory);
                using var client = second.ClientWith(token);
                using var socket = await second.ConnectLiveAsync(client, companionId);
                Assert.Equal("ready", (await socket.ReceiveAsync()).GetProperty("type").GetString());

                // One pass done since connecting (changing nothing in the settings runs one): the timer is armed.
                (await client.PutAsJsonAsync($"/api/companions/{companionId}/outreach-settings", new { })).EnsureSuccessStatusCode();
                clock.SetUtcNow(due);
                var outreach = await socket.ReceiveAsync();

                Assert.Equal("outreach", outreach.GetProperty("type").GetString());
                Assert.Equal("You asked me to remind you: call Amy.", outreach.GetProperty("text").GetString());
                var delivered = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/companions/{companionId}/reminders?all=true")).EnumerateArray());
                Assert.Equal(due, delivered.GetProperty("deliveredAt").GetDateTimeOffset());
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static Task<TestServer> StartAsync(EndlessChatClient chat, FakeTimeProvider clock, string dataDirectory) =>
        TestServer.StartAsync(options => options.OutreachRecheckSeconds = 86_400, chat: chat, dataDirectory: dataDirectory, clock: clock, timeZone: "Europe/London");
}
