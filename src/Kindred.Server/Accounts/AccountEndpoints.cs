using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Kindred.Server.Accounts;

/// <summary>Sign-up, sign-in, sign-out and API keys.</summary>
internal static class AccountEndpoints
{
    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api").WithTags("Accounts").RequireRateLimiting(RateLimits.Anonymous);
        open.MapPost("/accounts", SignUpAsync).WithName("SignUp").AllowAnonymous();
        open.MapPost("/sessions", SignInAsync).WithName("SignIn").AllowAnonymous();

        var signedIn = app.MapGroup("/api").WithTags("Accounts").RequireAuthorization().RequireRateLimiting(RateLimits.PerAccount);
        signedIn.MapDelete("/sessions/current", SignOutAsync).WithName("SignOut");
        signedIn.MapPost("/keys", CreateKeyAsync).WithName("CreateApiKey");
        signedIn.MapGet("/keys", ListKeysAsync).WithName("ListApiKeys");
        signedIn.MapDelete("/keys/{keyId}", RevokeKeyAsync).WithName("RevokeApiKey");
    }

    private static async Task<Results<Created<AccountCreated>, ValidationProblem, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, AccountStore accounts, ILogger<AccountStore> logger, CancellationToken cancellationToken)
    {
        var errors = Credentials.Check(request.Username, request.Password);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var id = await accounts.CreateAccountAsync(request.Username!.Trim(), request.Password!, cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            return TypedResults.Problem(title: "That username is taken.", statusCode: StatusCodes.Status409Conflict);
        }

        ServerLog.AccountCreated(logger, id);
        return TypedResults.Created($"/api/accounts/{id}", new AccountCreated(id));
    }

    private static async Task<Results<Ok<TokenIssued>, UnauthorizedHttpResult>> SignInAsync(
        SignInRequest request, AccountStore accounts, ServerOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.Unauthorized();
        }

        var id = await accounts.CheckPasswordAsync(request.Username.Trim(), request.Password, cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            return TypedResults.Unauthorized();
        }

        var token = await accounts.IssueTokenAsync(id, TimeSpan.FromDays(options.TokenLifetimeDays), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new TokenIssued(token.Secret, token.ExpiresAt!.Value, id));
    }

    private static async Task<NoContent> SignOutAsync(HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        await accounts.RevokeAsync(context.User.AccountId(), context.User.CredentialId(), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<ApiKeyCreated>, ValidationProblem>> CreateKeyAsync(
        CreateApiKeyRequest request, HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim() ?? "";
        if (!Credentials.IsKeyName(name))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["A key needs a name of 1–100 characters, none of them control characters."] });
        }

        var key = await accounts.IssueApiKeyAsync(context.User.AccountId(), name, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/keys/{key.Id}", new ApiKeyCreated(key.Id, name, key.Secret));
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListKeysAsync(HttpContext context, AccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListApiKeysAsync(context.User.AccountId(), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<NoContent, NotFound>> RevokeKeyAsync(string keyId, HttpContext context, AccountStore accounts, CancellationToken cancellationToken) =>
        await accounts.RevokeAsync(context.User.AccountId(), keyId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}

/// <summary>What a username, a password and an API key's name must look like, whichever database keeps them.</summary>
internal static class Credentials
{
    public static Dictionary<string, string[]> Check(string? username, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsUsername(username?.Trim()))
        {
            errors["username"] = ["A username is 3–64 letters, digits, '.', '_', '-' or '@'."];
        }

        if (password is null || password.Length is < 8 or > 1024)
        {
            errors["password"] = ["A password is 8–1024 characters."];
        }

        return errors;
    }

    /// <summary>3–64 ASCII letters, digits, '.', '_', '-' or '@' (compared ignoring case).</summary>
    public static bool IsUsername(string? name) =>
        name is { Length: >= 3 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@');

    /// <summary>1–100 characters, none of them control characters (a name is shown in lists and cannot hold U+0000 in PostgreSQL).</summary>
    public static bool IsKeyName(string name) => name.Length is > 0 and <= 100 && !name.Any(char.IsControl);
}

public sealed record SignUpRequest(string? Username, string? Password);

public sealed record SignInRequest(string? Username, string? Password);

public sealed record AccountCreated(string AccountId);

/// <summary>A sign-in token: send it as "Authorization: Bearer TOKEN".</summary>
public sealed record TokenIssued(string Token, DateTimeOffset ExpiresAt, string AccountId);

public sealed record CreateApiKeyRequest(string? Name);

/// <summary>A new API key. The key is shown only now.</summary>
public sealed record ApiKeyCreated(string Id, string Name, string Key);
