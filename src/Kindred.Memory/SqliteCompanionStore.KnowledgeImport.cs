using Kindred.Memory.Knowledge;

namespace Kindred.Memory;

public sealed partial class SqliteCompanionStore
{
    /// <inheritdoc />
    public async Task<KnowledgeSnapshot> ExportKnowledgeAsync(string companionId, CancellationToken cancellationToken) =>
        new(
            await GetPeopleAsync(companionId, cancellationToken).ConfigureAwait(false),
            await GetFactsAsync(companionId, includeSuperseded: true, cancellationToken).ConfigureAwait(false),
            await GetSummariesAsync(companionId, cancellationToken).ConfigureAwait(false),
            await GetReflectionsAsync(companionId, cancellationToken).ConfigureAwait(false),
            await GetExtractedThroughAsync(companionId, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public Task ImportKnowledgeAsync(string companionId, KnowledgeSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(snapshot);
        return WriteAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var personIds = new Dictionary<long, long>();
            foreach (var person in snapshot.People)
            {
                using var insert = KnowledgeCommand(
                    connection,
                    transaction,
                    "INSERT INTO people (companion_id, name, aliases, relation, first_mentioned_at) VALUES ($c, $n, $a, $r, $at) RETURNING id;",
                    ("$c", companionId),
                    ("$n", person.Name),
                    ("$a", TraitsJson.Serialize(person.Aliases)),
                    ("$r", person.Relation),
                    ("$at", StoredTime.Format(person.FirstMentionedAt)));
                var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                personIds[person.Id] = id;
                foreach (var turnId in person.TurnIds)
                {
                    await ExecuteKnowledgeAsync(connection, transaction, "INSERT OR IGNORE INTO person_episodes (person_id, turn_id) VALUES ($p, $t);", cancellationToken, ("$p", id), ("$t", turnId)).ConfigureAwait(false);
                }
            }

            var factIds = new Dictionary<long, long>();
            foreach (var fact in snapshot.Facts)
            {
                using var insert = KnowledgeCommand(
                    connection,
                    transaction,
                    "INSERT INTO facts (companion_id, subject, attribute, value, text, person_id, source, valid_from, valid_to) " +
                    "VALUES ($c, $s, $a, $v, $text, $p, $source, $from, $to) RETURNING id;",
                    ("$c", companionId),
                    ("$s", fact.Subject),
                    ("$a", fact.Attribute),
                    ("$v", fact.Value),
                    ("$text", fact.Text),
                    ("$p", fact.PersonId is { } p ? personIds[p] : null),
                    ("$source", (int)fact.Source),
                    ("$from", StoredTime.Format(fact.ValidFrom)),
                    ("$to", fact.ValidTo is { } to ? StoredTime.Format(to) : null));
                var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                factIds[fact.Id] = id;
                foreach (var turnId in fact.TurnIds)
                {
                    await ExecuteKnowledgeAsync(connection, transaction, "INSERT OR IGNORE INTO fact_episodes (fact_id, turn_id) VALUES ($f, $t);", cancellationToken, ("$f", id), ("$t", turnId)).ConfigureAwait(false);
                }
            }

            // Replacements point forward, so they are linked once every fact has its new id.
            foreach (var fact in snapshot.Facts.Where(f => f.SupersededBy is not null))
            {
                await ExecuteKnowledgeAsync(connection, transaction, "UPDATE facts SET superseded_by = $by WHERE id = $id;", cancellationToken, ("$by", factIds[fact.SupersededBy!.Value]), ("$id", factIds[fact.Id])).ConfigureAwait(false);
            }

            foreach (var summary in snapshot.Summaries)
            {
                await ExecuteKnowledgeAsync(
                    connection,
                    transaction,
                    "INSERT INTO summaries (companion_id, session_id, text, first_turn_id, last_turn_id, at, source) VALUES ($c, $s, $text, $first, $last, $at, $source);",
                    cancellationToken,
                    ("$c", companionId),
                    ("$s", summary.SessionId),
                    ("$text", summary.Text),
                    ("$first", summary.FirstTurnId),
                    ("$last", summary.LastTurnId),
                    ("$at", StoredTime.Format(summary.At)),
                    ("$source", (int)summary.Source)).ConfigureAwait(false);
            }

            foreach (var reflection in snapshot.Reflections)
            {
                await ExecuteKnowledgeAsync(
                    connection,
                    transaction,
                    "INSERT INTO reflections (companion_id, session_id, text, at) VALUES ($c, $s, $text, $at);",
                    cancellationToken,
                    ("$c", companionId),
                    ("$s", reflection.SessionId),
                    ("$text", reflection.Text),
                    ("$at", StoredTime.Format(reflection.At))).ConfigureAwait(false);
            }

            if (snapshot.ExtractedThrough > 0)
            {
                await ExecuteKnowledgeAsync(connection, transaction, "INSERT INTO knowledge_progress (companion_id, through_turn_id) VALUES ($c, $t);", cancellationToken, ("$c", companionId), ("$t", snapshot.ExtractedThrough)).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }
}
