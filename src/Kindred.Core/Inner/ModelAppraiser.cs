using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Kindred.Core.Inner;

/// <summary>
/// Asks the chat model how the person seems, as JSON against a schema, and accepts the answer only if it validates;
/// anything else (an error, a timeout, prose, a story, numbers out of range) falls back to <see cref="LexiconAppraiser"/>.
/// </summary>
public static class ModelAppraiser
{
    /// <summary>Tokens the model may use for its JSON answer.</summary>
    public const int MaxAnswerTokens = 96;

    private const string Instructions =
        "You read one message a person wrote to their companion and judge how they feel. Answer with JSON only, exactly " +
        "this shape: {\"valence\": number from -1 (very unpleasant) to 1 (very pleasant), \"arousal\": number from 0 " +
        "(calm) to 1 (agitated or excited), \"emotions\": up to three of [happy, excited, grateful, proud, calm, hopeful, " +
        "loving, amused, sad, lonely, tired, anxious, stressed, angry, frustrated, afraid, hurt, bored, confused], " +
        "\"need\": one of [company, vent, advice, laugh]}.";

    private static readonly JsonElement Schema = JsonDocument.Parse(
        """
        {
          "type": "object",
          "properties": {
            "valence": { "type": "number", "minimum": -1, "maximum": 1 },
            "arousal": { "type": "number", "minimum": 0, "maximum": 1 },
            "emotions": { "type": "array", "items": { "type": "string" }, "maxItems": 3 },
            "need": { "type": "string", "enum": ["company", "vent", "advice", "laugh"] }
          },
          "required": ["valence", "arousal", "emotions", "need"],
          "additionalProperties": false
        }
        """).RootElement.Clone();

    /// <summary>The model's appraisal of <paramref name="personTurn"/>, or the lexicon's when the model's is unusable.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <param name="timeBudget">How long the model may take before the lexicon answers instead (null: no limit).</param>
    /// <param name="time">The clock the budget is measured on (default: the system clock).</param>
    public static async Task<Appraisal> AppraiseAsync(IChatClient chat, string personTurn, CancellationToken cancellationToken, TimeSpan? timeBudget = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(personTurn);
        List<ChatMessage> messages = [new(ChatRole.System, Instructions), new(ChatRole.User, personTurn)];
        var options = new ChatOptions
        {
            MaxOutputTokens = MaxAnswerTokens,
            Temperature = 0,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "appraisal", "How the person seems in one message."),
        };
        // The appraisal is on the reply's critical path: a slow model must not hold the reply up for long.
        using var budget = timeBudget is { } limit ? new CancellationTokenSource(limit, time ?? TimeProvider.System) : new CancellationTokenSource();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            var response = await chat.GetResponseAsync(messages, options, either.Token).ConfigureAwait(false);
            if (TryParse(response.Text, out var appraisal))
            {
                return appraisal;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A model that cannot answer must not cost the person their reply; the lexicon answers instead.
        }

        return LexiconAppraiser.Appraise(personTurn);
    }

    /// <summary>
    /// Reads a model's answer: the first JSON object in it, validated field by field. Unknown emotion words are dropped,
    /// but a missing field, a number out of range or an unknown need rejects the whole answer.
    /// </summary>
    public static bool TryParse(string? answer, out Appraisal appraisal)
    {
        appraisal = Appraisal.Neutral(AppraisalSource.Model);
        var start = answer?.IndexOf('{', StringComparison.Ordinal) ?? -1;
        var end = answer?.LastIndexOf('}') ?? -1;
        if (start < 0 || end <= start)
        {
            return false;
        }

        AppraisalAnswer? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(answer.AsSpan(start, end - start + 1), AppraisalJsonContext.Default.AppraisalAnswer);
        }
        catch (JsonException)
        {
            return false;
        }

        if (parsed is not { Valence: { } valence, Arousal: { } arousal, Emotions: { } emotions, Need: { } needWord }
            || !double.IsFinite(valence) || valence is < -1 or > 1
            || !double.IsFinite(arousal) || arousal is < 0 or > 1
            || !Enum.TryParse<PersonNeed>(needWord, ignoreCase: true, out var need) || !Enum.IsDefined(need) || int.TryParse(needWord, out _))
        {
            return false;
        }

        var named = emotions
            .Where(e => e is not null)
            .Select(e => e!.Trim().ToLowerInvariant())
            .Where(Appraisal.KnownEmotions.Contains)
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .ToList();
        appraisal = new Appraisal(valence, arousal, named, need, AppraisalSource.Model);
        return true;
    }
}

internal sealed record AppraisalAnswer(double? Valence, double? Arousal, IReadOnlyList<string?>? Emotions, string? Need);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(AppraisalAnswer))]
internal sealed partial class AppraisalJsonContext : JsonSerializerContext;
