using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;
using Microsoft.AspNetCore.Routing;

namespace Kindred.Server.Tests;

/// <summary>A second account reaches nothing of the first: every route, the WebSocket and the OpenAI endpoint.</summary>
public sealed class IsolationTests : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    // It arranges what is known itself (KnowledgeControl.PlantAsync): learning in the background must not add to it.
    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat, extractor: new NothingLearned());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task Every_route_under_a_companion_answers_404_to_another_account_exactly_as_for_an_id_that_does_not_exist()
    {
        using var owner = await _server.SignedInClientAsync();
        using var stranger = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(owner);
        await owner.SayAsync(companion.CompanionId, "My secret is that I love jazz.");
        var before = await owner.GetStringAsync($"/api/companions/{companion.CompanionId}/history");
        var turnId = JsonDocument.Parse(before).RootElement.GetProperty("turns")[1].GetProperty("id").GetInt64();
        var (factId, personId) = await KnowledgeControl.PlantAsync(_server, owner, companion.CompanionId);
        before = await owner.GetStringAsync($"/api/companions/{companion.CompanionId}/history");
        var knownBefore = await KnownAsync(owner, companion.CompanionId);
        var ids = new Dictionary<string, long> { ["{turnId:long}"] = turnId, ["{factId:long}"] = factId, ["{personId:long}"] = personId, ["{reminderId:long}"] = 1 };

        var routes = _server.Endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.GetParameter("companionId") is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Template: e.RoutePattern.RawText!)))
            .ToList();
        Assert.True(routes.Count >= 24, $"Expected every companion route, found {routes.Count}.");
        foreach (var innerLife in new[] { "/persona", "/persona/history", "/persona/rollback", "/mood", "/reflections", "/reminders", "/reminders/{reminderId:long}", "/outreach-settings", "/outreach", "/switch" })
        {
            Assert.Contains(routes, r => r.Template == "/api/companions/{companionId}" + innerLife);
        }


        foreach (var (method, template) in routes)
        {
            var theirs = await SendAsync(stranger, method, template, companion.CompanionId, ids);
            var nobodys = await SendAsync(stranger, method, template, "c000000000000000000000000", ids);
            Assert.True(theirs.StatusCode == HttpStatusCode.NotFound, $"{method} {template} answered {(int)theirs.StatusCode}");
            Assert.Equal(await WithoutTraceAsync(nobodys), await WithoutTraceAsync(theirs));
        }

        // Nothing the stranger tried changed anything.
        Assert.Equal(before, await owner.GetStringAsync($"/api/companions/{companion.CompanionId}/history"));
        Assert.True((await owner.GetFromJsonAsync<JsonElement>($"/api/companions/{companion.CompanionId}/switch")).GetProperty("on").GetBoolean());
        Assert.Empty((await owner.GetFromJsonAsync<JsonElement>($"/api/companions/{companion.CompanionId}/reminders?all=true")).EnumerateArray());
        Assert.Equal(3, (await owner.GetFromJsonAsync<JsonElement>($"/api/companions/{companion.CompanionId}/outreach-settings")).GetProperty("dailyLimit").GetInt32());
        Assert.Equal(knownBefore, await KnownAsync(owner, companion.CompanionId));
        Assert.Empty((await stranger.GetFromJsonAsync<List<CompanionSummary>>("/api/companions"))!);
    }

    private static async Task<string> KnownAsync(HttpClient client, string companionId) =>
        await client.GetStringAsync($"/api/companions/{companionId}/facts?history=true") + await client.GetStringAsync($"/api/companions/{companionId}/people");

    [Fact]
    public async Task A_companion_of_ones_own_cannot_reach_another_accounts_turns()
    {
        using var owner = await _server.SignedInClientAsync();
        using var stranger = await _server.SignedInClientAsync();
        var theirs = await TestServer.CreateCompanionAsync(owner);
        var mine = await TestServer.CreateCompanionAsync(stranger);
        var history = await owner.GetFromJsonAsync<HistoryPage>($"/api/companions/{theirs.CompanionId}/history");

        var forget = await stranger.DeleteAsync($"/api/companions/{mine.CompanionId}/memories/{history!.Turns[0].Id}");

        Assert.Equal(HttpStatusCode.NotFound, forget.StatusCode);
        Assert.Single((await owner.GetFromJsonAsync<HistoryPage>($"/api/companions/{theirs.CompanionId}/history"))!.Turns);
    }

    [Fact]
    public async Task The_websocket_refuses_another_accounts_companion_with_404()
    {
        using var owner = await _server.SignedInClientAsync();
        using var stranger = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(owner);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", stranger.DefaultRequestHeaders.Authorization!.ToString());
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.WebSocketUri(companion.CompanionId), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, socket.HttpStatusCode);
    }

    [Fact]
    public async Task The_openai_endpoint_neither_lists_nor_answers_as_another_accounts_companion()
    {
        using var owner = await _server.SignedInClientAsync();
        using var stranger = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(owner);

        var models = await stranger.GetStringAsync("/v1/models");
        var completion = await stranger.PostAsJsonAsync("/v1/chat/completions", new { model = companion.CompanionId, messages = new[] { new { role = "user", content = "hi" } } });

        Assert.DoesNotContain(companion.CompanionId, models, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, completion.StatusCode);
        Assert.Contains(companion.CompanionId, await owner.GetStringAsync("/v1/models"), StringComparison.Ordinal);
        Assert.Single((await owner.GetFromJsonAsync<HistoryPage>($"/api/companions/{companion.CompanionId}/history"))!.Turns);
    }

    private static async Task<string> WithoutTraceAsync(HttpResponseMessage response)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return body.ToJsonString();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string template, string companionId, Dictionary<string, long> ids)
    {
        var path = template.Replace("{companionId}", companionId, StringComparison.Ordinal);
        foreach (var (parameter, id) in ids)
        {
            path = path.Replace(parameter, id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("{", path, StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method), path + (path.EndsWith("/search", StringComparison.Ordinal) ? "?q=jazz" : ""));
        if (method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(new { text = "Tell me their secret", version = 1, on = false, dailyLimit = 24, at = "2099-01-01T09:00", voice = "flite" });
        }

        return client.SendAsync(request);
    }
}
