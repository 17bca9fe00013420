using Kindred.Memory.Knowledge;
using Kindred.Memory.Storage;
using Npgsql;

namespace Kindred.Memory.Postgres;

/// <summary>One companion's knowledge inside one PostgreSQL transaction: reading and learning.</summary>
internal sealed partial class PostgresKnowledgeSession(NpgsqlConnection connection, NpgsqlTransaction transaction, string companionId) : IKnowledgeSession
{
    private const string FactColumns =
        "f.id, f.companion_id, f.subject, f.attribute, f.value, f.text, f.person_id, f.source, f.valid_from, f.valid_to, f.superseded_by, " +
        "ARRAY(SELECT e.turn_id FROM fact_episodes e WHERE e.fact_id = f.id ORDER BY e.turn_id)";

    private const string PersonColumns =
        "p.id, p.companion_id, p.name, p.aliases, p.relation, p.first_mentioned_at, " +
        "ARRAY(SELECT e.turn_id FROM person_episodes e WHERE e.person_id = p.id ORDER BY e.turn_id)";

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFact>> ReadFactsAsync(bool includeSuperseded, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {FactColumns} FROM facts f WHERE f.companion_id = @c {(includeSuperseded ? "" : "AND f.valid_to IS NULL")} ORDER BY f.id;",
            reader => new StoredFact(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                PostgresDatabase.NullableInt64(reader, 6),
                (KnowledgeSource)reader.GetInt32(7),
                PostgresDatabase.FromTicks(reader.GetInt64(8)),
                reader.IsDBNull(9) ? null : PostgresDatabase.FromTicks(reader.GetInt64(9)),
                PostgresDatabase.NullableInt64(reader, 10),
                reader.GetFieldValue<long[]>(11)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<KnownPerson>> ReadPeopleAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {PersonColumns} FROM people p WHERE p.companion_id = @c ORDER BY p.id;",
            reader => new KnownPerson(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                PostgresDatabase.NullableString(reader, 4),
                PostgresDatabase.FromTicks(reader.GetInt64(5)),
                reader.GetFieldValue<long[]>(6)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionSummary>> ReadSummariesAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT session_id, text, first_turn_id, last_turn_id, at, source FROM summaries WHERE companion_id = @c ORDER BY first_turn_id, session_id;",
            reader => new SessionSummary(
                companionId,
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                PostgresDatabase.FromTicks(reader.GetInt64(4)),
                (KnowledgeSource)reader.GetInt32(5)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Reflection>> ReadReflectionsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT id, session_id, text, at FROM reflections WHERE companion_id = @c ORDER BY id;",
            reader => new Reflection(reader.GetInt64(0), companionId, PostgresDatabase.NullableString(reader, 1), reader.GetString(2), PostgresDatabase.FromTicks(reader.GetInt64(3))),
            cancellationToken);

    /// <inheritdoc />
    public async Task<long> ReadExtractedThroughAsync(CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT through_turn_id FROM knowledge_progress WHERE companion_id = @c;", cancellationToken).ConfigureAwait(false) is long through ? through : 0;

    /// <inheritdoc />
    public Task<IReadOnlyList<UnsummarizedSession>> ReadUnsummarizedSessionsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT t.session_id, MIN(t.id), MAX(t.id) FROM turns t " +
            "WHERE t.companion_id = @c " +
            "AND NOT EXISTS (SELECT 1 FROM summaries s WHERE s.companion_id = t.companion_id AND s.session_id = t.session_id) " +
            "GROUP BY t.session_id " +
            "HAVING MAX(t.id) <= COALESCE((SELECT through_turn_id FROM knowledge_progress WHERE companion_id = @c), 0) " +
            "AND bool_or(t.speaker = 0) " +
            "ORDER BY MIN(t.id);",
            reader => new UnsummarizedSession(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)),
            cancellationToken);

    /// <inheritdoc />
    public async Task<(long Id, string Value)?> FindCurrentFactAsync(string subject, string attribute, CancellationToken cancellationToken)
    {
        var current = await QueryAsync(
            "SELECT id, value FROM facts WHERE companion_id = @c AND lower(subject) = lower(@s) AND lower(attribute) = lower(@a) AND valid_to IS NULL ORDER BY id DESC LIMIT 1;",
            reader => (reader.GetInt64(0), reader.GetString(1)),
            cancellationToken,
            ("s", subject),
            ("a", attribute)).ConfigureAwait(false);
        return current.Count == 0 ? null : current[0];
    }

    /// <inheritdoc />
    public async Task<long> InsertFactAsync(FactRow fact, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(
            "INSERT INTO facts (companion_id, subject, attribute, value, text, person_id, source, valid_from, valid_to) " +
            "VALUES (@c, @s, @a, @v, @text, @p, @source, @from, @to) RETURNING id;",
            cancellationToken,
            ("s", fact.Subject),
            ("a", fact.Attribute),
            ("v", fact.Value),
            ("text", fact.Text),
            ("p", fact.PersonId),
            ("source", (int)fact.Source),
            ("from", fact.ValidFrom.UtcTicks),
            ("to", fact.ValidTo?.UtcTicks)).ConfigureAwait(false))!;

    /// <inheritdoc />
    public Task SupersedeFactAsync(long factId, long by, DateTimeOffset? validTo, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE facts SET valid_to = COALESCE(@to::bigint, valid_to), superseded_by = @by WHERE id = @id AND companion_id = @c;",
            cancellationToken,
            ("to", validTo?.UtcTicks),
            ("by", by),
            ("id", factId));

    /// <inheritdoc />
    public async Task<long> InsertPersonAsync(string name, IReadOnlyList<string> aliases, string? relation, DateTimeOffset firstMentionedAt, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(
            "INSERT INTO people (companion_id, name, aliases, relation, first_mentioned_at) VALUES (@c, @n, @a, @r, @at) RETURNING id;",
            cancellationToken,
            ("n", name),
            ("a", aliases.ToArray()),
            ("r", relation),
            ("at", firstMentionedAt.UtcTicks)).ConfigureAwait(false))!;

    /// <inheritdoc />
    public Task UpdatePersonAsync(long personId, IReadOnlyList<string> aliases, string? relation, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE people SET aliases = @a, relation = @r WHERE id = @id AND companion_id = @c;", cancellationToken, ("a", aliases.ToArray()), ("r", relation), ("id", personId));

    /// <inheritdoc />
    public Task LinkTurnsAsync(KnowledgeLink link, long ownerId, IReadOnlyList<long> turnIds, CancellationToken cancellationToken) =>
        turnIds.Count == 0
            ? Task.CompletedTask
            : ExecuteAsync(
                $"INSERT INTO {(link == KnowledgeLink.Fact ? "fact_episodes (fact_id, turn_id)" : "person_episodes (person_id, turn_id)")} " +
                "SELECT @o, id FROM turns WHERE companion_id = @c AND id = ANY(@t) ON CONFLICT DO NOTHING;",
                cancellationToken,
                ("o", ownerId),
                ("t", turnIds.ToArray()));

    /// <inheritdoc />
    public Task AdvanceExtractedThroughAsync(long turnId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO knowledge_progress (companion_id, through_turn_id) VALUES (@c, @t) " +
            "ON CONFLICT (companion_id) DO UPDATE SET through_turn_id = GREATEST(knowledge_progress.through_turn_id, excluded.through_turn_id);",
            cancellationToken,
            ("t", turnId));

    /// <inheritdoc />
    public Task SaveSummaryAsync(SessionSummary summary, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO summaries (companion_id, session_id, text, first_turn_id, last_turn_id, at, source) " +
            "SELECT @c, @s, @text, @first, @last, @at, @source WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) " +
            "ON CONFLICT (companion_id, session_id) DO UPDATE SET text = excluded.text, first_turn_id = excluded.first_turn_id, " +
            "last_turn_id = excluded.last_turn_id, at = excluded.at, source = excluded.source;",
            cancellationToken,
            ("s", summary.SessionId),
            ("text", summary.Text),
            ("first", summary.FirstTurnId),
            ("last", summary.LastTurnId),
            ("at", summary.At.UtcTicks),
            ("source", (int)summary.Source));

    /// <inheritdoc />
    public async Task<Reflection?> AddReflectionAsync(string? sessionId, string text, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ScalarAsync(
            "INSERT INTO reflections (companion_id, session_id, text, at) SELECT @c, @s::text, @text, @at " +
            "WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) RETURNING id;",
            cancellationToken,
            ("s", sessionId),
            ("text", text),
            ("at", at.UtcTicks)).ConfigureAwait(false) is long id
            ? new Reflection(id, companionId, sessionId, text, at.ToUniversalTime())
            : null;

    // Every statement is bound to the session's companion as @c.
    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await PostgresDatabase.ExecuteAsync(connection, transaction, sql, cancellationToken, [("c", companionId), .. parameters]).ConfigureAwait(false);

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = PostgresDatabase.Sql(connection, transaction, sql, [("c", companionId), .. parameters]);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        PostgresDatabase.QueryAsync(connection, transaction, sql, read, cancellationToken, [("c", companionId), .. parameters]);
}
