using System.Net;
using System.Net.Http.Json;
using Kindred.Core;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Postgres;
using Kindred.Memory.Tests.Contract;
using Kindred.Core.Life;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Kindred.Server.Tests;

/// <summary>The server learns facts and people from what was said, in the background after a turn, on SQLite.</summary>
public sealed class ServerLearningTests : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public Task A_turn_about_amy_teaches_the_server_who_she_is_and_no_one_else_sees_it() => ServerLearning.AmyAsync(_server);

    [Fact]
    public async Task A_private_conversation_teaches_nothing()
    {
        using var passes = new LearningPasses(_server);
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;

        using (var secret = await client.PostAsJsonAsync($"/api/companions/{id}/replies", new { text = "My brother Tom lives in Leeds.", @private = true }))
        {
            Assert.Equal(HttpStatusCode.OK, secret.StatusCode);
            await secret.Content.ReadAsStringAsync();
        }

        await client.SayAsync(id, "Hello there.");
        await passes.UntilAllReadAsync(id);

        Assert.Empty((await client.GetFromJsonAsync<List<FactView>>($"/api/companions/{id}/facts?history=true"))!);
        Assert.Empty((await client.GetFromJsonAsync<List<PersonView>>($"/api/companions/{id}/people"))!);
    }

    [Fact]
    public async Task Switched_off_she_learns_nothing_until_switched_back_on()
    {
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;
        await using var life = new CompanionLife(id, _server.Services.GetRequiredService<CompanionServices>());
        await _server.Store.AppendTurnAsync(new NewTurn(id, "earlier", Speaker.Person, "My sister Amy is visiting.", DateTimeOffset.UtcNow), CancellationToken.None);
        (await client.PutAsJsonAsync($"/api/companions/{id}/switch", new { on = false })).EnsureSuccessStatusCode();

        var whileOff = await life.LearnNowAsync(null, CancellationToken.None);

        Assert.Equal(LearningOutcome.Off, whileOff!.Outcome);
        Assert.Equal(0, await _server.Store.GetExtractedThroughAsync(id, CancellationToken.None));
        Assert.Empty((await client.GetFromJsonAsync<List<PersonView>>($"/api/companions/{id}/people"))!);

        (await client.PutAsJsonAsync($"/api/companions/{id}/switch", new { on = true })).EnsureSuccessStatusCode();
        var whenOn = await life.LearnNowAsync(null, CancellationToken.None);

        Assert.Equal(LearningOutcome.Learned, whenOn!.Outcome);
        Assert.Equal("Amy", Assert.Single((await client.GetFromJsonAsync<List<PersonView>>($"/api/companions/{id}/people"))!).Name);
    }
}

/// <summary>When learning fails, the turn and the reply are kept, and the next pass learns what the failed one did not.</summary>
public sealed class ServerLearningFailureTests : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private readonly FailsOnce _extractor = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat, extractor: _extractor);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task A_failed_pass_loses_neither_the_turn_nor_what_it_taught()
    {
        using var passes = new LearningPasses(_server);
        using var client = await _server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(client)).CompanionId;

        var (reply, _) = await client.SayAsync(id, "My sister Amy is visiting.");
        var failed = await passes.NextAsync(id);

        Assert.Equal("Fine, thanks.", reply);
        Assert.Equal(LearningOutcome.Failed, failed.Outcome);
        var history = (await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{id}/history"))!;
        Assert.Contains(history.Turns, t => t.Text == "My sister Amy is visiting.");
        Assert.Empty((await client.GetFromJsonAsync<List<PersonView>>($"/api/companions/{id}/people"))!);

        await client.SayAsync(id, "I live in Leeds.");
        await passes.UntilAllReadAsync(id);

        var facts = (await client.GetFromJsonAsync<List<FactView>>($"/api/companions/{id}/facts"))!;
        Assert.Contains(facts, f => f.Text == "Amy is their sister.");
        Assert.Contains(facts, f => f.Text == "They live in Leeds.");
        Assert.Equal("Amy", Assert.Single((await client.GetFromJsonAsync<List<PersonView>>($"/api/companions/{id}/people"))!).Name);
    }

    /// <summary>The built-in rules, after a first request that fails as a model or a store might.</summary>
    private sealed class FailsOnce : IKnowledgeExtractor
    {
        private readonly BuiltInExtractor _rules = new();
        private int _calls;

        public Task<Extraction> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new InvalidOperationException("The first request fails.")
                : _rules.ExtractAsync(request, cancellationToken);

        public Task<SummaryDraft?> SummarizeAsync(IReadOnlyList<StoredTurn> session, CancellationToken cancellationToken) =>
            _rules.SummarizeAsync(session, cancellationToken);
    }
}

/// <summary>The same learning with the server on the PostgreSQL store.</summary>
[Collection(UsesPostgres.Name)]
public sealed class PostgresServerLearningTests(PostgresServer postgres) : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var store = await PostgresCompanionStore.OpenAsync(await postgres.DatabaseForAsync(GetType()), TimeProvider.System, CancellationToken.None);
        _server = await TestServer.StartAsync(chat: _chat, store: store);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public Task A_turn_about_amy_teaches_the_server_who_she_is_and_no_one_else_sees_it() => ServerLearning.AmyAsync(_server);
}

/// <summary>Scenarios both store kinds run.</summary>
internal static class ServerLearning
{
    public static async Task AmyAsync(TestServer server)
    {
        using var passes = new LearningPasses(server);
        using var owner = await server.SignedInClientAsync();
        using var stranger = await server.SignedInClientAsync();
        var id = (await TestServer.CreateCompanionAsync(owner)).CompanionId;
        var theirs = (await TestServer.CreateCompanionAsync(stranger)).CompanionId;

        await owner.SayAsync(id, "My sister Amy is visiting.");
        var pass = await passes.NextAsync(id);

        Assert.Equal(LearningOutcome.Learned, pass.Outcome);
        var amy = Assert.Single((await owner.GetFromJsonAsync<List<PersonView>>($"/api/companions/{id}/people"))!);
        Assert.Equal(("Amy", "sister"), (amy.Name, amy.Relation));
        var fact = Assert.Single((await owner.GetFromJsonAsync<List<FactView>>($"/api/companions/{id}/facts"))!);
        Assert.Equal(("Amy is their sister.", amy.Id), (fact.Text, fact.PersonId));
        Assert.Single(fact.TurnIds);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/companions/{id}/facts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/companions/{id}/people")).StatusCode);
        Assert.Empty((await stranger.GetFromJsonAsync<List<FactView>>($"/api/companions/{theirs}/facts?history=true"))!);
        Assert.Empty((await stranger.GetFromJsonAsync<List<PersonView>>($"/api/companions/{theirs}/people"))!);
    }
}
