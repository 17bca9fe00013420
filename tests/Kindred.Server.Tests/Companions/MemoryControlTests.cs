using System.Net;
using System.Net.Http.Json;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

public sealed class MemoryControlTests : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task Memories_can_be_listed_searched_and_forgotten_for_good()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        var root = $"/api/companions/{companion.CompanionId}";
        await client.SayAsync(companion.CompanionId, "My sister Clara plays the cello.");

        var latest = await client.GetFromJsonAsync<List<TurnView>>($"{root}/memories?take=2");
        Assert.Equal(["My sister Clara plays the cello.", "Fine, thanks."], latest!.Select(t => t.Text));

        var found = await client.GetFromJsonAsync<List<MemoryView>>($"{root}/memories/search?q=cello");
        var hit = Assert.Single(found!, m => m.Turn.Text.Contains("cello", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{root}/memories/{hit.Turn.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{root}/memories/{hit.Turn.Id}")).StatusCode);
        var after = await client.GetFromJsonAsync<List<MemoryView>>($"{root}/memories/search?q=cello");
        Assert.DoesNotContain(after!, m => m.Turn.Text.Contains("cello", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_export_imports_as_a_new_companion_of_the_importer_with_every_turn()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        await client.SayAsync(companion.CompanionId, "Remember the lighthouse.");
        var export = await client.GetStringAsync($"/api/companions/{companion.CompanionId}/export");

        using var other = await _server.SignedInClientAsync();
        var imported = await other.PostAsync("/api/companions/import", new StringContent(export, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var copy = (await imported.Content.ReadFromJsonAsync<CompanionSummary>())!;
        Assert.NotEqual(companion.CompanionId, copy.CompanionId);
        Assert.Equal(companion.Name, copy.Name);
        var original = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history");
        var copied = await other.GetFromJsonAsync<HistoryPage>($"/api/companions/{copy.CompanionId}/history");
        Assert.Equal(original!.Turns.Select(t => (t.Speaker, t.Text)), copied!.Turns.Select(t => (t.Speaker, t.Text)));
    }

    [Fact]
    public async Task A_file_that_is_not_an_export_is_a_400_and_creates_nothing()
    {
        using var client = await _server.SignedInClientAsync();

        var response = await client.PostAsync("/api/companions/import", new StringContent("{\"hello\":1}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<List<CompanionSummary>>("/api/companions"))!);
    }

    [Fact]
    public async Task A_forgotten_companion_is_gone_from_the_list_and_its_routes()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/companions/{companion.CompanionId}")).StatusCode);

        Assert.Empty((await client.GetFromJsonAsync<List<CompanionSummary>>("/api/companions"))!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/companions/{companion.CompanionId}/history")).StatusCode);
    }
}
