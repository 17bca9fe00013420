using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kindred.Server.Accounts;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

public sealed class AccountTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: new EndlessChatClient());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Given_a_new_account_when_it_signs_in_then_its_token_opens_the_api()
    {
        var signUp = await _server.Http.PostAsJsonAsync("/api/accounts", new { username = "maya", password = "a long secret" });
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);

        var signIn = await _server.Http.PostAsJsonAsync("/api/sessions", new { username = "MAYA", password = "a long secret" });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var token = (await signIn.Content.ReadFromJsonAsync<TokenIssued>())!;
        Assert.StartsWith("kdt_", token.Token, StringComparison.Ordinal);

        using var client = _server.ClientWith(token.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/companions")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_or_unknown_name_is_refused_alike()
    {
        await _server.Http.PostAsJsonAsync("/api/accounts", new { username = "omar", password = "a long secret" });

        var wrongPassword = await _server.Http.PostAsJsonAsync("/api/sessions", new { username = "omar", password = "not the secret" });
        var unknownName = await _server.Http.PostAsJsonAsync("/api/sessions", new { username = "nobody", password = "a long secret" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownName.StatusCode);
    }

    [Fact]
    public async Task A_taken_username_is_a_conflict_and_bad_credentials_are_a_validation_problem()
    {
        await _server.Http.PostAsJsonAsync("/api/accounts", new { username = "lena", password = "a long secret" });

        var again = await _server.Http.PostAsJsonAsync("/api/accounts", new { username = "Lena", password = "another secret" });
        var invalid = await _server.Http.PostAsJsonAsync("/api/accounts", new { username = "x", password = "short" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("username", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Without_a_token_the_api_answers_401_as_problem_details()
    {
        var response = await _server.Http.GetAsync("/api/companions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.ClientWith("kdt_made-up").GetAsync("/api/companions")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        using var client = await _server.SignedInClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/companions")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/sessions/current")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/companions")).StatusCode);
    }

    [Fact]
    public async Task An_api_key_works_like_a_token_until_it_is_revoked_and_is_never_listed_with_its_secret()
    {
        using var client = await _server.SignedInClientAsync();
        var created = await client.PostAsJsonAsync("/api/keys", new { name = "my script" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<ApiKeyCreated>())!;
        using var program = _server.ClientWith(key.Key);

        Assert.Equal(HttpStatusCode.OK, (await program.GetAsync("/api/companions")).StatusCode);
        var listed = await client.GetStringAsync("/api/keys");
        Assert.Contains(key.Id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Key, listed, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/keys/{key.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await program.GetAsync("/api/companions")).StatusCode);
    }

    [Fact]
    public async Task A_key_name_with_control_characters_or_an_unknown_key_id_is_a_4xx_not_a_failure()
    {
        using var client = await _server.SignedInClientAsync();

        var named = await client.PostAsJsonAsync("/api/keys", new { name = "my\u0000script" });
        Assert.Equal(HttpStatusCode.BadRequest, named.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/keys/key_nobody")).StatusCode);
    }

    [Fact]
    public async Task Health_and_readiness_answer_once_the_server_has_started()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync("/health/ready")).StatusCode);
    }
}
