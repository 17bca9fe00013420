using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Kindred.Core;

/// <summary>Everything a reply's prompt is made from.</summary>
public sealed record PromptInputs(
    CompanionIdentity Companion,
    Relationship Relationship,
    IReadOnlyList<RecalledMemory> Memories,
    IReadOnlyList<StoredTurn> RecentTurns,
    string PersonTurn,
    DateTimeOffset Now)
{
    /// <summary>Recalled facts (best first); kept before episode memories when space is short.</summary>
    public IReadOnlyList<RecalledFact> Facts { get; init; } = [];

    /// <summary>Recalled people (best first).</summary>
    public IReadOnlyList<RecalledPerson> People { get; init; } = [];
    /// <summary>
    /// The inner life's words for this reply (who the companion is now, how the person seems, what to follow up);
    /// kept before the relationship and memories when the prompt is tight. Null or empty adds nothing.
    /// </summary>
    public string? Guidance { get; init; }
}

/// <summary>The prompt as composed, with what had to be left out to fit.</summary>
/// <param name="PromptTokens">Tokens the prompt takes, as counted by the model's tokenizer plus per-message overhead.</param>
public sealed record ComposedPrompt(
    IReadOnlyList<ChatMessage> Messages,
    int PromptTokens,
    int DroppedTurns,
    int DroppedMemories,
    bool PersonTurnTruncated);

/// <summary>
/// Fits persona, relationship, recalled memories and recent turns into the model's context, counted in the model's
/// own tokens. When they do not all fit, the least valuable go first: the oldest turns, then the weakest memories,
/// then the relationship, and the latest exchange last. The persona and the person's new turn always stay.
/// </summary>
public sealed class PromptComposer
{
    /// <summary>Tokens a chat template adds around each message (role markers, separators); a safe over-estimate.</summary>
    public const int MessageOverheadTokens = 8;

    // Values order what is dropped first; only their order matters.
    private const double RelationshipValue = 1_000;
    private const double GuidanceValue = 1_500;
    private const double LatestExchangeValue = 2_000;
    private const double MemoryBaseValue = 500;
    private const double OlderTurnBaseValue = 400;
    private const double CurrentFactBaseValue = 700;
    private const double PastFactBaseValue = 450;
    private const double PersonBaseValue = 600;

    private const string RelationshipSeparator = "\n\n";
    private const string MemoriesHeading = "\n\nThings you remember:";
    private const string FactsHeading = "\n\nWhat you know about them (newer facts replace older ones):";
    private const string PeopleHeading = "\n\nPeople in their life:";
    private const char MemorySeparator = '\n';

    private readonly ITokenCounter _tokens;
    private readonly int _replyReserve;

    /// <param name="tokens">The model's tokenizer and context length.</param>
    /// <param name="replyReserveTokens">Tokens kept free for the reply (default 512; at most half the context).</param>
    public PromptComposer(ITokenCounter tokens, int replyReserveTokens = 512)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(replyReserveTokens);
        _tokens = tokens;
        _replyReserve = Math.Min(replyReserveTokens, tokens.ContextLength / 2);
    }

    /// <summary>Tokens the prompt may use: the context less the reply reserve.</summary>
    public int PromptBudget => _tokens.ContextLength - _replyReserve;

    /// <summary>Tokens kept free for the reply; a reply must not be asked to be longer.</summary>
    public int ReplyReserve => _replyReserve;

    public ComposedPrompt Compose(PromptInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var persona = PersonaText(inputs.Companion);
        var required = Cost(persona) + MessageOverheadTokens * 2;
        var (personTurn, truncated) = FitPersonTurn(inputs.PersonTurn, PromptBudget - required);
        required += Cost(personTurn);

        var candidates = Candidates(inputs).OrderByDescending(c => c.Value).ToList();
        var remaining = PromptBudget - required;
        var kept = new List<Piece>();
        var headingCosts = new Dictionary<string, int> { [MemoriesHeading] = Cost(MemoriesHeading), [FactsHeading] = Cost(FactsHeading), [PeopleHeading] = Cost(PeopleHeading) };
        var headingsUsed = new HashSet<string>();
        var turnsCutOff = false;
        foreach (var candidate in candidates)
        {
            // Turns come newest first; once one does not fit, keeping an older one would leave a hole in the conversation.
            if (candidate.Turn is not null && turnsCutOff)
            {
                continue;
            }

            var tokens = candidate.Tokens + (candidate.Heading is { } heading && !headingsUsed.Contains(heading) ? headingCosts[heading] : 0);
            if (tokens <= remaining)
            {
                kept.Add(candidate);
                remaining -= tokens;
                if (candidate.Heading is not null)
                {
                    headingsUsed.Add(candidate.Heading);
                }
            }
            else if (candidate.Turn is not null)
            {
                turnsCutOff = true;
            }
        }

        var messages = Assemble(persona, kept, personTurn);
        return new ComposedPrompt(
            messages,
            PromptBudget - remaining,
            DroppedTurns: inputs.RecentTurns.Count - kept.Count(p => p.Turn is not null),
            DroppedMemories: inputs.Memories.Count - kept.Count(p => p.Memory is not null),
            truncated);
    }

    private IEnumerable<Piece> Candidates(PromptInputs inputs)
    {
        // Pieces of the system message are costed with the separator that joins them to it.
        var relationship = RelationshipText(inputs.Relationship, inputs.Now);
        yield return new Piece(relationship, Cost(RelationshipSeparator + relationship), RelationshipValue);

        if (!string.IsNullOrWhiteSpace(inputs.Guidance))
        {
            yield return new Piece(inputs.Guidance, Cost(RelationshipSeparator + inputs.Guidance), GuidanceValue) { IsGuidance = true };
        }

        foreach (var memory in inputs.Memories)
        {
            var line = MemoryLine(memory);
            yield return new Piece(line, Cost(MemorySeparator + line), MemoryBaseValue + Math.Clamp(memory.Score, 0, 1) * 100) { Memory = memory, Heading = MemoriesHeading };
        }

        foreach (var fact in inputs.Facts)
        {
            var line = FactLine(fact);
            var value = (fact.ValidTo is null ? CurrentFactBaseValue : PastFactBaseValue) + Math.Clamp(fact.Score, 0, 1) * 100;
            yield return new Piece(line, Cost(MemorySeparator + line), value) { Heading = FactsHeading };
        }

        foreach (var person in inputs.People)
        {
            var line = PersonLine(person);
            yield return new Piece(line, Cost(MemorySeparator + line), PersonBaseValue + Math.Clamp(person.Score, 0, 1) * 100) { Heading = PeopleHeading };
        }

        var turns = inputs.RecentTurns;
        for (var i = 0; i < turns.Count; i++)
        {
            var age = turns.Count - 1 - i;
            var text = TurnText(turns[i]);
            var value = age < 2 ? LatestExchangeValue - age : OlderTurnBaseValue - age * 0.001;
            yield return new Piece(text, Cost(text) + MessageOverheadTokens, value) { Turn = turns[i] };
        }
    }

    private static List<ChatMessage> Assemble(string persona, List<Piece> kept, string personTurn)
    {
        var system = new StringBuilder(persona);
        var guidance = kept.FirstOrDefault(p => p.IsGuidance);
        if (guidance is not null)
        {
            system.Append(RelationshipSeparator).Append(guidance.Text);
        }

        var relationship = kept.FirstOrDefault(p => p.Turn is null && p.Heading is null && !p.IsGuidance);
        if (relationship is not null)
        {
            system.Append(RelationshipSeparator).Append(relationship.Text);
        }

        foreach (var heading in new[] { FactsHeading, PeopleHeading, MemoriesHeading })
        {
            var lines = kept.Where(p => p.Heading == heading).OrderByDescending(p => p.Value).ToList();
            if (lines.Count > 0)
            {
                system.Append(heading);
                foreach (var line in lines)
                {
                    system.Append(MemorySeparator).Append(line.Text);
                }
            }
        }

        var messages = new List<ChatMessage> { new(ChatRole.System, system.ToString()) };
        foreach (var piece in kept.Where(p => p.Turn is not null).OrderBy(p => p.Turn!.Id))
        {
            var role = piece.Turn!.Speaker == Speaker.Person ? ChatRole.User : ChatRole.Assistant;
            messages.Add(new ChatMessage(role, piece.Text));
        }

        messages.Add(new ChatMessage(ChatRole.User, personTurn));
        return messages;
    }

    // A message far longer than the context keeps its end, which is what the person said last.
    private (string Text, bool Truncated) FitPersonTurn(string text, int budget)
    {
        if (Cost(text) <= budget)
        {
            return (text, false);
        }

        if (budget <= 0)
        {
            throw new InvalidOperationException(
                $"The model's context ({_tokens.ContextLength} tokens) is too small for the companion's persona; use a model with a larger context.");
        }

        int low = 0, high = text.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (Cost(text[mid..]) <= budget)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return (text[low..], true);
    }

    private int Cost(string text) => _tokens.CountTokens(text);

    internal static string PersonaText(CompanionIdentity companion)
    {
        var traits = companion.Traits.Count > 0 ? $" You are {string.Join(", ", companion.Traits)}." : "";
        return $"You are {companion.Name}. {companion.Persona}{traits}";
    }

    internal static string RelationshipText(Relationship relationship, DateTimeOffset now)
    {
        var who = relationship.PersonName is null
            ? "You have not learned your person's name yet; ask for it warmly."
            : $"You are talking with {relationship.PersonName}.";
        return $"{who} You have known each other for {Describe(relationship.KnownFor(now))} and have shared {relationship.TurnCount} turns. It is {now.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)}.";
    }

    private static string MemoryLine(RecalledMemory memory) =>
        memory.At is { } at ? $"- ({at.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}) {memory.Text}" : $"- {memory.Text}";

    private static string FactLine(RecalledFact fact) =>
        fact.ValidTo is { } until
            ? $"- (no longer true; from {Day(fact.ValidFrom)} until {Day(until)}) {fact.Text}"
            : $"- (since {Day(fact.ValidFrom)}) {fact.Text}";

    private static string PersonLine(RecalledPerson person)
    {
        var aliases = person.Aliases.Count > 0 ? $" (also {string.Join(", ", person.Aliases)})" : "";
        return person.Relation is null ? $"- {person.Name}{aliases}" : $"- {person.Name}{aliases}: their {person.Relation}";
    }

    private static string Day(DateTimeOffset at) => at.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string TurnText(StoredTurn turn) =>
        turn.Status == TurnStatus.Interrupted ? turn.Text + " [you were interrupted here]" : turn.Text;

    private static string Describe(TimeSpan span) => span switch
    {
        { TotalMinutes: < 60 } => "less than an hour",
        { TotalDays: < 1 } => $"{(int)span.TotalHours} hour{(span.TotalHours >= 2 ? "s" : "")}",
        { TotalDays: < 60 } => $"{(int)span.TotalDays} day{(span.TotalDays >= 2 ? "s" : "")}",
        { TotalDays: < 730 } => $"{(int)(span.TotalDays / 30)} months",
        _ => $"{(int)(span.TotalDays / 365)} years",
    };

    private sealed record Piece(string Text, int Tokens, double Value)
    {
        public StoredTurn? Turn { get; init; }

        public RecalledMemory? Memory { get; init; }

        /// <summary>The system-message section the piece is listed under; null for the relationship and for turns.</summary>
        public string? Heading { get; init; }
        public bool IsGuidance { get; init; }
    }
}
