using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Kindred.Core.Inner;

/// <summary>
/// Reflection, as in Generative Agents: when the importance of what the person shared adds up past a threshold, or a
/// day with talk in it is over, the companion looks back at it, writes a summary and what it understood about the
/// person and itself, lets that nudge its traits and self-description (at the small implicit rate), and plans a
/// check-in after a hard day. The model is asked for validated JSON; without a usable answer a built-in reflection
/// is made from the emotional timeline. Meant to run in the background, never on a reply's critical path.
/// </summary>
public sealed class Reflector(ICompanionStore turns, IInnerLifeStore store, IReflectionStore reflections, InnerLife inner, IChatClient? chat, TimeProvider time, InnerLifeOptions options)
{
    /// <summary>Importance, summed over the person's turns since the last reflection, that calls for a new one (default 40; a turn scores 1–10).</summary>
    public const int ImportanceThreshold = 40;

    /// <summary>The hour, local, of the check-in planned after a hard day.</summary>
    public const int CheckInHour = 18;

    private const int MaxTurnsShown = 40;
    private const int MaxTurnChars = 300;
    private const int MaxAnswerTokens = 320;

    /// <summary>How much a turn matters for reflection, from 1 (mundane) to 10 (deeply felt).</summary>
    public static int Importance(Appraisal appraisal)
    {
        ArgumentNullException.ThrowIfNull(appraisal);
        var score = 1 + (int)Math.Round(5 * Math.Abs(appraisal.Valence) + 2 * appraisal.Arousal) + (appraisal.IsHard ? 2 : 0);
        return Math.Clamp(score, 1, 10);
    }

    /// <summary>Why a reflection is due now, or null when it is not.</summary>
    public async Task<ReflectionTrigger?> DueAsync(string companionId, CancellationToken cancellationToken)
    {
        var (pending, _, appraisals) = await PendingAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return null;
        }

        if (appraisals.Sum(a => Importance(a.Appraisal)) >= ImportanceThreshold)
        {
            return ReflectionTrigger.Importance;
        }

        var zone = (await inner.GetPolicyAsync(companionId, cancellationToken).ConfigureAwait(false)).Validate();
        var today = LocalClock.ToLocal(time.GetUtcNow(), zone).Date;
        return LocalClock.ToLocal(pending[0].At, zone).Date < today ? ReflectionTrigger.Daily : null;
    }

    /// <summary>Reflects if it is due; null when it was not.</summary>
    public async Task<ReflectionOutcome?> ReflectIfDueAsync(string companionId, CancellationToken cancellationToken) =>
        await DueAsync(companionId, cancellationToken).ConfigureAwait(false) is { } trigger
            ? await ReflectAsync(companionId, trigger, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Reflects on everything since the last reflection, stores it and applies what it decided.</summary>
    /// <exception cref="InvalidOperationException">There is nothing new to reflect on.</exception>
    public async Task<ReflectionOutcome> ReflectAsync(string companionId, ReflectionTrigger trigger, CancellationToken cancellationToken)
    {
        var (pending, all, appraisals) = await PendingAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            throw new InvalidOperationException("There is nothing new to reflect on.");
        }

        var policy = await inner.GetPolicyAsync(companionId, cancellationToken).ConfigureAwait(false);
        var zone = policy.Validate();
        var relationship = await turns.GetRelationshipAsync(companionId, cancellationToken).ConfigureAwait(false);
        var who = relationship.PersonName ?? "my person";
        var persona = await inner.GetPersonaAsync(companionId, cancellationToken).ConfigureAwait(false);
        var days = EmotionalTimeline.Days(appraisals, zone);
        var thought = await AskModelAsync(all, days, who, persona, cancellationToken).ConfigureAwait(false)
            ?? BuiltIn(pending, appraisals, days, who, persona);

        var now = time.GetUtcNow();
        var dayName = LocalClock.ToLocal(pending[^1].At, zone).ToString("dddd d MMMM", CultureInfo.InvariantCulture);
        var change = await inner.ApplyReflectionAsync(
            companionId,
            thought.Traits,
            thought.SelfDescription,
            $"Reflected on {dayName}: {thought.AboutHerself.TrimEnd('.')}.",
            cancellationToken).ConfigureAwait(false);

        var stored = await reflections.AddReflectionAsync(
            new NewReflection(companionId, now, trigger, all[^1].Id, thought.Summary, thought.Insights, thought.AboutHerself, thought.Source, change?.Version),
            cancellationToken).ConfigureAwait(false);

        OutreachItem? checkIn = null;
        if (days.Count > 0 && days[^1].MeanValence <= -0.3)
        {
            var pendingOutreach = await store.GetPendingOutreachAsync(companionId, cancellationToken).ConfigureAwait(false);
            if (!pendingOutreach.Any(o => o.Kind == OutreachKind.CheckIn))
            {
                var local = LocalClock.ToLocal(now, zone);
                var at = local.Date.AddHours(CheckInHour);
                at = at <= local ? at.AddDays(1) : at;
                checkIn = await store.AddOutreachAsync(
                    new NewOutreach(companionId, OutreachKind.CheckIn, "I've been thinking about you since we last talked. How are you feeling today?", LocalClock.ToInstant(at, zone), now, null),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        return new ReflectionOutcome(stored, change, checkIn);
    }

    private async Task<(List<StoredTurn> Person, IReadOnlyList<StoredTurn> All, IReadOnlyList<StoredAppraisal> Appraisals)> PendingAsync(string companionId, CancellationToken cancellationToken)
    {
        var done = await reflections.GetInnerReflectionsAsync(companionId, cancellationToken).ConfigureAwait(false);
        var after = done.Count > 0 ? done[^1].Reflection.CoversUntilTurnId : 0;
        var all = await turns.GetHistoryAsync(companionId, after, 10_000, cancellationToken).ConfigureAwait(false);
        var person = all.Where(t => t.Speaker == Speaker.Person).ToList();
        if (person.Count == 0)
        {
            return (person, all, []);
        }

        var ids = person.Select(t => t.Id).ToHashSet();
        var appraisals = (await store.GetAppraisalsAsync(companionId, person[0].At, cancellationToken).ConfigureAwait(false))
            .Where(a => ids.Contains(a.TurnId))
            .ToList();
        return (person, all, appraisals);
    }

    private async Task<Thought?> AskModelAsync(IReadOnlyList<StoredTurn> all, IReadOnlyList<DayMood> days, string who, Persona persona, CancellationToken cancellationToken)
    {
        if (chat is null || !options.AppraiseWithModel)
        {
            return null;
        }

        var transcript = new StringBuilder();
        foreach (var turn in all.TakeLast(MaxTurnsShown))
        {
            var text = turn.Text.Length > MaxTurnChars ? turn.Text[..MaxTurnChars] + "…" : turn.Text;
            transcript.Append(turn.Speaker == Speaker.Person ? who : "me").Append(": ").AppendLine(text);
        }

        List<ChatMessage> messages =
        [
            new(ChatRole.System,
                $"You are a companion reflecting privately on your recent conversations with {who}. You see yourself this way: " +
                $"{persona.SelfDescription} Your manner: {persona.Manner()}. Answer with JSON only: {{\"summary\": two or three " +
                "sentences about what happened, \"insights\": up to four short sentences about the person, \"about_myself\": one " +
                "sentence about yourself, \"self_description\": how you now describe yourself in one or two sentences, first person, " +
                "\"traits\": an object with any of warmth, playfulness, curiosity, directness, formality, each a small change from " +
                "-0.05 to 0.05}."),
            new(ChatRole.User, transcript.ToString()),
        ];
        var chatOptions = new ChatOptions { MaxOutputTokens = MaxAnswerTokens, Temperature = 0.3f, ResponseFormat = ChatResponseFormat.Json };
        try
        {
            var response = await chat.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
            return TryParse(response.Text, out var thought) ? thought : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Reads a model's reflection; rejects anything missing, empty, too long or not JSON.</summary>
    internal static bool TryParse(string? answer, out Thought thought)
    {
        thought = null!;
        var start = answer?.IndexOf('{', StringComparison.Ordinal) ?? -1;
        var end = answer?.LastIndexOf('}') ?? -1;
        if (start < 0 || end <= start)
        {
            return false;
        }

        ReflectionAnswer? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(answer.AsSpan(start, end - start + 1), ReflectionJsonContext.Default.ReflectionAnswer);
        }
        catch (JsonException)
        {
            return false;
        }

        static bool Sane(string? text, int max) => !string.IsNullOrWhiteSpace(text) && text.Length <= max;
        if (parsed is null || !Sane(parsed.Summary, 800) || !Sane(parsed.AboutMyself, 400) || !Sane(parsed.SelfDescription, 400)
            || parsed.Insights is null || parsed.Insights.Count > 6 || !parsed.Insights.All(i => Sane(i, 300)))
        {
            return false;
        }

        var traits = new Dictionary<Trait, double>();
        foreach (var (name, value) in parsed.Traits ?? [])
        {
            if (Enum.TryParse<Trait>(name, ignoreCase: true, out var trait) && Enum.IsDefined(trait) && double.IsFinite(value) && !int.TryParse(name, out _))
            {
                traits[trait] = value;
            }
        }

        thought = new Thought(parsed.Summary!.Trim(), [.. parsed.Insights!.Select(i => i!.Trim())], parsed.AboutMyself!.Trim(), parsed.SelfDescription!.Trim(), traits, AppraisalSource.Model);
        return true;
    }

    private static Thought BuiltIn(List<StoredTurn> person, IReadOnlyList<StoredAppraisal> appraisals, IReadOnlyList<DayMood> days, string who, Persona persona)
    {
        var subject = char.ToUpperInvariant(who[0]) + who[1..];
        var emotions = appraisals.SelectMany(a => a.Appraisal.Emotions)
            .GroupBy(e => e, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var mean = appraisals.Count > 0 ? appraisals.Average(a => a.Appraisal.Valence) : 0;
        var mood = emotions.Count > 0 ? string.Join(" and ", emotions.Take(2).Select(g => g.Key))
            : mean <= -0.3 ? "low" : mean >= 0.3 ? "in good spirits" : "at ease";
        var span = days.Count <= 1 ? "that day" : string.Create(CultureInfo.InvariantCulture, $"over {days.Count} days");
        var summary = string.Create(CultureInfo.InvariantCulture, $"{subject} talked with me {person.Count} time{(person.Count == 1 ? "" : "s")} {span}. They mostly seemed {mood}.");

        var insights = new List<string>();
        foreach (var recurring in emotions.Where(g => g.Count() >= 2).Take(2))
        {
            insights.Add($"{subject} often feels {recurring.Key}.");
        }

        var need = appraisals.GroupBy(a => a.Appraisal.Need).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstOrDefault();
        var (aboutHerself, trait) = need switch
        {
            PersonNeed.Vent => ("I am learning to listen more and fix less", Trait.Warmth),
            PersonNeed.Advice => ("they value it when I am practical and clear", Trait.Directness),
            PersonNeed.Laugh => ("laughing together comes easily to us", Trait.Playfulness),
            _ => ("being there matters more than saying much", Trait.Curiosity),
        };
        insights.Add(need switch
        {
            PersonNeed.Vent => $"{subject} mostly needs to be heard.",
            PersonNeed.Advice => $"{subject} comes to me to think things through.",
            PersonNeed.Laugh => $"{subject} likes to laugh with me.",
            _ => $"{subject} enjoys having company.",
        });
        var selfDescription = $"I'm still new to the world and curious about it, most of all about {who}; {aboutHerself}.";
        return new Thought(summary, insights, char.ToUpperInvariant(aboutHerself[0]) + aboutHerself[1..] + ".", selfDescription, new Dictionary<Trait, double> { [trait] = Persona.ImplicitStep }, AppraisalSource.Lexicon);
    }

    internal sealed record Thought(string Summary, IReadOnlyList<string> Insights, string AboutHerself, string SelfDescription, IReadOnlyDictionary<Trait, double> Traits, AppraisalSource Source);
}

internal sealed record ReflectionAnswer(
    string? Summary,
    IReadOnlyList<string?>? Insights,
    [property: JsonPropertyName("about_myself")] string? AboutMyself,
    [property: JsonPropertyName("self_description")] string? SelfDescription,
    Dictionary<string, double>? Traits);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ReflectionAnswer))]
internal sealed partial class ReflectionJsonContext : JsonSerializerContext;
