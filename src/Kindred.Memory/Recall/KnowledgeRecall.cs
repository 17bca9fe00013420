using System.Text.RegularExpressions;
using Kindred.Core;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Recall;

/// <summary>
/// Brings facts and people to mind for what the person just said. A person's facts are few (hundreds, not
/// millions), so they are scored in memory: shared words, the kind of fact the question asks about ("married",
/// "where do I live"), and the people it names. Current facts come first, and a few always come along as what the
/// companion knows of its person; facts that no longer hold come only when the question looks to the past ("when
/// did…", "used to", "before").
/// </summary>
public sealed partial class KnowledgeRecall(IKnowledgeStore knowledge, int maxFacts = 12, int maxPeople = 6, int standingFacts = 4)
{
    // Words that point a question at one kind of fact.
    private static readonly (string Attribute, string[] Words)[] AttributeWords =
    [
        ("marital status", ["married", "marriage", "wife", "husband", "spouse", "divorce", "divorced", "separate", "separated", "engaged", "single", "wedding"]),
        ("home", ["live", "lives", "living", "home", "moved", "move", "house", "city", "flat", "apartment"]),
        ("workplace", ["work", "works", "working", "job", "office", "employer", "company", "boss"]),
        ("occupation", ["work", "job", "profession", "career", "do for a living"]),
    ];

    public async Task<(IReadOnlyList<RecalledFact> Facts, IReadOnlyList<RecalledPerson> People)> RecallAsync(string companionId, string query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(query);
        var people = await knowledge.GetPeopleAsync(companionId, cancellationToken).ConfigureAwait(false);
        var aboutThePast = AboutThePast().IsMatch(query);
        var facts = await knowledge.GetFactsAsync(companionId, includeSuperseded: aboutThePast, cancellationToken).ConfigureAwait(false);
        var queryWords = Words(query);

        var named = people
            .Select(p => (Person: p, Why: p.AllNames.Any(n => Names.Mentions(query, n)) ? $"{p.Name} is named in what they said"
                : p.Relation is not null && Names.Mentions(query, p.Relation) ? $"their {p.Relation} is mentioned" : null))
            .Where(x => x.Why is not null)
            .ToList();
        var namedIds = named.Select(x => x.Person.Id).ToHashSet();
        var namedNames = named.SelectMany(x => x.Person.AllNames).ToList();

        var scored = new List<(StoredFact Fact, double Score, string Why)>();
        foreach (var fact in facts)
        {
            var reasons = new List<string>();
            double score = 0;
            var overlap = queryWords.Count == 0 ? 0 : (double)queryWords.Intersect(Words($"{fact.Text} {fact.Value} {fact.Subject} {fact.Attribute}")).Count() / queryWords.Count;
            if (overlap > 0)
            {
                score += 0.5 * overlap;
                reasons.Add("shares words with what they said");
            }

            if (AttributeWords.Any(a => Names.Same(a.Attribute, fact.Attribute) && a.Words.Any(w => Names.Mentions(query, w))))
            {
                score += 0.3;
                reasons.Add($"about their {fact.Attribute}");
            }

            if ((fact.PersonId is { } personId && namedIds.Contains(personId)) || namedNames.Any(n => Names.Same(n, fact.Subject)))
            {
                score += 0.4;
                reasons.Add("about someone they mentioned");
            }

            if (score == 0)
            {
                if (!fact.IsCurrent)
                {
                    continue;
                }

                // What the companion knows of its person is worth keeping in view even when not asked about.
                score = 0.05;
                reasons.Add("something you know about them");
            }

            if (!fact.IsCurrent)
            {
                reasons.Add("no longer true; the question looks to the past");
            }

            scored.Add((fact, Math.Min(score, 1), string.Join("; ", reasons)));
        }

        var matched = scored.Where(s => s.Score > 0.05).ToList();
        var current = matched.Where(s => s.Fact.IsCurrent).OrderByDescending(s => s.Score).ThenByDescending(s => s.Fact.Id);
        var standing = scored.Where(s => s.Score <= 0.05).OrderByDescending(s => s.Fact.Id).Take(standingFacts);
        var past = matched.Where(s => !s.Fact.IsCurrent).OrderByDescending(s => s.Score).ThenByDescending(s => s.Fact.Id);
        var recalledFacts = current.Concat(past).Concat(standing)
            .Take(maxFacts)
            .Select(s => new RecalledFact(s.Fact.Text, s.Score, s.Why, s.Fact.ValidFrom, s.Fact.ValidTo))
            .ToList();

        var recalledPeople = named
            .Take(maxPeople)
            .Select(x => new RecalledPerson(x.Person.Name, x.Person.Relation, x.Person.Aliases, 1, x.Why!))
            .ToList();
        return (recalledFacts, recalledPeople);
    }

    // Lower-case words of three letters or more, less the commonest, with a crude English stem so "moved" meets "move".
    private static HashSet<string> Words(string text) =>
        [.. WordPattern().Matches(text.ToLowerInvariant())
            .Select(m => m.Value)
            .Where(w => w.Length >= 3 && !StopWords.Contains(w))
            .Select(Stem)];

    private static string Stem(string word) =>
        word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5 ? word[..^3]
        : word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4 ? word[..^2]
        : word.EndsWith('s') && word.Length > 3 && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1]
        : word.EndsWith('e') && word.Length > 3 ? word[..^1]
        : word;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "you", "your", "are", "was", "were", "what", "when", "where", "who", "how", "did", "does", "do", "that",
        "this", "with", "for", "from", "have", "has", "had", "they", "them", "their", "she", "her", "him", "his", "not", "but",
        "about", "still", "any", "can", "could", "would", "will", "just", "there", "then", "than", "now", "our", "out", "its",
        "person", "all", "also", "been", "being", "into", "like", "some",
    };

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\b(?i:when|before|used to|ago|last (?:year|month|week)|previously|formerly|ever|was|were|did|back then|at first|originally|anymore|any more|history|since)\b")]
    private static partial Regex AboutThePast();
}
