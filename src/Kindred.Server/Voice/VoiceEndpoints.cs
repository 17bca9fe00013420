using Kindred.Server.Accounts;
using Kindred.Server.Companions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Kindred.Server.Voice;

/// <summary>The voices the server can speak with, and each companion's choice among them.</summary>
internal static class VoiceEndpoints
{
    public static void MapVoice(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/voices", (ServerVoices voices) => TypedResults.Ok(voices.Voices))
            .WithTags("Voice").WithName("ListVoices").RequireAuthorization().RequireRateLimiting(RateLimits.PerAccount);

        var one = app.MapGroup("/api/companions/{companionId}").WithTags("Voice")
            .RequireAuthorization().RequireRateLimiting(RateLimits.PerAccount).AddEndpointFilter<OwnedCompanionFilter>();
        one.MapGet("/voice", GetAsync).WithName("GetCompanionVoice");
        one.MapPut("/voice", SetAsync).WithName("SetCompanionVoice");
    }

    private static async Task<Ok<VoiceChoice>> GetAsync(string companionId, AccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(new VoiceChoice(await accounts.GetVoiceAsync(companionId, cancellationToken).ConfigureAwait(false) ?? ServerVoices.DefaultVoice));

    // The body is optional in the signature only so that the ownership filter answers first; a missing one is a 400.
    private static async Task<Results<Ok<VoiceChoice>, ProblemHttpResult>> SetAsync(
        string companionId, VoiceChoice? choice, AccountStore accounts, ServerVoices voices, CancellationToken cancellationToken)
    {
        if (choice?.Voice is not { Length: > 0 } id || voices.Voices.All(v => v.Id != id))
        {
            return TypedResults.Problem(
                title: $"Unknown voice; choose one of {string.Join(", ", voices.Voices.Select(v => v.Id))} (GET /api/voices).",
                statusCode: StatusCodes.Status400BadRequest);
        }

        if (!voices.IsAvailable(id))
        {
            return TypedResults.Problem(title: $"The voice '{id}' is not installed on this server.", statusCode: StatusCodes.Status400BadRequest);
        }

        await accounts.SetVoiceAsync(companionId, id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new VoiceChoice(id));
    }
}

/// <summary>A companion's voice, by id (see <c>GET /api/voices</c>).</summary>
public sealed record VoiceChoice(string Voice);
