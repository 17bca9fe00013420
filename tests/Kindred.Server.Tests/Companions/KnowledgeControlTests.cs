using System.Net;
using System.Net.Http.Json;
using Kindred.Core;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Postgres;
using Kindred.Memory.Tests.Contract;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Kindred.Server.Tests;

/// <summary>The person's control over what their companion knows, through the API, on the SQLite store.</summary>
public sealed class KnowledgeControlTests : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    // The test plants what is known itself; the server's own learning is kept out of it.
    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat, extractor: new NothingLearned());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public Task Facts_and_people_can_be_listed_corrected_and_forgotten() => KnowledgeControl.ListCorrectAndForgetAsync(_server);

    [Fact]
    public async Task Bad_corrections_and_unknown_ids_are_problems_that_change_nothing()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        var root = $"/api/companions/{companion.CompanionId}";
        var (factId, _) = await KnowledgeControl.PlantAsync(_server, client, companion.CompanionId);

        foreach (var body in new object?[] { new { text = "" }, new { text = "   " }, new { text = new string('x', 501) }, new { text = "nul\0here" }, new { }, null })
        {
            var response = await client.PutAsync($"{root}/facts/{factId}", body is null ? null : JsonContent.Create(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
            Assert.Contains("text", problem!.Errors.Keys);
        }

        var unknown = await client.PutAsJsonAsync($"{root}/facts/{factId + 1000}", new { text = "They live in Porto." });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("There is no such fact.", (await unknown.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{root}/facts/{factId + 1000}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{root}/people/999999")).StatusCode);

        var facts = await client.GetFromJsonAsync<List<FactView>>($"{root}/facts?history=true");
        Assert.Equal(["Lisbon", "gardening"], facts!.Select(f => f.Value));
        Assert.Single((await client.GetFromJsonAsync<List<PersonView>>($"{root}/people"))!);
    }
}

/// <summary>The same controls with the server on the PostgreSQL store.</summary>
[Collection(UsesPostgres.Name)]
public sealed class PostgresKnowledgeControlTests(PostgresServer postgres) : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var store = await PostgresCompanionStore.OpenAsync(await postgres.DatabaseForAsync(GetType()), TimeProvider.System, CancellationToken.None);
        _server = await TestServer.StartAsync(chat: _chat, store: store, extractor: new NothingLearned());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public Task Facts_and_people_can_be_listed_corrected_and_forgotten() => KnowledgeControl.ListCorrectAndForgetAsync(_server);

    [Fact]
    public async Task A_companion_talks_remembers_and_exports_with_what_it_knows()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        await KnowledgeControl.PlantAsync(_server, client, companion.CompanionId);
        var export = await client.GetStringAsync($"/api/companions/{companion.CompanionId}/export");

        var imported = await client.PostAsync("/api/companions/import", new StringContent(export, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var copy = (await imported.Content.ReadFromJsonAsync<CompanionSummary>())!;
        var facts = await client.GetFromJsonAsync<List<FactView>>($"/api/companions/{copy.CompanionId}/facts");
        Assert.Equal(["Lisbon", "gardening"], facts!.Select(f => f.Value));
        Assert.Equal(["Clara"], (await client.GetFromJsonAsync<List<PersonView>>($"/api/companions/{copy.CompanionId}/people"))!.Select(p => p.Name));
        var found = await client.GetFromJsonAsync<List<MemoryView>>($"/api/companions/{copy.CompanionId}/memories/search?q=cello");
        Assert.Contains(found!, m => m.Turn.Text.Contains("cello", StringComparison.Ordinal));
    }
}

/// <summary>Scenarios both store kinds run.</summary>
internal static class KnowledgeControl
{
    /// <summary>Says two things to the companion and stores, as extraction would, what they teach.</summary>
    public static async Task<(long FactId, long PersonId)> PlantAsync(TestServer server, HttpClient client, string companionId)
    {
        await client.SayAsync(companionId, "I live in Lisbon and I love gardening.");
        await client.SayAsync(companionId, "My sister Clara plays the cello.");
        var turns = await server.Store.GetRecentTurnsAsync(companionId, 100, CancellationToken.None);
        var lisbon = turns.Single(t => t.Text.Contains("Lisbon", StringComparison.Ordinal));
        var clara = turns.Single(t => t.Text.Contains("Clara", StringComparison.Ordinal));
        await server.Store.ApplyExtractionAsync(
            companionId,
            turns,
            new Extraction(
                [new ExtractedPerson("Clara", [], "sister", clara.Id)],
                [
                    new ExtractedFact(FactSubject.Person, "home", "Lisbon", "They live in Lisbon.", null, lisbon.Id),
                    new ExtractedFact(FactSubject.Person, "hobby", "gardening", "They love gardening.", null, lisbon.Id),
                ],
                KnowledgeSource.BuiltIn),
            CancellationToken.None);
        var facts = await server.Store.GetFactsAsync(companionId, false, CancellationToken.None);
        return (facts.Single(f => f.Value == "Lisbon").Id, Assert.Single(await server.Store.GetPeopleAsync(companionId, CancellationToken.None)).Id);
    }

    public static async Task ListCorrectAndForgetAsync(TestServer server)
    {
        using var client = await server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        var root = $"/api/companions/{companion.CompanionId}";
        Assert.Empty((await client.GetFromJsonAsync<List<FactView>>($"{root}/facts"))!);
        var (factId, personId) = await PlantAsync(server, client, companion.CompanionId);

        var facts = await client.GetFromJsonAsync<List<FactView>>($"{root}/facts");
        var lisbon = facts!.Single(f => f.Id == factId);
        Assert.Equal(("person", "home", "They live in Lisbon.", "builtIn", (DateTimeOffset?)null), (lisbon.Subject, lisbon.Attribute, lisbon.Text, lisbon.Source, lisbon.ValidTo));
        Assert.Single(lisbon.TurnIds);
        var clara = Assert.Single((await client.GetFromJsonAsync<List<PersonView>>($"{root}/people"))!);
        Assert.Equal((personId, "Clara", "sister"), (clara.Id, clara.Name, clara.Relation));

        // A correction replaces the fact; the old one stays in the history.
        var corrected = await client.PutAsJsonAsync($"{root}/facts/{factId}", new { text = "They live in Porto now." });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var replacement = (await corrected.Content.ReadFromJsonAsync<FactView>())!;
        Assert.Equal(("They live in Porto now.", "person", "home"), (replacement.Text, replacement.Source, replacement.Attribute));
        Assert.Equal(["gardening", "They live in Porto now."], (await client.GetFromJsonAsync<List<FactView>>($"{root}/facts"))!.Select(f => f.Value));
        var history = (await client.GetFromJsonAsync<List<FactView>>($"{root}/facts?history=true"))!;
        Assert.Equal(replacement.Id, history.Single(f => f.Id == factId).SupersededBy);
        var again = await client.PutAsJsonAsync($"{root}/facts/{factId}", new { text = "Lisbon after all." });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // Forgetting a fact removes the whole record.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{root}/facts/{replacement.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{root}/facts/{replacement.Id}")).StatusCode);
        Assert.DoesNotContain((await client.GetFromJsonAsync<List<FactView>>($"{root}/facts?history=true"))!, f => f.Id == replacement.Id);

        // Forgetting a person takes every turn that mentions them.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{root}/people/{personId}")).StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<List<PersonView>>($"{root}/people"))!);
        var turns = (await client.GetFromJsonAsync<HistoryPage>($"{root}/history"))!.Turns;
        Assert.DoesNotContain(turns, t => t.Text.Contains("Clara", StringComparison.Ordinal));
        Assert.Contains(turns, t => t.Text.Contains("Lisbon", StringComparison.Ordinal));
        var search = await client.GetFromJsonAsync<List<MemoryView>>($"{root}/memories/search?q=Clara%20cello");
        Assert.DoesNotContain(search!, m => m.Turn.Text.Contains("Clara", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{root}/people/{personId}")).StatusCode);
    }
}
