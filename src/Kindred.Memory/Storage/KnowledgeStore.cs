using System.Globalization;
using Kindred.Core;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Storage;

/// <summary>
/// What a companion knows, by the same rules on every store: a provider (<see cref="IKnowledgeRows"/>) runs the SQL,
/// and the decisions are made here once. Learning: a mention merges into the person it names
/// (<see cref="PersonMention"/>); a fact with the value already current only adds its episode, and one with another
/// value closes the current one (its validity ends when the new one was said) and becomes current. Forgetting: what
/// each forget takes with it, a turn, a companion, a fact or a person (KnowledgeStore.Forget.cs).
/// </summary>
internal sealed partial class KnowledgeStore(IKnowledgeRows rows) : IKnowledgeStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFact>> GetFactsAsync(string companionId, bool includeSuperseded, CancellationToken cancellationToken) =>
        ReadAsync(companionId, session => session.ReadFactsAsync(includeSuperseded, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<KnownPerson>> GetPeopleAsync(string companionId, CancellationToken cancellationToken) =>
        ReadAsync(companionId, session => session.ReadPeopleAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionSummary>> GetSummariesAsync(string companionId, CancellationToken cancellationToken) =>
        ReadAsync(companionId, session => session.ReadSummariesAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Reflection>> GetReflectionsAsync(string companionId, CancellationToken cancellationToken) =>
        ReadAsync(companionId, session => session.ReadReflectionsAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<long> GetExtractedThroughAsync(string companionId, CancellationToken cancellationToken) =>
        ReadAsync(companionId, session => session.ReadExtractedThroughAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<UnsummarizedSession>> GetUnsummarizedSessionsAsync(string companionId, CancellationToken cancellationToken) =>
        ReadAsync(companionId, session => session.ReadUnsummarizedSessionsAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task ApplyExtractionAsync(string companionId, IReadOnlyList<StoredTurn> turns, Extraction extraction, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(extraction);
        if (turns.Count == 0)
        {
            return Task.CompletedTask;
        }

        var turnsById = turns.ToDictionary(t => t.Id);
        return rows.WriteAsync(companionId, async session =>
        {
            var people = (await session.ReadPeopleAsync(cancellationToken).ConfigureAwait(false)).ToList();
            foreach (var mention in extraction.People.Where(p => turnsById.ContainsKey(p.TurnId)))
            {
                await MentionAsync(session, companionId, people, mention.Name, mention.Aliases, mention.Relation, turnsById[mention.TurnId].At, cancellationToken).ConfigureAwait(false);
            }

            foreach (var fact in extraction.Facts.Where(f => turnsById.ContainsKey(f.TurnId)))
            {
                var at = turnsById[fact.TurnId].At;
                var about = fact.About ?? (fact.Subject.Equals(FactSubject.Person, StringComparison.OrdinalIgnoreCase) ? null : fact.Subject);
                long? personId = about is null
                    ? null
                    : (await MentionAsync(session, companionId, people, about, [], null, at, cancellationToken).ConfigureAwait(false)).Id;
                await LearnFactAsync(session, companionId, fact, personId, extraction.Source, at, cancellationToken).ConfigureAwait(false);
            }

            // Episodes of people: every turn of the batch that names them, whoever spoke it.
            foreach (var turn in turns)
            {
                foreach (var person in people.Where(p => p.AllNames.Any(name => Names.Mentions(turn.Text, name))))
                {
                    await session.LinkTurnsAsync(KnowledgeLink.Person, person.Id, [turn.Id], cancellationToken).ConfigureAwait(false);
                }
            }

            await session.AdvanceExtractedThroughAsync(turns.Max(t => t.Id), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredFact> CorrectFactAsync(string companionId, long factId, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (rows.Clean(text) != text)
        {
            throw new ArgumentException("This store cannot keep the character U+0000 in text; remove it and try again.", nameof(text));
        }

        return rows.WriteAsync(companionId, async session =>
        {
            var old = (await session.ReadFactsAsync(includeSuperseded: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Id == factId)
                ?? throw new KeyNotFoundException($"There is no fact {factId} in what '{companionId}' knows.");
            if (!old.IsCurrent)
            {
                throw new InvalidOperationException($"Fact {factId} was already replaced by fact {old.SupersededBy?.ToString(CultureInfo.InvariantCulture) ?? "(forgotten)"}; correct the current one.");
            }

            var correction = new ExtractedFact(old.Subject, old.Attribute, text.Trim(), text.Trim(), null, 0);
            var id = await LearnFactAsync(session, companionId, correction, old.PersonId, KnowledgeSource.Person, at, cancellationToken).ConfigureAwait(false);
            return (await session.ReadFactsAsync(includeSuperseded: false, cancellationToken).ConfigureAwait(false)).Single(f => f.Id == id);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveSummaryAsync(SessionSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrWhiteSpace(summary.Text, nameof(summary));
        var cleaned = summary with { SessionId = rows.Clean(summary.SessionId), Text = rows.Clean(summary.Text) };
        return rows.WriteAsync(summary.CompanionId, async session =>
        {
            await session.SaveSummaryAsync(cleaned, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Reflection> AddReflectionAsync(string companionId, string? sessionId, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return rows.WriteAsync(
            companionId,
            async session => await session.AddReflectionAsync(sessionId, rows.Clean(text), at, cancellationToken).ConfigureAwait(false) ?? throw StoreErrors.UnknownCompanion(companionId),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<KnowledgeSnapshot> ExportKnowledgeAsync(string companionId, CancellationToken cancellationToken) =>
        // One snapshot, so an extraction committing meanwhile cannot leave a fact pointing at a person the export lacks.
        ReadAsync(
            companionId,
            async session => new KnowledgeSnapshot(
                await session.ReadPeopleAsync(cancellationToken).ConfigureAwait(false),
                await session.ReadFactsAsync(includeSuperseded: true, cancellationToken).ConfigureAwait(false),
                await session.ReadSummariesAsync(cancellationToken).ConfigureAwait(false),
                await session.ReadReflectionsAsync(cancellationToken).ConfigureAwait(false),
                await session.ReadExtractedThroughAsync(cancellationToken).ConfigureAwait(false)),
            cancellationToken);

    private Task<T> ReadAsync<T>(string companionId, Func<IKnowledgeSession, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return rows.ReadAsync(companionId, read, cancellationToken);
    }

    // Adds a fact, or only its episode when the same value already holds; closes the value it replaces. A person's
    // own correction is always a new fact, even when it repeats the value.
    private async Task<long> LearnFactAsync(IKnowledgeSession session, string companionId, ExtractedFact fact, long? personId, KnowledgeSource source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var subject = rows.Clean(fact.Subject.Trim());
        var attribute = rows.Clean(fact.Attribute.Trim());
        var value = rows.Clean(fact.Value.Trim());
        var current = await session.FindCurrentFactAsync(subject, attribute, cancellationToken).ConfigureAwait(false);
        long id;
        if (current is { } same && Names.Same(same.Value, value) && source != KnowledgeSource.Person)
        {
            id = same.Id;
        }
        else
        {
            var learned = new StoredFact(0, companionId, subject, attribute, value, rows.Clean(fact.Text.Trim()), personId, source, at, null, null, []);
            id = await session.InsertFactAsync(learned, cancellationToken).ConfigureAwait(false);
            if (current is { } replaced)
            {
                await session.SupersedeFactAsync(replaced.Id, id, at, cancellationToken).ConfigureAwait(false);
            }
        }

        if (fact.TurnId > 0)
        {
            await session.LinkTurnsAsync(KnowledgeLink.Fact, id, [fact.TurnId], cancellationToken).ConfigureAwait(false);
        }

        return id;
    }

    // Finds the person by name or alias, merging what is new about them, or adds them.
    private async Task<KnownPerson> MentionAsync(
        IKnowledgeSession session,
        string companionId,
        List<KnownPerson> people,
        string name,
        IReadOnlyList<string> aliases,
        string? relation,
        DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var mention = PersonMention.Resolve(people, name, aliases, relation, n => rows.Clean(n.Trim()));
        if (mention.IsNew)
        {
            var id = await session.InsertPersonAsync(mention.Name, mention.Aliases, mention.Relation, at, cancellationToken).ConfigureAwait(false);
            var added = new KnownPerson(id, companionId, mention.Name, mention.Aliases, mention.Relation, at.ToUniversalTime(), []);
            people.Add(added);
            return added;
        }

        var updated = people[mention.Index] with { Aliases = mention.Aliases, Relation = mention.Relation };
        if (mention.Changed)
        {
            await session.UpdatePersonAsync(updated.Id, updated.Aliases, updated.Relation, cancellationToken).ConfigureAwait(false);
            people[mention.Index] = updated;
        }

        return updated;
    }
}
