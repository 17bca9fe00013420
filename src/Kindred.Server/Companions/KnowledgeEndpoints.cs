using Kindred.Memory.Knowledge;
using Kindred.Server.Accounts;
using Kindred.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Kindred.Server.Companions;

/// <summary>
/// What a companion knows about its person, and the person's control over it: list facts and people, correct a fact,
/// forget a fact or a whole person. Turns (memories) are listed, searched and forgotten in <see cref="CompanionEndpoints"/>;
/// a turn is what was said and is not edited, only forgotten.
/// </summary>
internal static partial class KnowledgeEndpoints
{
    /// <summary>The longest correction accepted, as on the command line.</summary>
    public const int MaxCorrectionLength = 500;

    public static void MapKnowledge(this IEndpointRouteBuilder app)
    {
        // The same guard as every companion route: another account's id answers 404, exactly like an unknown one.
        var one = app.MapGroup("/api/companions/{companionId}").WithTags("Knowledge")
            .RequireAuthorization().RequireRateLimiting(RateLimits.PerAccount).AddEndpointFilter<OwnedCompanionFilter>();
        one.MapGet("/facts", ListFactsAsync).WithName("ListFacts");
        one.MapPut("/facts/{factId:long}", CorrectFactAsync).WithName("CorrectFact");
        one.MapDelete("/facts/{factId:long}", ForgetFactAsync).WithName("ForgetFact");
        one.MapGet("/people", ListPeopleAsync).WithName("ListPeople");
        one.MapDelete("/people/{personId:long}", ForgetPersonAsync).WithName("ForgetPerson");
    }

    /// <param name="history">Also the facts that no longer hold (default false: only current ones).</param>
    private static async Task<Ok<List<FactView>>> ListFactsAsync(string companionId, CompanionBackend backend, CancellationToken cancellationToken, bool history = false)
    {
        var facts = await backend.Store.GetFactsAsync(companionId, history, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(facts.Select(FactView.From).ToList());
    }

    /// <summary>The person's correction: a new current fact replaces this one, which stays in the history.</summary>
    private static async Task<Results<Ok<FactView>, ValidationProblem, ProblemHttpResult>> CorrectFactAsync(
        string companionId,
        long factId,
        [FromBody] CorrectFactRequest? request,
        HttpContext context,
        CompanionBackend backend,
        TimeProvider time,
        ILogger<CompanionBackend> logger,
        CancellationToken cancellationToken)
    {
        var text = request?.Text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxCorrectionLength || text.Contains('\0', StringComparison.Ordinal))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"text says what is true instead, in 1–{MaxCorrectionLength} characters."] });
        }

        try
        {
            var corrected = await backend.Store.CorrectFactAsync(companionId, factId, text, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            FactCorrected(logger, companionId, factId, corrected.Id, context.User.AccountId());
            return TypedResults.Ok(FactView.From(corrected));
        }
        catch (KeyNotFoundException)
        {
            return NoSuchFact();
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(title: "That fact was already replaced.", detail: ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ForgetFactAsync(
        string companionId, long factId, HttpContext context, CompanionBackend backend, ILogger<CompanionBackend> logger, CancellationToken cancellationToken)
    {
        if (!await backend.Store.ForgetFactAsync(companionId, factId, cancellationToken).ConfigureAwait(false))
        {
            return NoSuchFact();
        }

        FactForgotten(logger, companionId, factId, context.User.AccountId());
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<PersonView>>> ListPeopleAsync(string companionId, CompanionBackend backend, CancellationToken cancellationToken)
    {
        var people = await backend.Store.GetPeopleAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(people.Select(PersonView.From).ToList());
    }

    /// <summary>Forgets someone entirely: their record, every fact about them and every turn that mentions them.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ForgetPersonAsync(
        string companionId, long personId, HttpContext context, CompanionBackend backend, IGrainFactory grains, ILogger<CompanionBackend> logger, CancellationToken cancellationToken)
    {
        if (await backend.Store.ForgetPersonAsync(companionId, personId, cancellationToken).ConfigureAwait(false) is not { } turns)
        {
            return TypedResults.Problem(title: "There is no such person.", statusCode: StatusCodes.Status404NotFound);
        }

        // The turns that named them went from the store directly: the life's memory drops its words and vectors too.
        await grains.GetGrain<ICompanionGrain>(companionId).ReloadMemoryAsync(cancellationToken).ConfigureAwait(false);
        PersonForgotten(logger, companionId, personId, turns, context.User.AccountId());
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NoSuchFact() => TypedResults.Problem(title: "There is no such fact.", statusCode: StatusCodes.Status404NotFound);

    [LoggerMessage(101, LogLevel.Information, "Companion {CompanionId}: fact {FactId} corrected by fact {NewFactId} for account {AccountId}")]
    private static partial void FactCorrected(ILogger logger, string companionId, long factId, long newFactId, string accountId);

    [LoggerMessage(102, LogLevel.Information, "Companion {CompanionId}: fact {FactId} forgotten for account {AccountId}")]
    private static partial void FactForgotten(ILogger logger, string companionId, long factId, string accountId);

    [LoggerMessage(103, LogLevel.Information, "Companion {CompanionId}: person {PersonId} forgotten with {Turns} turns for account {AccountId}")]
    private static partial void PersonForgotten(ILogger logger, string companionId, long personId, int turns, string accountId);
}

/// <summary>A correction of a fact.</summary>
/// <param name="Text">What is true instead, as a sentence ("They live in Porto."), 1–500 characters.</param>
public sealed record CorrectFactRequest(string? Text);

/// <summary>Something the companion knows about the person or their world, for the span of time it held.</summary>
/// <param name="Subject">"person" for the person themself, else the name of someone in their life.</param>
/// <param name="Source">"builtIn" (the built-in rules), "model" (the chat model) or "person" (a correction).</param>
/// <param name="ValidTo">When a newer fact replaced it; null while it holds.</param>
/// <param name="SupersededBy">The fact that replaced it, if any.</param>
/// <param name="TurnIds">The turns it was learned from.</param>
public sealed record FactView(
    long Id,
    string Subject,
    string Attribute,
    string Value,
    string Text,
    long? PersonId,
    string Source,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo,
    long? SupersededBy,
    IReadOnlyList<long> TurnIds)
{
    internal static FactView From(StoredFact fact) => new(
        fact.Id,
        fact.Subject,
        fact.Attribute,
        fact.Value,
        fact.Text,
        fact.PersonId,
        fact.Source switch { KnowledgeSource.Person => "person", KnowledgeSource.Model => "model", _ => "builtIn" },
        fact.ValidFrom,
        fact.ValidTo,
        fact.SupersededBy,
        fact.TurnIds);
}

/// <summary>Someone in the person's life.</summary>
/// <param name="Relation">Who they are to the person ("sister"), if said.</param>
/// <param name="TurnIds">The turns that mention them.</param>
public sealed record PersonView(long Id, string Name, IReadOnlyList<string> Aliases, string? Relation, DateTimeOffset FirstMentionedAt, IReadOnlyList<long> TurnIds)
{
    internal static PersonView From(KnownPerson person) => new(person.Id, person.Name, person.Aliases, person.Relation, person.FirstMentionedAt, person.TurnIds);
}
