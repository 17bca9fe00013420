using Kindred.Core;

namespace Kindred.Memory.Knowledge;

/// <summary>A fact found in one turn.</summary>
/// <param name="About">The name of the person in their life the fact involves, if any.</param>
/// <param name="TurnId">The turn that said it; its time is when the fact became known.</param>
public sealed record ExtractedFact(string Subject, string Attribute, string Value, string Text, string? About, long TurnId);

/// <summary>Someone the person mentioned in one turn.</summary>
public sealed record ExtractedPerson(string Name, IReadOnlyList<string> Aliases, string? Relation, long TurnId);

/// <summary>What extraction found in a batch of turns, and how.</summary>
public sealed record Extraction(IReadOnlyList<ExtractedPerson> People, IReadOnlyList<ExtractedFact> Facts, KnowledgeSource Source)
{
    public static Extraction Nothing(KnowledgeSource source) => new([], [], source);
}

/// <summary>New turns to read, with what is already known so that a change can be told from a new fact.</summary>
public sealed record ExtractionRequest(
    string CompanionId,
    IReadOnlyList<StoredTurn> Turns,
    IReadOnlyList<StoredFact> CurrentFacts,
    IReadOnlyList<KnownPerson> People);

/// <summary>A session's summary and, when the model offers one, the companion's reflection on it.</summary>
public sealed record SummaryDraft(string Text, string? Reflection, KnowledgeSource Source);

/// <summary>
/// Turns what was said into knowledge: facts, people, session summaries. The seam between the built-in rules and a
/// chat model. Implementations do not throw for bad model output: they fall back, so that nothing is lost.
/// </summary>
public interface IKnowledgeExtractor
{
    /// <summary>Facts and people in <see cref="ExtractionRequest.Turns"/>; only what the person said counts.</summary>
    Task<Extraction> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken);

    /// <summary>A summary of one session's turns (oldest first); null when there is nothing to summarise.</summary>
    Task<SummaryDraft?> SummarizeAsync(IReadOnlyList<StoredTurn> session, CancellationToken cancellationToken);
}
