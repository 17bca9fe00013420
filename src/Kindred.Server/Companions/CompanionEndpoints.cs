using Kindred.Core;
using Kindred.Memory.Portable;
using Kindred.Server.Accounts;
using Kindred.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Kindred.Server.Companions;

/// <summary>Companions and their memory: create (it wakes and names itself), list, history, search, forget, export, import.</summary>
internal static class CompanionEndpoints
{
    public const string ApiSession = "api";

    public static void MapCompanions(this IEndpointRouteBuilder app)
    {
        var companions = app.MapGroup("/api/companions").WithTags("Companions").RequireAuthorization().RequireRateLimiting(RateLimits.PerAccount);
        companions.MapPost("/", CreateAsync).WithName("CreateCompanion");
        companions.MapGet("/", ListAsync).WithName("ListCompanions");
        companions.MapPost("/import", ImportAsync).WithName("ImportCompanion").Accepts<object>("application/json");

        // Everything under one companion answers 404 unless it belongs to the caller: another account's ids look
        // exactly like ids that do not exist, so nothing can be enumerated.
        var one = companions.MapGroup("/{companionId}").AddEndpointFilter<OwnedCompanionFilter>();
        one.MapGet("/", GetAsync).WithName("GetCompanion");
        one.MapDelete("/", ForgetCompanionAsync).WithName("ForgetCompanion");
        one.MapGet("/history", HistoryAsync).WithName("GetHistory");
        one.MapGet("/memories", LatestMemoriesAsync).WithName("ListMemories");
        one.MapGet("/memories/search", SearchMemoriesAsync).WithName("SearchMemories");
        one.MapDelete("/memories/{turnId:long}", ForgetMemoryAsync).WithName("ForgetMemory");
        one.MapGet("/export", ExportAsync).WithName("ExportCompanion").Produces(StatusCodes.Status200OK, contentType: "application/json");
        one.MapPost("/replies", ReplyStreams.ServerSentEventsAsync).WithName("ReplyAsServerSentEvents")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status429TooManyRequests);
        one.MapGet("/live", LiveConversation.AcceptAsync).WithName("LiveConversation").ExcludeFromDescription();
    }

    private static async Task<Created<CompanionCreated>> CreateAsync(
        HttpContext context, AccountStore accounts, IGrainFactory grains, ILogger<CompanionBackend> logger, CancellationToken cancellationToken)
    {
        var accountId = context.User.AccountId();
        var companionId = AccountStore.NewId("c");

        // Owned before it wakes: a companion that exists is never without its person.
        await accounts.AddCompanionAsync(accountId, companionId, cancellationToken).ConfigureAwait(false);
        var woken = await grains.GetGrain<ICompanionGrain>(companionId).WakeAsync(ApiSession, cancellationToken).ConfigureAwait(false);
        ServerLog.CompanionCreated(logger, companionId, accountId);
        return TypedResults.Created($"/api/companions/{companionId}", new CompanionCreated(woken.CompanionId, woken.Name, woken.WokeAt, woken.Greeting));
    }

    private static async Task<Ok<List<CompanionSummary>>> ListAsync(HttpContext context, AccountStore accounts, CompanionBackend backend, CancellationToken cancellationToken)
    {
        var ids = await accounts.ListCompanionsAsync(context.User.AccountId(), cancellationToken).ConfigureAwait(false);
        var list = new List<CompanionSummary>(ids.Count);
        foreach (var id in ids)
        {
            if (await backend.Store.FindCompanionAsync(id, cancellationToken).ConfigureAwait(false) is { } identity)
            {
                list.Add(new CompanionSummary(identity.CompanionId, identity.Name, identity.WokeAt));
            }
        }

        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<CompanionDetails>, NotFound>> GetAsync(string companionId, CompanionBackend backend, CancellationToken cancellationToken)
    {
        var identity = await backend.Store.FindCompanionAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (identity is null)
        {
            return TypedResults.NotFound();
        }

        var relationship = await backend.Store.GetRelationshipAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CompanionDetails(identity.CompanionId, identity.Name, identity.WokeAt, identity.Persona, [.. identity.Traits], relationship.PersonName));
    }

    private static async Task<NoContent> ForgetCompanionAsync(string companionId, HttpContext context, AccountStore accounts, IGrainFactory grains, CancellationToken cancellationToken)
    {
        await grains.GetGrain<ICompanionGrain>(companionId).ForgetAsync(cancellationToken).ConfigureAwait(false);
        await accounts.RemoveCompanionAsync(context.User.AccountId(), companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <param name="after">Turns with an id greater than this (default 0: from the beginning).</param>
    /// <param name="take">At most this many turns (default 100, range 1–1000).</param>
    private static async Task<Results<Ok<HistoryPage>, ValidationProblem>> HistoryAsync(
        string companionId, CompanionBackend backend, CancellationToken cancellationToken, long after = 0, int take = 100)
    {
        if (take is < 1 or > 1000 || after < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = ["take is 1–1000 and after is 0 or more."] });
        }

        var turns = await backend.Store.GetHistoryAsync(companionId, after, take, cancellationToken).ConfigureAwait(false);
        var views = turns.Select(TurnView.From).ToList();
        return TypedResults.Ok(new HistoryPage(views, views.Count == take ? views[^1].Id : null));
    }

    /// <param name="take">The latest this many turns, oldest first (default 20, range 1–1000).</param>
    private static async Task<Results<Ok<List<TurnView>>, ValidationProblem>> LatestMemoriesAsync(
        string companionId, CompanionBackend backend, CancellationToken cancellationToken, int take = 20)
    {
        if (take is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = ["take is 1–1000."] });
        }

        var turns = await backend.Store.GetRecentTurnsAsync(companionId, take, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(turns.Select(TurnView.From).ToList());
    }

    /// <param name="q">What to recall.</param>
    /// <param name="take">At most this many memories (default 10, range 1–50).</param>
    private static async Task<Results<Ok<List<MemoryView>>, ValidationProblem>> SearchMemoriesAsync(
        string companionId, string? q, IGrainFactory grains, CancellationToken cancellationToken, int take = 10)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > 1000 || take is < 1 or > 50)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["q is 1–1000 characters and take is 1–50."] });
        }

        // Searched in the memory the companion's life holds, the one cache of it on this silo.
        var found = await grains.GetGrain<ICompanionGrain>(companionId).SearchMemoriesAsync(q, take, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(found.Select(m => new MemoryView(new TurnView(m.Id, m.SessionId, m.Speaker, m.Text, m.At, m.Status), m.Score, m.Why)).ToList());
    }

    private static async Task<Results<NoContent, NotFound>> ForgetMemoryAsync(string companionId, long turnId, IGrainFactory grains, CancellationToken cancellationToken) =>
        await grains.GetGrain<ICompanionGrain>(companionId).ForgetMemoryAsync(turnId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    private static async Task ExportAsync(string companionId, HttpContext context, CompanionBackend backend, CancellationToken cancellationToken)
    {
        // Written to a buffer first: a failure half-way must be an error, not a truncated file that looks whole.
        using var buffer = new MemoryStream();
        await MemoryExport.ExportAsync(backend.Store, companionId, buffer, cancellationToken).ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{companionId}.json\"";
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<Created<CompanionSummary>, ProblemHttpResult>> ImportAsync(
        HttpContext context, AccountStore accounts, CompanionBackend backend, CancellationToken cancellationToken)
    {
        var companionId = AccountStore.NewId("c");
        try
        {
            // Always under a new id: an export names its companion, and that id may be someone else's.
            await MemoryExport.ImportAsync(backend.Store, context.Request.Body, companionId, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(title: "That is not a Kindred export.", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        await accounts.AddCompanionAsync(context.User.AccountId(), companionId, cancellationToken).ConfigureAwait(false);
        var identity = await backend.Store.FindCompanionAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/companions/{companionId}", new CompanionSummary(companionId, identity!.Name, identity.WokeAt));
    }
}

/// <summary>Answers 404 for any companion that is not the caller's, whether it exists or not.</summary>
internal sealed class OwnedCompanionFilter(AccountStore accounts) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var companionId = http.Request.RouteValues["companionId"] as string ?? "";
        if (companionId.Length > 100 || !await accounts.OwnsAsync(http.User.AccountId(), companionId, http.RequestAborted).ConfigureAwait(false))
        {
            return TypedResults.Problem(title: "There is no such companion.", statusCode: StatusCodes.Status404NotFound);
        }

        return await next(context).ConfigureAwait(false);
    }
}

public sealed record CompanionCreated(string CompanionId, string Name, DateTimeOffset WokeAt, string? Greeting);

public sealed record CompanionSummary(string CompanionId, string Name, DateTimeOffset WokeAt);

public sealed record CompanionDetails(string CompanionId, string Name, DateTimeOffset WokeAt, string Persona, IReadOnlyList<string> Traits, string? PersonName);

/// <param name="Next">Pass as ?after= for the next page; null when this was the last.</param>
public sealed record HistoryPage(IReadOnlyList<TurnView> Turns, long? Next);

/// <param name="Speaker">"person" or "companion".</param>
/// <param name="Status">"complete", or "interrupted" for a reply that was cut off.</param>
public sealed record TurnView(long Id, string SessionId, string Speaker, string Text, DateTimeOffset At, string Status)
{
    internal static TurnView From(StoredTurn turn) => new(
        turn.Id,
        turn.SessionId,
        turn.Speaker == Kindred.Core.Speaker.Person ? "person" : "companion",
        turn.Text,
        turn.At,
        turn.Status == TurnStatus.Complete ? "complete" : "interrupted");
}

/// <param name="Why">How it matched: by its words, its meaning, or both.</param>
public sealed record MemoryView(TurnView Turn, double Score, string Why);

/// <summary>What the person says.</summary>
/// <param name="SessionId">Groups turns into conversations (default "api").</param>
/// <param name="Private">True: a private turn, of which nothing is stored; private turns with the same session id continue one private conversation, held only in memory.</param>
public sealed record SayRequest(string? Text, string? SessionId, bool? Private = null);
