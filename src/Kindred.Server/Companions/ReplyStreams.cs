using System.Globalization;
using System.Text;
using System.Text.Json;
using Kindred.Server.Contracts;
using Microsoft.AspNetCore.Http;

namespace Kindred.Server.Companions;

/// <summary>
/// A reply as Server-Sent Events, for clients that cannot hold a WebSocket: "token" events carrying text, then one
/// "done". The first token is awaited before any header is sent, so a busy model is a plain 429, not a broken stream.
/// </summary>
internal static class ReplyStreams
{
    public static async Task ServerSentEventsAsync(string companionId, SayRequest request, HttpContext context, IGrainFactory grains, ServerOptions options)
    {
        var cancellationToken = context.RequestAborted;
        if (PersonText.Check(request.Text, options) is { } problem)
        {
            await TypedResults.Problem(title: problem, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var session = string.IsNullOrWhiteSpace(request.SessionId) ? CompanionEndpoints.ApiSession : request.SessionId.Trim();
        var grain = grains.GetGrain<ICompanionGrain>(companionId);

        // A private turn continues the private conversation of its session id, held only in the grain's memory.
        var reply = (request.Private == true
            ? grain.PrivateReplyAsync(request.Text!, "sse:" + session, cancellationToken)
            : grain.ReplyAsync(request.Text!, session, cancellationToken)).GetAsyncEnumerator(cancellationToken);
        await using (reply.ConfigureAwait(false))
        {
            bool more;
            try
            {
                more = await reply.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (Refusal.Of(error) is { } refusal)
            {
                await RefuseAsync(context, refusal).ConfigureAwait(false);
                return;
            }

            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            while (more)
            {
                await WriteEventAsync(context.Response, "token", new TokenEvent(reply.Current), cancellationToken).ConfigureAwait(false);
                more = await reply.MoveNextAsync().ConfigureAwait(false);
            }

            await WriteEventAsync(context.Response, "done", new DoneEvent("complete"), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A refused turn on REST and SSE: a problem with the refusal's status (and Retry-After when busy).</summary>
    internal static Task RefuseAsync(HttpContext context, Refusal refusal)
    {
        if (refusal.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(title: refusal.Title, detail: refusal.Code == "off" ? refusal.Message : null, statusCode: refusal.Status).ExecuteAsync(context);
    }

    private static async Task WriteEventAsync<T>(HttpResponse response, string name, T data, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(data, JsonSerializerOptions.Web);
        await response.WriteAsync($"event: {name}\ndata: {json}\n\n", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record TokenEvent(string Text);

    private sealed record DoneEvent(string Status);
}

/// <summary>What a person's message must be.</summary>
internal static class PersonText
{
    /// <summary>Null when the text is fine; otherwise what is wrong with it.</summary>
    public static string? Check(string? text, ServerOptions options) =>
        string.IsNullOrWhiteSpace(text) ? "Say something: the text is empty."
        : text.Length > options.MaxMessageLength ? $"The text is {text.Length} characters; the most is {options.MaxMessageLength}."
        : null;
}
