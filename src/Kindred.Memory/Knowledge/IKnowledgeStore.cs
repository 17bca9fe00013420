using Kindred.Core;

namespace Kindred.Memory.Knowledge;

/// <summary>
/// Durable home of what a companion knows beyond the turns: facts with validity in time, people, session summaries,
/// reflections, and how far extraction has read. Implemented by each store (SQLite today, PostgreSQL next); an
/// unknown companion has no knowledge, and one companion never sees another's.
/// </summary>
public interface IKnowledgeStore
{
    /// <summary>The companion's facts, oldest first: only the current ones, or the whole history.</summary>
    Task<IReadOnlyList<StoredFact>> GetFactsAsync(string companionId, bool includeSuperseded, CancellationToken cancellationToken);

    /// <summary>The companion's people, in the order they were first mentioned.</summary>
    Task<IReadOnlyList<KnownPerson>> GetPeopleAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>Session summaries, oldest session first.</summary>
    Task<IReadOnlyList<SessionSummary>> GetSummariesAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>The companion's reflections, oldest first.</summary>
    Task<IReadOnlyList<Reflection>> GetReflectionsAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>The id of the last turn extraction has read (0 before the first).</summary>
    Task<long> GetExtractedThroughAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores what was learned from <paramref name="turns"/> and moves the extraction mark past them, atomically.
    /// People are matched by name or alias (ignoring case) and merged. A fact with the same subject, attribute and
    /// value as a current one only adds its episode; one with a different value closes the current one (its
    /// validity ends when the new one was said) and becomes current. Every turn that names a known person is linked
    /// to them.
    /// </summary>
    Task ApplyExtractionAsync(string companionId, IReadOnlyList<StoredTurn> turns, Extraction extraction, CancellationToken cancellationToken);

    /// <summary>
    /// The person's correction: a new current fact with the same subject and attribute, <paramref name="text"/> as its
    /// value and text and <see cref="KnowledgeSource.Person"/> as its source, which closes <paramref name="factId"/> at
    /// <paramref name="at"/>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The companion has no such fact.</exception>
    /// <exception cref="InvalidOperationException">The fact was already replaced; correct the current one.</exception>
    Task<StoredFact> CorrectFactAsync(string companionId, long factId, string text, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Sessions whose turns extraction has read, that have words from the person and no summary yet.</summary>
    Task<IReadOnlyList<UnsummarizedSession>> GetUnsummarizedSessionsAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) a session's summary.</summary>
    Task SaveSummaryAsync(SessionSummary summary, CancellationToken cancellationToken);

    /// <summary>Stores one of the companion's reflections.</summary>
    Task<Reflection> AddReflectionAsync(string companionId, string? sessionId, string text, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Forgets one fact (the whole record, not just its current value), leaving no trace of it in the files.</summary>
    /// <returns>False, changing nothing, when the companion has no such fact.</returns>
    Task<bool> ForgetFactAsync(string companionId, long factId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a person entirely: their record, every fact about or involving them, every turn that mentions them
    /// (with its index entries and embedding), the summaries and reflections that name them, and the inner life's text
    /// that names them (reminders and queued outreach, open threads and the companion's reflections go; the persona's
    /// history keeps its versions with the name taken out), leaving no trace in the files.
    /// </summary>
    /// <returns>How many turns went with them; null, changing nothing, when the companion has no such person.</returns>
    Task<int?> ForgetPersonAsync(string companionId, long personId, CancellationToken cancellationToken);

    /// <summary>Everything known, for export; facts and people refer to turns by store id.</summary>
    Task<KnowledgeSnapshot> ExportKnowledgeAsync(string companionId, CancellationToken cancellationToken);

    /// <summary>Restores an exported snapshot into a companion that has none yet; turn ids must already be mapped to this store.</summary>
    Task ImportKnowledgeAsync(string companionId, KnowledgeSnapshot snapshot, CancellationToken cancellationToken);
}

/// <summary>Everything a companion knows beyond its turns, with store ids, in store order.</summary>
public sealed record KnowledgeSnapshot(
    IReadOnlyList<KnownPerson> People,
    IReadOnlyList<StoredFact> Facts,
    IReadOnlyList<SessionSummary> Summaries,
    IReadOnlyList<Reflection> Reflections,
    long ExtractedThrough);
