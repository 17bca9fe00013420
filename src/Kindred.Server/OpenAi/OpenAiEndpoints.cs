using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kindred.Server.Accounts;
using Kindred.Server.Companions;
using Kindred.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kindred.Server.OpenAi;

/// <summary>
/// The OpenAI chat API, where a model is one of the caller's companions: any OpenAI client talks to a companion
/// that remembers. The companion keeps its own memory, so only the last user message of a request is heard; the
/// rest of the history a client sends is already known to it (or was never said to it, and is not taken on trust).
/// Errors use OpenAI's error shape, which its clients read.
/// </summary>
internal static class OpenAiEndpoints
{
    public const string Session = "openai";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void MapOpenAi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("OpenAI-compatible").RequireAuthorization().RequireRateLimiting(RateLimits.PerAccount);
        v1.MapGet("/models", ListModelsAsync).WithName("ListModels").Produces<ModelList>();
        v1.MapPost("/chat/completions", CompleteAsync).WithName("CreateChatCompletion")
            .Accepts<ChatCompletionRequest>("application/json")
            .Produces<ChatCompletion>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
    }

    private static async Task ListModelsAsync(HttpContext context, AccountStore accounts, CompanionBackend backend)
    {
        var ids = await accounts.ListCompanionsAsync(context.User.AccountId(), context.RequestAborted).ConfigureAwait(false);
        var models = new List<Model>(ids.Count);
        foreach (var id in ids)
        {
            if (await backend.Store.FindCompanionAsync(id, context.RequestAborted).ConfigureAwait(false) is { } identity)
            {
                models.Add(new Model(identity.CompanionId, "model", identity.WokeAt.ToUnixTimeSeconds(), "kindred"));
            }
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new ModelList("list", models)).ConfigureAwait(false);
    }

    private static async Task CompleteAsync(HttpContext context, AccountStore accounts, IGrainFactory grains, ServerOptions options, CompanionBackend backend, TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        ChatCompletionRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<ChatCompletionRequest>(context.Request.Body, Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Model) || request.Messages is not { Count: > 0 })
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "The request needs a model (a companion id) and at least one message.", "invalid_request_error").ConfigureAwait(false);
            return;
        }

        if (!await accounts.OwnsAsync(context.User.AccountId(), request.Model, cancellationToken).ConfigureAwait(false))
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"The model '{request.Model}' does not exist.", "invalid_request_error", "model_not_found").ConfigureAwait(false);
            return;
        }

        var said = request.Messages.LastOrDefault(m => m.Role == "user")?.Text();
        if (PersonText.Check(said, options) is { } problem)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "The last user message: " + problem, "invalid_request_error").ConfigureAwait(false);
            return;
        }

        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var reply = grains.GetGrain<ICompanionGrain>(request.Model).ReplyAsync(said!, Session, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (reply.ConfigureAwait(false))
        {
            bool more;
            try
            {
                more = await reply.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (Refusal.Of(error) is { } refusal)
            {
                // A refused turn in OpenAI's terms: busy is a rate limit, off an invalid request.
                if (refusal.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                var (type, code) = refusal.Code == "busy" ? ("rate_limit_error", "model_busy") : ("invalid_request_error", "companion_off");
                await ErrorAsync(context, refusal.Status, refusal.Message, type, code).ConfigureAwait(false);
                return;
            }

            if (request.Stream == true)
            {
                context.Response.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-cache";
                var first = true;
                while (more)
                {
                    var delta = new Delta(first ? "assistant" : null, reply.Current);
                    await ChunkAsync(context, new ChatCompletionChunk(id, "chat.completion.chunk", created, request.Model, [new ChunkChoice(0, delta, null)]), cancellationToken).ConfigureAwait(false);
                    first = false;
                    more = await reply.MoveNextAsync().ConfigureAwait(false);
                }

                await ChunkAsync(context, new ChatCompletionChunk(id, "chat.completion.chunk", created, request.Model, [new ChunkChoice(0, new Delta(null, null), "stop")]), cancellationToken).ConfigureAwait(false);
                await context.Response.WriteAsync("data: [DONE]\n\n", cancellationToken).ConfigureAwait(false);
                return;
            }

            var text = new StringBuilder();
            while (more)
            {
                text.Append(reply.Current);
                more = await reply.MoveNextAsync().ConfigureAwait(false);
            }

            var content = text.ToString().Trim();
            var promptTokens = backend.Tokens.CountTokens(said!);
            var completionTokens = backend.Tokens.CountTokens(content);
            var completion = new ChatCompletion(
                id,
                "chat.completion",
                created,
                request.Model,
                [new Choice(0, new ResponseMessage("assistant", content), "stop")],
                new Usage(promptTokens, completionTokens, promptTokens + completionTokens));
            await WriteJsonAsync(context, StatusCodes.Status200OK, completion).ConfigureAwait(false);
        }
    }

    private static async Task ChunkAsync(HttpContext context, ChatCompletionChunk chunk, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk, Json) + "\n\n", cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static Task ErrorAsync(HttpContext context, int status, string message, string type, string? code = null) =>
        WriteJsonAsync(context, status, new ErrorResponse(new ErrorBody(message, type, code)));

    private static async Task WriteJsonAsync<T>(HttpContext context, int status, T body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted).ConfigureAwait(false);
    }
}
