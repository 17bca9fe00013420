using System.Text.RegularExpressions;
using Kindred.Core;

namespace Kindred.Memory.Knowledge;

/// <summary>
/// Knowledge without a language model: common facts and people found by rules in the person's own words ("my sister
/// Amy", "I'm married to Catherine", "we separated", and the working and living life: "I work at the Central Library",
/// "I'm a nurse", "I quit", "I live in Leeds", "I moved to Z", "I'm from Y", "I turned 40"), and an extractive summary
/// made of the person's most telling sentences. Deterministic; it never guesses beyond what was said.
/// </summary>
public sealed partial class BuiltInExtractor : IKnowledgeExtractor
{
    private const string MaritalStatus = "marital status";
    private const int SummarySentences = 3;
    private const int SummaryMaxCharacters = 480;

    // Words that start a sentence in capitals but are not names.
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "I", "I'm", "The", "A", "An", "My", "We", "She", "He", "They", "It", "This", "That", "Is", "And", "But", "So", "Then",
        "Just", "Also", "Today", "Yesterday", "Tomorrow", "Now", "Well", "Oh", "Yes", "No", "Who", "What", "When",
    };

    /// <inheritdoc />
    public Task<Extraction> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var people = new List<ExtractedPerson>();
        var facts = new List<ExtractedFact>();

        // The partner a "we separated" is about: the latest one the person was married or engaged to.
        var partner = request.CurrentFacts
            .Where(f => f.Subject == FactSubject.Person && f.Attribute == MaritalStatus)
            .Select(f => PartnerIn(f.Value, request.People, f.PersonId))
            .LastOrDefault(p => p is not null);

        // The workplace a "quit" or "left" is about: the current one.
        var workplace = CurrentWorkplace(request.CurrentFacts);

        foreach (var turn in request.Turns.Where(t => t.Speaker == Speaker.Person))
        {
            foreach (var sentence in Sentences(turn.Text).Where(s => !s.EndsWith('?')))
            {
                Read(sentence, turn.Id, people, facts, ref partner, ref workplace);
            }
        }

        return Task.FromResult(new Extraction(people, facts, KnowledgeSource.BuiltIn));
    }

    /// <inheritdoc />
    public Task<SummaryDraft?> SummarizeAsync(IReadOnlyList<StoredTurn> session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var sentences = session
            .Where(t => t.Speaker == Speaker.Person)
            .SelectMany(t => Sentences(t.Text))
            .Select((text, order) => (Text: text, Order: order, Score: Telling(text)))
            .ToList();
        if (sentences.Count == 0)
        {
            return Task.FromResult<SummaryDraft?>(null);
        }

        if (sentences.All(s => s.Score == 0))
        {
            // Still a summary, so the session is not looked at again and again.
            return Task.FromResult<SummaryDraft?>(new SummaryDraft("They only exchanged a few words.", null, KnowledgeSource.BuiltIn));
        }

        var chosen = sentences.Where(s => s.Score > 0).OrderByDescending(s => s.Score).ThenBy(s => s.Order).Take(SummarySentences).OrderBy(s => s.Order);
        var text = "They said: " + string.Join(" ", chosen.Select(s => $"\"{s.Text}\""));
        if (text.Length > SummaryMaxCharacters)
        {
            text = text[..(SummaryMaxCharacters - 1)] + "…";
        }

        return Task.FromResult<SummaryDraft?>(new SummaryDraft(text, null, KnowledgeSource.BuiltIn));
    }

    private static void Read(string sentence, long turnId, List<ExtractedPerson> people, List<ExtractedFact> facts, ref string? partner, ref string? workplace)
    {
        if (Hypothetical().IsMatch(sentence))
        {
            return;
        }

        foreach (Match match in RelativeNamed().Matches(sentence).Concat(NamedRelative().Matches(sentence)))
        {
            var name = match.Groups["name"].Value;
            var relation = match.Groups["rel"].Value.ToLowerInvariant();
            if (IsName(name) && !people.Any(p => Names.Same(p.Name, name) && p.TurnId == turnId))
            {
                people.Add(new ExtractedPerson(name, [], relation, turnId));
                facts.Add(new ExtractedFact(name, "relation", relation, $"{name} is their {relation}.", name, turnId));
            }
        }

        ReadLife(sentence, turnId, facts, ref workplace);
        ReadMaritalStatus(sentence, turnId, people, facts, ref partner);
    }

    private static void ReadMaritalStatus(string sentence, long turnId, List<ExtractedPerson> people, List<ExtractedFact> facts, ref string? partner)
    {
        string? value = null, text = null, who = null;
        if (MarriedTo().Match(sentence) is { Success: true } married && IsName(married.Groups["name"].Value))
        {
            who = married.Groups["name"].Value;
            var state = married.Groups["state"].Value.StartsWith("engaged", StringComparison.OrdinalIgnoreCase) ? "engaged" : "married";
            (value, text) = ($"{state} to {who}", $"They are {state} to {who}.");
        }
        else if (Separated().Match(sentence) is { Success: true } separated)
        {
            who = NameOrPartner(separated, partner);
            (value, text) = who is null ? ("separated", "They separated from their partner.") : ($"separated from {who}", $"They separated from {who}.");
        }
        else if (Divorced().Match(sentence) is { Success: true } divorced)
        {
            who = NameOrPartner(divorced, partner);
            (value, text) = who is null ? ("divorced", "They are divorced.") : ($"divorced from {who}", $"They are divorced from {who}.");
        }
        else if (Single().IsMatch(sentence))
        {
            (value, text) = ("single", "They are single.");
        }

        if (value is null)
        {
            return;
        }

        partner = who;
        if (who is not null && !people.Any(p => Names.Same(p.Name, who) && p.TurnId == turnId))
        {
            people.Add(new ExtractedPerson(who, [], null, turnId));
        }

        facts.Add(new ExtractedFact(FactSubject.Person, MaritalStatus, value, text!, who, turnId));
    }

    private static string? NameOrPartner(Match match, string? partner) =>
        match.Groups["name"].Success && IsName(match.Groups["name"].Value) ? match.Groups["name"].Value : partner;

    private static string? PartnerIn(string value, IReadOnlyList<KnownPerson> people, long? personId)
    {
        var named = people.FirstOrDefault(p => p.Id == personId)?.Name;
        if (named is not null)
        {
            return named;
        }

        var to = value.LastIndexOf(" to ", StringComparison.OrdinalIgnoreCase);
        var from = value.LastIndexOf(" from ", StringComparison.OrdinalIgnoreCase);
        return to >= 0 ? value[(to + 4)..] : from >= 0 ? value[(from + 6)..] : null;
    }

    private static bool IsName(string candidate) => candidate.Split(' ').All(word => !NotNames.Contains(word));

    private static string Trim(string value) => value.TrimEnd('.', ',', '!', ';', ':', '\'', '-').Trim();

    private static int Telling(string sentence)
    {
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 4)
        {
            return 0;
        }

        var found = new List<ExtractedFact>();
        string? partner = null, workplace = null;
        Read(sentence, 0, [], found, ref partner, ref workplace);
        var names = words.Skip(1).Count(w => w.Length > 1 && char.IsUpper(w[0]) && IsName(w.TrimEnd('.', ',', '!')));
        return 1 + (found.Count > 0 ? 3 : 0) + Math.Min(names, 2) + (words.Length is >= 6 and <= 40 ? 1 : 0);
    }

    internal static IEnumerable<string> Sentences(string text) =>
        SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0);

    private const string Relation =
        "sister|brother|mother|mum|mom|father|dad|wife|husband|partner|son|daughter|best friend|friend|boss|manager|colleague|" +
        "coworker|co-worker|cousin|aunt|uncle|grandmother|grandma|granny|grandfather|grandpa|girlfriend|boyfriend|fianc[ée]e?|" +
        "fiancee?|niece|nephew|neighbou?r|roommate|flatmate|therapist|doctor|teacher|stepmother|stepfather|dog|cat";

    private const string Name = @"(?<name>\p{Lu}[\p{L}'-]+(?:\s\p{Lu}[\p{L}'-]+)?)";
    private const string Place = @"\p{Lu}[\p{L}'.-]*(?:[\s-](?:\p{Lu}[\p{L}'.-]*|de|do|da|del|upon|on|of))*(?<![\s-](?:de|do|da|del|upon|on|of))";

    [GeneratedRegex(@"(?<=[.!?;])\s+|\n+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\b(?i:if|would|wish|might|could|should|maybe|perhaps|dream|imagine|want to|hope to|plan to|thinking of|going to)\b")]
    private static partial Regex Hypothetical();

    [GeneratedRegex(@"\b(?i:my)\s+(?:(?i:little|big|older|younger|twin|new|old|late|dear)\s+)?(?<rel>(?i:" + Relation + @"))(?:,|'s name is|\s+(?i:is called|is named|named|called))?\s+" + Name)]
    private static partial Regex RelativeNamed();

    [GeneratedRegex(Name + @"\s+(?i:is|was)\s+(?i:my)\s+(?:(?i:little|big|older|younger|twin|new|old|late|dear)\s+)?(?<rel>(?i:" + Relation + @"))\b")]
    private static partial Regex NamedRelative();

    [GeneratedRegex(@"\b(?:I|(?i:i))(?:'m|\s+am|\s+got|'ve\s+been|\s+have\s+been)?\s+(?:(?i:now|just|happily|finally)\s+)?(?<state>(?i:married|engaged))\s+(?i:to)\s+" + Name + @"|\b(?:I|(?i:i))\s+(?:(?i:just)\s+)?(?<state>(?i:married))\s+" + Name)]
    private static partial Regex MarriedTo();

    [GeneratedRegex(@"\b(?i:we|I)(?:'ve|'re|'m|\s+have|\s+are|\s+am)?\s+(?:(?i:just|now|finally|recently)\s+)?(?i:separated|split up|broken up|broke up)(?:\s+(?i:from|with)\s+" + Name + ")?")]
    private static partial Regex Separated();

    [GeneratedRegex(@"\b(?i:we|I)(?:'re|'m|\s+are|\s+am|\s+got|'ve\s+been|\s+have\s+been)?\s+(?:(?i:now|finally|officially|just)\s+)?(?:(?i:got)\s+)?(?i:divorced)(?:\s+(?i:from)\s+" + Name + ")?")]
    private static partial Regex Divorced();

    [GeneratedRegex(@"\b(?i:I)(?:'m|\s+am)\s+(?:(?i:now|still)\s+)?(?i:single)\b")]
    private static partial Regex Single();
}
