using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Postgres;

// Session summaries, the knowledge part's reflections, and export/import of everything known.
public sealed partial class PostgresCompanionStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<SessionSummary>> GetSummariesAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return QueryAsync(
            "SELECT session_id, text, first_turn_id, last_turn_id, at, source FROM summaries WHERE companion_id = @c ORDER BY first_turn_id, session_id;",
            reader => new SessionSummary(
                companionId,
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                FromTicks(reader.GetInt64(4)),
                (KnowledgeSource)reader.GetInt32(5)),
            cancellationToken,
            ("c", companionId));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Reflection>> GetReflectionsAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return QueryAsync(
            "SELECT id, session_id, text, at FROM reflections WHERE companion_id = @c ORDER BY id;",
            reader => new Reflection(reader.GetInt64(0), companionId, NullableString(reader, 1), reader.GetString(2), FromTicks(reader.GetInt64(3))),
            cancellationToken,
            ("c", companionId));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<UnsummarizedSession>> GetUnsummarizedSessionsAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return QueryAsync(
            "SELECT t.session_id, MIN(t.id), MAX(t.id) FROM turns t " +
            "WHERE t.companion_id = @c " +
            "AND NOT EXISTS (SELECT 1 FROM summaries s WHERE s.companion_id = t.companion_id AND s.session_id = t.session_id) " +
            "GROUP BY t.session_id " +
            "HAVING MAX(t.id) <= COALESCE((SELECT through_turn_id FROM knowledge_progress WHERE companion_id = @c), 0) " +
            "AND bool_or(t.speaker = 0) " +
            "ORDER BY MIN(t.id);",
            reader => new UnsummarizedSession(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)),
            cancellationToken,
            ("c", companionId));
    }

    /// <inheritdoc />
    public Task SaveSummaryAsync(SessionSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrWhiteSpace(summary.Text, nameof(summary));
        return ExecuteAsync(
            "INSERT INTO summaries (companion_id, session_id, text, first_turn_id, last_turn_id, at, source) " +
            "SELECT @c, @s, @text, @first, @last, @at, @source WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) " +
            "ON CONFLICT (companion_id, session_id) DO UPDATE SET text = excluded.text, first_turn_id = excluded.first_turn_id, " +
            "last_turn_id = excluded.last_turn_id, at = excluded.at, source = excluded.source;",
            cancellationToken,
            ("c", summary.CompanionId),
            ("s", WithoutNul(summary.SessionId)),
            ("text", WithoutNul(summary.Text)),
            ("first", summary.FirstTurnId),
            ("last", summary.LastTurnId),
            ("at", summary.At.UtcTicks),
            ("source", (int)summary.Source));
    }

    /// <inheritdoc />
    public async Task<Reflection> AddReflectionAsync(string companionId, string? sessionId, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = WithoutNul(text);
        await using var command = Sql(
            "INSERT INTO reflections (companion_id, session_id, text, at) SELECT @c, @s::text, @text, @at " +
            "WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) RETURNING id;",
            ("c", companionId),
            ("s", sessionId),
            ("text", text),
            ("at", at.UtcTicks));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id
            ? new Reflection(id, companionId, sessionId, text, at.ToUniversalTime())
            : throw UnknownCompanion(companionId);
    }

    /// <inheritdoc />
    public async Task<KnowledgeSnapshot> ExportKnowledgeAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);

        // One snapshot, so an extraction committing meanwhile cannot leave a fact pointing at a person the export lacks.
        return await InTransactionAsync(async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY;", cancellationToken).ConfigureAwait(false);
            var people = await ReadPeopleAsync(connection, transaction, companionId, cancellationToken).ConfigureAwait(false);
            var facts = await ReadFactsAsync(connection, transaction, companionId, includeSuperseded: true, cancellationToken).ConfigureAwait(false);
            await using var summaries = Sql(connection, transaction, "SELECT session_id, text, first_turn_id, last_turn_id, at, source FROM summaries WHERE companion_id = @c ORDER BY first_turn_id, session_id;", ("c", companionId));
            var summaryList = await ReadAllAsync(
                summaries,
                reader => new SessionSummary(companionId, reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), FromTicks(reader.GetInt64(4)), (KnowledgeSource)reader.GetInt32(5)),
                cancellationToken).ConfigureAwait(false);
            await using var reflections = Sql(connection, transaction, "SELECT id, session_id, text, at FROM reflections WHERE companion_id = @c ORDER BY id;", ("c", companionId));
            var reflectionList = await ReadAllAsync(
                reflections,
                reader => new Reflection(reader.GetInt64(0), companionId, NullableString(reader, 1), reader.GetString(2), FromTicks(reader.GetInt64(3))),
                cancellationToken).ConfigureAwait(false);
            await using var progress = Sql(connection, transaction, "SELECT through_turn_id FROM knowledge_progress WHERE companion_id = @c;", ("c", companionId));
            var through = await progress.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long value ? value : 0;
            return new KnowledgeSnapshot(people, facts, summaryList, reflectionList, through);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task ImportKnowledgeAsync(string companionId, KnowledgeSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(snapshot);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await LockKnowledgeAsync(connection, transaction, companionId, cancellationToken).ConfigureAwait(false);
            var personIds = new Dictionary<long, long>();
            foreach (var person in snapshot.People)
            {
                await using var insert = Sql(
                    connection,
                    transaction,
                    "INSERT INTO people (companion_id, name, aliases, relation, first_mentioned_at) VALUES (@c, @n, @a, @r, @at) RETURNING id;",
                    ("c", companionId),
                    ("n", WithoutNul(person.Name)),
                    ("a", person.Aliases.Select(WithoutNul).ToArray()),
                    ("r", person.Relation is null ? null : WithoutNul(person.Relation)),
                    ("at", person.FirstMentionedAt.UtcTicks));
                var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                personIds[person.Id] = id;
                await LinkAsync("person_episodes (person_id, turn_id)", id, person.TurnIds).ConfigureAwait(false);
            }

            var factIds = new Dictionary<long, long>();
            foreach (var fact in snapshot.Facts)
            {
                await using var insert = Sql(
                    connection,
                    transaction,
                    "INSERT INTO facts (companion_id, subject, attribute, value, text, person_id, source, valid_from, valid_to) " +
                    "VALUES (@c, @s, @a, @v, @text, @p, @source, @from, @to) RETURNING id;",
                    ("c", companionId),
                    ("s", WithoutNul(fact.Subject)),
                    ("a", WithoutNul(fact.Attribute)),
                    ("v", WithoutNul(fact.Value)),
                    ("text", WithoutNul(fact.Text)),
                    ("p", fact.PersonId is { } p ? personIds[p] : null),
                    ("source", (int)fact.Source),
                    ("from", fact.ValidFrom.UtcTicks),
                    ("to", fact.ValidTo?.UtcTicks));
                var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                factIds[fact.Id] = id;
                await LinkAsync("fact_episodes (fact_id, turn_id)", id, fact.TurnIds).ConfigureAwait(false);
            }

            // Replacements point forward, so they are linked once every fact has its new id.
            foreach (var fact in snapshot.Facts.Where(f => f.SupersededBy is not null))
            {
                await ExecuteAsync(connection, transaction, "UPDATE facts SET superseded_by = @by WHERE id = @id;", cancellationToken, ("by", factIds[fact.SupersededBy!.Value]), ("id", factIds[fact.Id])).ConfigureAwait(false);
            }

            foreach (var summary in snapshot.Summaries)
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO summaries (companion_id, session_id, text, first_turn_id, last_turn_id, at, source) VALUES (@c, @s, @text, @first, @last, @at, @source);",
                    cancellationToken,
                    ("c", companionId),
                    ("s", WithoutNul(summary.SessionId)),
                    ("text", WithoutNul(summary.Text)),
                    ("first", summary.FirstTurnId),
                    ("last", summary.LastTurnId),
                    ("at", summary.At.UtcTicks),
                    ("source", (int)summary.Source)).ConfigureAwait(false);
            }

            foreach (var reflection in snapshot.Reflections)
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO reflections (companion_id, session_id, text, at) VALUES (@c, @s, @text, @at);",
                    cancellationToken,
                    ("c", companionId),
                    ("s", reflection.SessionId is null ? null : WithoutNul(reflection.SessionId)),
                    ("text", WithoutNul(reflection.Text)),
                    ("at", reflection.At.UtcTicks)).ConfigureAwait(false);
            }

            if (snapshot.ExtractedThrough > 0)
            {
                await ExecuteAsync(connection, transaction, "INSERT INTO knowledge_progress (companion_id, through_turn_id) VALUES (@c, @t);", cancellationToken, ("c", companionId), ("t", snapshot.ExtractedThrough)).ConfigureAwait(false);
            }

            return true;

            // Only the companion's own turns are linked; one that is not there is left out rather than failing the import.
            async Task LinkAsync(string table, long ownerId, IReadOnlyList<long> turnIds)
            {
                if (turnIds.Count > 0)
                {
                    await ExecuteAsync(
                        connection,
                        transaction,
                        $"INSERT INTO {table} SELECT @o, id FROM turns WHERE companion_id = @c AND id = ANY(@t) ON CONFLICT DO NOTHING;",
                        cancellationToken,
                        ("o", ownerId),
                        ("c", companionId),
                        ("t", turnIds.ToArray())).ConfigureAwait(false);
                }
            }
        }, cancellationToken);
    }
}
