using Kindred.Server.Contracts;
using Microsoft.AspNetCore.Http;

namespace Kindred.Server.Companions;

/// <summary>
/// A turn the companion did not take, decided once for every channel: the model was full (try again after
/// <see cref="RetryAfterSeconds"/>), or she is switched off (nothing was heard). Nothing of a refused turn is stored, so a
/// client may simply say it again. Each channel maps it once: REST and SSE as a problem, the WebSocket as an
/// <c>error</c> message, <c>/v1</c> as an OpenAI-shaped error.
/// </summary>
/// <param name="Code">The machine-readable reason: <c>busy</c> or <c>off</c>.</param>
/// <param name="Status">The HTTP status: 429 when busy, 409 when off.</param>
internal sealed record Refusal(string Code, string Message, int Status, int? RetryAfterSeconds)
{
    /// <summary>The refusal <paramref name="error"/> carries, or null when it is not one.</summary>
    public static Refusal? Of(Exception error) => error switch
    {
        CompanionBusyException busy => new("busy", busy.Message, StatusCodes.Status429TooManyRequests, busy.RetryAfterSeconds),
        CompanionOffException off => new("off", off.Message, StatusCodes.Status409Conflict, null),
        _ => null,
    };

    /// <summary>A short title for a problem document.</summary>
    public string Title => Code == "busy" ? "The model is busy with other conversations; try again in a moment." : "She is switched off.";
}
