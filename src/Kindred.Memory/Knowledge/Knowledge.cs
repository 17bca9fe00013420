namespace Kindred.Memory.Knowledge;

/// <summary>Where a piece of knowledge came from.</summary>
public enum KnowledgeSource
{
    /// <summary>The built-in, rule-based extractor, from the person's own words.</summary>
    BuiltIn = 0,

    /// <summary>The chat model, with structured output.</summary>
    Model = 1,

    /// <summary>The person, correcting what was known (<c>kindred memory edit</c>).</summary>
    Person = 2,
}

/// <summary>Subjects of facts that are not someone's name.</summary>
public static class FactSubject
{
    /// <summary>The person the companion talks with.</summary>
    public const string Person = "person";
}

/// <summary>
/// Something true about the person or their world for a span of time. A fact that stops being true is closed, not
/// deleted: <see cref="ValidTo"/> is when the newer fact with the same subject and attribute took over.
/// </summary>
/// <param name="Subject"><see cref="FactSubject.Person"/>, or the name of someone in the person's life.</param>
/// <param name="Attribute">What the fact is about ("home", "workplace", "marital status", "relation"); one current value per subject and attribute.</param>
/// <param name="Value">The value that a contradiction changes ("married to Catherine", "Lisbon").</param>
/// <param name="Text">The fact as one sentence about the person ("They live in Lisbon.").</param>
/// <param name="PersonId">The person in their life the fact involves, if any.</param>
/// <param name="ValidFrom">When it was first said (or corrected).</param>
/// <param name="ValidTo">When a newer fact replaced it; null while it holds.</param>
/// <param name="SupersededBy">The fact that replaced it, if any.</param>
/// <param name="TurnIds">The episodes (turns) it came from, oldest first.</param>
public sealed record StoredFact(
    long Id,
    string CompanionId,
    string Subject,
    string Attribute,
    string Value,
    string Text,
    long? PersonId,
    KnowledgeSource Source,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo,
    long? SupersededBy,
    IReadOnlyList<long> TurnIds)
{
    /// <summary>Whether the fact still holds.</summary>
    public bool IsCurrent => ValidTo is null;
}

/// <summary>Someone in the person's life.</summary>
/// <param name="Relation">Who they are to the person ("sister", "boss"), if said.</param>
/// <param name="TurnIds">The turns that mention them, oldest first.</param>
public sealed record KnownPerson(
    long Id,
    string CompanionId,
    string Name,
    IReadOnlyList<string> Aliases,
    string? Relation,
    DateTimeOffset FirstMentionedAt,
    IReadOnlyList<long> TurnIds)
{
    /// <summary>The name and every alias.</summary>
    public IEnumerable<string> AllNames => Aliases.Prepend(Name);
}

/// <summary>What one session (one sitting) was about.</summary>
public sealed record SessionSummary(
    string CompanionId,
    string SessionId,
    string Text,
    long FirstTurnId,
    long LastTurnId,
    DateTimeOffset At,
    KnowledgeSource Source);

/// <summary>A thought of the companion's own about the person or their time together.</summary>
public sealed record Reflection(long Id, string CompanionId, string? SessionId, string Text, DateTimeOffset At);

/// <summary>A session whose turns have all been read by extraction and that has no summary yet.</summary>
public sealed record UnsummarizedSession(string SessionId, long FirstTurnId, long LastTurnId);
