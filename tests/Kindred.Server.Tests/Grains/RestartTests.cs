using System.Net.Http.Json;
using Kindred.Server.Accounts;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task After_a_restart_accounts_tokens_companions_and_every_turn_are_there_and_the_conversation_goes_on()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("kindred-restart-test-").FullName;
        try
        {
            string token;
            CompanionCreated companion;
            string before;
            using (var chat = new EndlessChatClient())
            {
                await using var first = await TestServer.StartAsync(chat: chat, dataDirectory: dataDirectory);
                using var client = await first.SignedInClientAsync("restarter");
                token = client.DefaultRequestHeaders.Authorization!.Parameter!;
                companion = await TestServer.CreateCompanionAsync(client);
                await client.SayAsync(companion.CompanionId, "My name is Ada.");
                before = await client.GetStringAsync($"/api/companions/{companion.CompanionId}/history");
            }

            using (var chat = new EndlessChatClient())
            {
                // A new silo on new ports, over the same store.
                await using var second = await TestServer.StartAsync(chat: chat, dataDirectory: dataDirectory);
                using var client = second.ClientWith(token);

                Assert.Equal(before, await client.GetStringAsync($"/api/companions/{companion.CompanionId}/history"));
                var details = await client.GetFromJsonAsync<CompanionDetails>($"/api/companions/{companion.CompanionId}");
                Assert.Equal((companion.Name, "Ada"), (details!.Name, details.PersonName));
                var signIn = await second.Http.PostAsJsonAsync("/api/sessions", new { username = "restarter", password = "correct horse battery" });
                Assert.True(signIn.IsSuccessStatusCode);

                var (reply, _) = await client.SayAsync(companion.CompanionId, "Still there?");
                Assert.Equal("Fine, thanks.", reply);
                var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
                Assert.Equal(5, history!.Turns.Count);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
