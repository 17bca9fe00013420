using System.Globalization;
using System.Text;
using System.Text.Json;
using Kindred.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindred.Memory.Knowledge;

/// <summary>
/// Knowledge from the chat model: it is asked for JSON matching a schema (structured output where the client
/// supports it), the answer is validated item by item, and a bad answer (junk, an exception, a timeout) is retried a
/// bounded number of times before the built-in extractor answers instead. After enough failures in a row the model is
/// taken for unable (a story model, say) and skipped for the rest of the process, so it costs nothing more.
/// </summary>
public sealed class ModelExtractor : IKnowledgeExtractor
{
    private const int MaxFieldLength = 200;
    private const int MaxSummaryLength = 800;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly ChatResponseFormat ExtractionFormat =
        ChatResponseFormat.ForJsonSchema(AIJsonUtilities.CreateJsonSchema(typeof(ModelKnowledge), serializerOptions: Json), "knowledge", "Facts and people from what the person said.");
    private static readonly ChatResponseFormat SummaryFormat =
        ChatResponseFormat.ForJsonSchema(AIJsonUtilities.CreateJsonSchema(typeof(ModelSummary), serializerOptions: Json), "summary", "A session summary and a reflection.");

    private readonly IChatClient _chat;
    private readonly IKnowledgeExtractor _fallback;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITokenCounter? _tokens;
    private int _failuresInARow;

    /// <param name="fallback">Answers when the model cannot; usually <see cref="BuiltInExtractor"/>.</param>
    /// <param name="tokens">The model's tokenizer and context, when known: a request that would not fit is not sent.</param>
    public ModelExtractor(IChatClient chat, IKnowledgeExtractor fallback, TimeProvider time, ILogger? logger = null, ITokenCounter? tokens = null)
    {
        _tokens = tokens;
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(time);
        _chat = chat;
        _fallback = fallback;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Tries per request, the first included (default 2).</summary>
    public int Attempts { get; init; } = 2;

    /// <summary>How long one try may take before it counts as failed (default 2 minutes: a local model on a CPU is slow).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Requests that fail in a row before the model is no longer asked (default 3).</summary>
    public int GiveUpAfter { get; init; } = 3;

    /// <summary>Whether the model is still being asked.</summary>
    public bool ModelInUse => Volatile.Read(ref _failuresInARow) < GiveUpAfter;

    /// <inheritdoc />
    public async Task<Extraction> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var personTurns = request.Turns.Where(t => t.Speaker == Speaker.Person).Select(t => t.Id).ToHashSet();
        if (personTurns.Count == 0)
        {
            return Extraction.Nothing(KnowledgeSource.Model);
        }

        var messages = new List<ChatMessage> { new(ChatRole.System, ExtractionInstructions), new(ChatRole.User, Describe(request)) };
        var answer = await AskAsync<ModelKnowledge, Extraction>(request.CompanionId, messages, ExtractionFormat, 1200, k => Validate(k, personTurns), cancellationToken).ConfigureAwait(false);
        return answer ?? await _fallback.ExtractAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SummaryDraft?> SummarizeAsync(IReadOnlyList<StoredTurn> session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.Any(t => t.Speaker == Speaker.Person))
        {
            return null;
        }

        var transcript = new StringBuilder();
        foreach (var turn in session)
        {
            transcript.Append(turn.Speaker == Speaker.Person ? "person: " : "you: ").AppendLine(turn.Text);
        }

        var messages = new List<ChatMessage> { new(ChatRole.System, SummaryInstructions), new(ChatRole.User, transcript.ToString()) };
        var companionId = session[0].CompanionId;
        var answer = await AskAsync<ModelSummary, SummaryDraft>(companionId, messages, SummaryFormat, 600, Validate, cancellationToken).ConfigureAwait(false);
        return answer ?? await _fallback.SummarizeAsync(session, cancellationToken).ConfigureAwait(false);
    }

    // Null when the model could not give a valid answer; cancellation by the caller propagates.
    private async Task<TResult?> AskAsync<TAnswer, TResult>(
        string companionId,
        List<ChatMessage> messages,
        ChatResponseFormat format,
        int maxTokens,
        Func<TAnswer, TResult?> validate,
        CancellationToken cancellationToken)
        where TAnswer : class
        where TResult : class
    {
        if (!ModelInUse)
        {
            return null;
        }

        // A small-context model (a test model, say) cannot take the instructions: asking would only waste its time.
        if (_tokens is not null && _tokens.CountTokens(string.Concat(messages.Select(m => m.Text))) + maxTokens + (messages.Count * 8) > _tokens.ContextLength)
        {
            KnowledgeLog.ModelAnswerRejected(_logger, companionId, 0, "request does not fit the model's context");
            return null;
        }

        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var options = new ChatOptions { ResponseFormat = format, Temperature = 0f, MaxOutputTokens = maxTokens };
            using var timeout = new CancellationTokenSource(AttemptTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            string failure;
            try
            {
                var response = await _chat.GetResponseAsync(messages, options, linked.Token).ConfigureAwait(false);
                if (Parse<TAnswer>(response.Text) is { } parsed && validate(parsed) is { } valid)
                {
                    Volatile.Write(ref _failuresInARow, 0);
                    return valid;
                }

                failure = "invalid answer";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = "timed out";
            }
#pragma warning disable CA1031 // Whatever the model client throws, the built-in extractor must still answer.
            catch (Exception error) when (error is not OperationCanceledException)
#pragma warning restore CA1031
            {
                failure = error.GetType().Name;
            }

            KnowledgeLog.ModelAnswerRejected(_logger, companionId, attempt, failure);
        }

        if (Interlocked.Increment(ref _failuresInARow) == GiveUpAfter)
        {
            KnowledgeLog.ModelGivenUp(_logger, companionId, GiveUpAfter);
        }

        return null;
    }

    private static TAnswer? Parse<TAnswer>(string text)
        where TAnswer : class
    {
        // Models wrap JSON in prose or code fences despite being asked not to; the object itself is what counts.
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TAnswer>(text.AsSpan(start, end - start + 1), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Extraction? Validate(ModelKnowledge answer, HashSet<long> personTurns)
    {
        if (answer.Facts is null || answer.People is null)
        {
            return null;
        }

        var people = answer.People
            .OfType<ModelPerson>()
            .Where(p => Fits(p.Name, 60) && personTurns.Contains(p.Turn))
            .Select(p => new ExtractedPerson(p.Name!.Trim(), [.. (p.Aliases ?? []).Where(a => Fits(a, 60)).Select(a => a.Trim())], Fits(p.Relation, 60) ? p.Relation!.Trim().ToLowerInvariant() : null, p.Turn))
            .ToList();
        var facts = answer.Facts
            .OfType<ModelFact>()
            .Where(f => Fits(f.Subject, 60) && Fits(f.Attribute, 60) && Fits(f.Value, MaxFieldLength) && Fits(f.Statement, MaxFieldLength) && personTurns.Contains(f.Turn))
            .Select(f => new ExtractedFact(
                f.Subject!.Trim().Equals("me", StringComparison.OrdinalIgnoreCase) || f.Subject!.Trim().Equals("user", StringComparison.OrdinalIgnoreCase) ? FactSubject.Person : f.Subject.Trim(),
                f.Attribute!.Trim().ToLowerInvariant(),
                f.Value!.Trim(),
                f.Statement!.Trim(),
                Fits(f.About, 60) ? f.About!.Trim() : null,
                f.Turn))
            .ToList();
        return new Extraction(people, facts, KnowledgeSource.Model);
    }

    private static SummaryDraft? Validate(ModelSummary answer) =>
        Fits(answer.Summary, MaxSummaryLength)
            ? new SummaryDraft(answer.Summary!.Trim(), Fits(answer.Reflection, MaxSummaryLength) ? answer.Reflection!.Trim() : null, KnowledgeSource.Model)
            : null;

    private static bool Fits(string? value, int maxLength) => !string.IsNullOrWhiteSpace(value) && value.Trim().Length <= maxLength;

    private static string Describe(ExtractionRequest request)
    {
        var text = new StringBuilder();
        if (request.CurrentFacts.Count > 0)
        {
            text.AppendLine("Known facts (subject | attribute | value):");
            foreach (var fact in request.CurrentFacts)
            {
                text.Append("- ").Append(fact.Subject).Append(" | ").Append(fact.Attribute).Append(" | ").AppendLine(fact.Value);
            }
        }

        if (request.People.Count > 0)
        {
            text.AppendLine("Known people:");
            foreach (var person in request.People)
            {
                text.Append("- ").Append(person.Name).Append(person.Relation is null ? "" : $" ({person.Relation})").AppendLine();
            }
        }

        text.AppendLine("New turns:");
        foreach (var turn in request.Turns)
        {
            text.AppendLine(turn.Speaker == Speaker.Person
                ? $"[{turn.Id.ToString(CultureInfo.InvariantCulture)}] person: {turn.Text}"
                : $"(companion: {turn.Text})");
        }

        return text.ToString();
    }

    private const string ExtractionInstructions =
        """
        You read what a person said to their companion and pick out lasting facts about the person and their world, and the people in their life.
        Answer with one JSON object only: {"facts": [...], "people": [...]}.
        Each fact: {"subject": "person" for the speaker, or the first name of someone in their life; "attribute": a short lowercase label;
        "value": the fact's value; "statement": one short sentence about the speaker calling them "they"; "about": the name of the other person it involves, or null;
        "turn": the number in brackets of the turn that says it}.
        Use these attributes when they fit, and always the same attribute for the same kind of fact, so a new value replaces the old one:
        home, workplace, occupation, marital status (values like "married to Catherine", "separated from Catherine", "divorced from Catherine"), relation, birthday, pet, health, hobby.
        Each person: {"name", "aliases": [other names for them], "relation": who they are to the speaker (sister, boss, friend), "turn"}.
        Only what the person states as true now; nothing hypothetical, nothing about the companion. Empty arrays when there is nothing.
        """;

    private const string SummaryInstructions =
        """
        You are a companion looking back on one conversation with your person. Answer with one JSON object only:
        {"summary": two or three sentences on what they talked about and anything that matters to them, calling the person "they",
         "reflection": one sentence, in the first person, on what you noticed or feel about them after this conversation}.
        """;
}

internal sealed record ModelKnowledge(List<ModelFact?>? Facts, List<ModelPerson?>? People);

internal sealed record ModelFact(string? Subject, string? Attribute, string? Value, string? Statement, string? About, long Turn);

internal sealed record ModelPerson(string? Name, List<string>? Aliases, string? Relation, long Turn);

internal sealed record ModelSummary(string? Summary, string? Reflection);
