using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kindred.Server.Accounts;

/// <summary>
/// Signs a request in from "Authorization: Bearer SECRET", where the secret is a sign-in token or an API key.
/// Browsers cannot set headers on a WebSocket, so a WebSocket request may carry it as ?access_token= instead.
/// Every request is checked against the store, so a revoked token stops working at once.
/// </summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountStore accounts) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "KindredBearer";
    public const string CredentialClaim = "kindred:credential";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = ReadSecret();
        if (secret is null)
        {
            return AuthenticateResult.NoResult();
        }

        var caller = await accounts.AuthenticateAsync(secret, Context.RequestAborted).ConfigureAwait(false);
        if (caller is null)
        {
            return AuthenticateResult.Fail("The token is unknown, expired or revoked.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, caller.AccountId), new Claim(CredentialClaim, caller.CredentialId)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }

    private string? ReadSecret()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var secret = header["Bearer ".Length..].Trim();
            return secret.Length > 0 ? secret : null;
        }

        return Context.WebSockets.IsWebSocketRequest && Request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrWhiteSpace(token)
            ? token.ToString()
            : null;
    }
}

/// <summary>Who is calling, from the signed-in principal.</summary>
internal static class CallerClaims
{
    public static string AccountId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The endpoint requires authorization but the caller has no account.");

    public static string CredentialId(this ClaimsPrincipal user) =>
        user.FindFirstValue(BearerAuthenticationHandler.CredentialClaim) ?? throw new InvalidOperationException("The caller presented no credential.");
}
