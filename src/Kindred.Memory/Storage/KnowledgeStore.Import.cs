using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Storage;

// Restoring an export, mapped the same way on every store: each person and fact gets a new id here, and every
// reference between them (a fact's person, a replaced fact's successor) is mapped to the new ids.
internal sealed partial class KnowledgeStore
{
    /// <inheritdoc />
    /// <remarks>Only the companion's own turns are linked; an episode whose turn is not there is left out rather than failing the import.</remarks>
    public Task ImportKnowledgeAsync(string companionId, KnowledgeSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(snapshot);
        return rows.WriteAsync(companionId, async session =>
        {
            var personIds = new Dictionary<long, long>();
            foreach (var person in snapshot.People)
            {
                var id = await session.InsertPersonAsync(
                    rows.Clean(person.Name),
                    [.. person.Aliases.Select(rows.Clean)],
                    person.Relation is null ? null : rows.Clean(person.Relation),
                    person.FirstMentionedAt,
                    cancellationToken).ConfigureAwait(false);
                personIds[person.Id] = id;
                await session.LinkTurnsAsync(KnowledgeLink.Person, id, person.TurnIds, cancellationToken).ConfigureAwait(false);
            }

            var factIds = new Dictionary<long, long>();
            foreach (var fact in snapshot.Facts)
            {
                var row = fact with
                {
                    Subject = rows.Clean(fact.Subject),
                    Attribute = rows.Clean(fact.Attribute),
                    Value = rows.Clean(fact.Value),
                    Text = rows.Clean(fact.Text),
                    PersonId = fact.PersonId is { } p ? personIds[p] : null,
                };
                var id = await session.InsertFactAsync(row, cancellationToken).ConfigureAwait(false);
                factIds[fact.Id] = id;
                await session.LinkTurnsAsync(KnowledgeLink.Fact, id, fact.TurnIds, cancellationToken).ConfigureAwait(false);
            }

            // Replacements point forward, so they are linked once every fact has its new id.
            foreach (var fact in snapshot.Facts.Where(f => f.SupersededBy is not null))
            {
                await session.SupersedeFactAsync(factIds[fact.Id], factIds[fact.SupersededBy!.Value], validTo: null, cancellationToken).ConfigureAwait(false);
            }

            foreach (var summary in snapshot.Summaries)
            {
                await session.SaveSummaryAsync(summary with { CompanionId = companionId, SessionId = rows.Clean(summary.SessionId), Text = rows.Clean(summary.Text) }, cancellationToken).ConfigureAwait(false);
            }

            foreach (var reflection in snapshot.Reflections)
            {
                var sessionId = reflection.SessionId is null ? null : rows.Clean(reflection.SessionId);
                _ = await session.AddReflectionAsync(sessionId, rows.Clean(reflection.Text), reflection.At, cancellationToken).ConfigureAwait(false)
                    ?? throw StoreErrors.UnknownCompanion(companionId);
            }

            if (snapshot.ExtractedThrough > 0)
            {
                await session.AdvanceExtractedThroughAsync(snapshot.ExtractedThrough, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }
}
