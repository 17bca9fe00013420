using Kindred.Core.Inner;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Storage;

/// <summary>
/// How a provider runs a piece of <see cref="KnowledgeStore"/>'s work: in one transaction, on one companion's
/// knowledge. The rules (what supersedes what, who a mention is, what a forget takes) are decided by the caller; the
/// provider only runs its SQL.
/// </summary>
internal interface IKnowledgeRows
{
    /// <summary>Text as this database can keep it (PostgreSQL text cannot hold U+0000); derived text is cleaned, never refused.</summary>
    string Clean(string text);

    /// <summary>Runs <paramref name="read"/> on one consistent snapshot.</summary>
    Task<T> ReadAsync<T>(string companionId, Func<IKnowledgeSession, Task<T>> read, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction that commits when it returns, one writer of the companion's
    /// knowledge at a time.
    /// </summary>
    Task<T> WriteAsync<T>(string companionId, Func<IKnowledgeSession, Task<T>> write, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the deletes of one forget in a transaction; when <paramref name="delete"/> says something went, commits and
    /// then clears what the store still keeps of the deleted rows; otherwise changes nothing.
    /// </summary>
    Task<bool> ForgetAsync(string companionId, Func<IForgetSession, Task<bool>> delete, CancellationToken cancellationToken);
}

/// <summary>One companion's knowledge inside one transaction: the statements reading and learning are made of.</summary>
internal interface IKnowledgeSession
{
    Task<IReadOnlyList<StoredFact>> ReadFactsAsync(bool includeSuperseded, CancellationToken cancellationToken);

    Task<IReadOnlyList<KnownPerson>> ReadPeopleAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<SessionSummary>> ReadSummariesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<Reflection>> ReadReflectionsAsync(CancellationToken cancellationToken);

    Task<long> ReadExtractedThroughAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<UnsummarizedSession>> ReadUnsummarizedSessionsAsync(CancellationToken cancellationToken);

    /// <summary>The newest current fact with this subject and attribute (ignoring case), if any.</summary>
    Task<(long Id, string Value)?> FindCurrentFactAsync(string subject, string attribute, CancellationToken cancellationToken);

    /// <summary>Stores a fact, as cleaned by the caller; its id, successor and episodes are not read (they come later).</summary>
    /// <returns>The new fact's id.</returns>
    Task<long> InsertFactAsync(StoredFact fact, CancellationToken cancellationToken);

    /// <summary>Marks <paramref name="factId"/> replaced by <paramref name="by"/>, its validity ending at <paramref name="validTo"/> (kept when null).</summary>
    Task SupersedeFactAsync(long factId, long by, DateTimeOffset? validTo, CancellationToken cancellationToken);

    /// <returns>The new person's id.</returns>
    Task<long> InsertPersonAsync(string name, IReadOnlyList<string> aliases, string? relation, DateTimeOffset firstMentionedAt, CancellationToken cancellationToken);

    Task UpdatePersonAsync(long personId, IReadOnlyList<string> aliases, string? relation, CancellationToken cancellationToken);

    /// <summary>Links a fact or a person to the companion's turns among <paramref name="turnIds"/>; others, and links already there, are left out.</summary>
    Task LinkTurnsAsync(KnowledgeLink link, long ownerId, IReadOnlyList<long> turnIds, CancellationToken cancellationToken);

    /// <summary>Moves the extraction mark to <paramref name="turnId"/>, never backwards.</summary>
    Task AdvanceExtractedThroughAsync(long turnId, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) a session's summary; nothing when the companion does not exist.</summary>
    Task SaveSummaryAsync(SessionSummary summary, CancellationToken cancellationToken);

    /// <returns>The reflection as stored; null when the companion does not exist.</returns>
    Task<Reflection?> AddReflectionAsync(string? sessionId, string text, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>One companion's knowledge inside the transaction of a forget: the deletes and scrubs a forget is made of.</summary>
internal interface IForgetSession : IKnowledgeSession
{
    /// <returns>Whether the companion had that fact.</returns>
    Task<bool> DeleteFactAsync(long factId, CancellationToken cancellationToken);

    /// <summary>Deletes the facts about the person: theirs by id, or whose subject is one of the names, or whose text contains one.</summary>
    Task DeleteFactsAboutAsync(long personId, IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>Deletes the summaries and reflections whose text contains one of <paramref name="texts"/>, ignoring case.</summary>
    Task DeleteSummariesAndReflectionsContainingAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);

    /// <summary>
    /// The companion's turns that may name one of <paramref name="names"/> (at least every one whose text contains a
    /// name, ignoring case), with their text, for the caller to decide.
    /// </summary>
    Task<IReadOnlyList<(long Id, string Text)>> ReadTurnsThatMayNameAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <returns>How many of the companion's turns went (with their vectors and links).</returns>
    Task<int> DeleteTurnsAsync(IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken);

    /// <summary>Deletes the people known only from this turn (linked to it and to no other).</summary>
    Task DeletePeopleKnownOnlyFromAsync(long turnId, CancellationToken cancellationToken);

    /// <summary>Deletes the companion with everything it has.</summary>
    /// <returns>Whether there was such a companion.</returns>
    Task<bool> DeleteCompanionAsync(CancellationToken cancellationToken);

    /// <returns>Whether the companion had that person.</returns>
    Task<bool> DeletePersonAsync(long personId, CancellationToken cancellationToken);

    /// <summary>The inner life's free text, a row at a time: queued outreach, open threads and the companion's reflections.</summary>
    Task<IReadOnlyList<InnerLifeText>> ReadInnerLifeTextsAsync(CancellationToken cancellationToken);

    Task DeleteInnerLifeRowsAsync(InnerLifeTable table, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    Task<IReadOnlyList<(int Version, Persona Persona, string Reason)>> ReadPersonaVersionsAsync(CancellationToken cancellationToken);

    Task UpdatePersonaVersionAsync(int version, Persona persona, string reason, CancellationToken cancellationToken);
}

/// <summary>What a turn is linked to as its episode.</summary>
internal enum KnowledgeLink
{
    Fact,
    Person,
}

/// <summary>The inner life's tables whose rows are free text a forgotten person can be named in.</summary>
internal enum InnerLifeTable
{
    Outreach,
    Threads,
    Reflections,
}

/// <summary>One row of the inner life's free text: all of its text fields.</summary>
internal sealed record InnerLifeText(InnerLifeTable Table, long Id, IReadOnlyList<string> Texts);
