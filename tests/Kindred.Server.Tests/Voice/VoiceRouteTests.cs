using System.Net;
using System.Net.Http.Json;
using Kindred.Server.Accounts;
using Kindred.Server.Tests.TestSupport;
using Kindred.Server.Voice;

namespace Kindred.Server.Tests;

/// <summary>The voices on offer, and a companion's choice among them, kept in the account database.</summary>
public sealed class VoiceRouteTests : IAsyncLifetime, IDisposable
{
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task The_voices_are_listed_with_flite_first_and_available()
    {
        using var client = await _server.SignedInClientAsync();

        var voices = (await client.GetFromJsonAsync<List<VoiceOption>>("/api/voices"))!;

        Assert.Equal(["flite", "festival", "espeak"], voices.Select(v => v.Id));
        Assert.True(voices[0].Available);
        Assert.All(voices, v => Assert.False(string.IsNullOrWhiteSpace(v.Label)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Http.GetAsync("/api/voices")).StatusCode);
    }

    [Fact]
    public async Task A_chosen_voice_is_kept_durably_and_a_new_companion_speaks_with_flite()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        var path = $"/api/companions/{companion.CompanionId}/voice";
        Assert.Equal("flite", (await client.GetFromJsonAsync<VoiceChoice>(path))!.Voice);

        var put = await client.PutAsJsonAsync(path, new { voice = "espeak" });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("espeak", (await client.GetFromJsonAsync<VoiceChoice>(path))!.Voice);
        // Committed to the account database itself, not held in memory.
        using var accounts = await AccountStore.OpenAsync(Path.Combine(_server.DataDirectory, "accounts.db"), TimeProvider.System, CancellationToken.None);
        Assert.Equal("espeak", await accounts.GetVoiceAsync(companion.CompanionId, CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_voice_or_no_voice_is_a_bad_request_and_changes_nothing()
    {
        using var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        var path = $"/api/companions/{companion.CompanionId}/voice";

        var unknown = await client.PutAsJsonAsync(path, new { voice = "hal9000" });
        var empty = await client.PutAsync(path, null);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("flite", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("flite", (await client.GetFromJsonAsync<VoiceChoice>(path))!.Voice);
    }
}
