using System.Data.Common;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Storage;

/// <summary>
/// One companion's knowledge inside one transaction, on either database: the statements the rules are made of, with
/// what differs between the databases left to the <see cref="StoreDialect"/>. Every statement binds the companion as @c.
/// </summary>
internal sealed partial class KnowledgeSession(SqlSession sql, StoreDialect dialect, string companionId) : IForgetSession
{
    private const string FactColumns = "id, companion_id, subject, attribute, value, text, person_id, source, valid_from, valid_to, superseded_by";
    private const string PersonColumns = "id, companion_id, name, aliases, relation, first_mentioned_at";

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredFact>> ReadFactsAsync(bool includeSuperseded, CancellationToken cancellationToken)
    {
        var episodes = await ReadLinksAsync(
            "SELECT e.fact_id, e.turn_id FROM fact_episodes e JOIN facts f ON f.id = e.fact_id WHERE f.companion_id = @c ORDER BY e.fact_id, e.turn_id;",
            cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            $"SELECT {FactColumns} FROM facts WHERE companion_id = @c {(includeSuperseded ? "" : "AND valid_to IS NULL")} ORDER BY id;",
            reader => new StoredFact(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                StoreDialect.ReadNullableInt64(reader, 6),
                (KnowledgeSource)reader.GetInt32(7),
                dialect.ReadTime(reader, 8),
                dialect.ReadNullableTime(reader, 9),
                StoreDialect.ReadNullableInt64(reader, 10),
                episodes.GetValueOrDefault(reader.GetInt64(0), [])),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KnownPerson>> ReadPeopleAsync(CancellationToken cancellationToken)
    {
        var episodes = await ReadLinksAsync(
            "SELECT e.person_id, e.turn_id FROM person_episodes e JOIN people p ON p.id = e.person_id WHERE p.companion_id = @c ORDER BY e.person_id, e.turn_id;",
            cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            $"SELECT {PersonColumns} FROM people WHERE companion_id = @c ORDER BY id;",
            reader => new KnownPerson(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                dialect.ReadWords(reader, 3),
                StoreDialect.ReadNullableString(reader, 4),
                dialect.ReadTime(reader, 5),
                episodes.GetValueOrDefault(reader.GetInt64(0), [])),
            cancellationToken).ConfigureAwait(false);
    }

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
                dialect.ReadTime(reader, 4),
                (KnowledgeSource)reader.GetInt32(5)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Reflection>> ReadReflectionsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT id, session_id, text, at FROM reflections WHERE companion_id = @c ORDER BY id;",
            reader => new Reflection(reader.GetInt64(0), companionId, StoreDialect.ReadNullableString(reader, 1), reader.GetString(2), dialect.ReadTime(reader, 3)),
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
            "AND MAX(CASE WHEN t.speaker = 0 THEN 1 ELSE 0 END) = 1 " +
            "ORDER BY MIN(t.id);",
            reader => new UnsummarizedSession(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)),
            cancellationToken);

    /// <inheritdoc />
    public async Task<(long Id, string Value)?> FindCurrentFactAsync(string subject, string attribute, CancellationToken cancellationToken)
    {
        var current = await QueryAsync(
            $"SELECT id, value FROM facts WHERE companion_id = @c AND {dialect.SameText("subject", "@s")} AND {dialect.SameText("attribute", "@a")} " +
            "AND valid_to IS NULL ORDER BY id DESC LIMIT 1;",
            reader => (reader.GetInt64(0), reader.GetString(1)),
            cancellationToken,
            ("s", subject),
            ("a", attribute)).ConfigureAwait(false);
        return current.Count == 0 ? null : current[0];
    }

    /// <inheritdoc />
    public async Task<long> InsertFactAsync(StoredFact fact, CancellationToken cancellationToken) =>
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
            ("from", dialect.Time(fact.ValidFrom)),
            ("to", dialect.NullableTime(fact.ValidTo))).ConfigureAwait(false))!;

    /// <inheritdoc />
    public Task SupersedeFactAsync(long factId, long by, DateTimeOffset? validTo, CancellationToken cancellationToken) =>
        validTo is { } to
            ? ExecuteAsync("UPDATE facts SET valid_to = @to, superseded_by = @by WHERE id = @id AND companion_id = @c;", cancellationToken, ("to", dialect.Time(to)), ("by", by), ("id", factId))
            : ExecuteAsync("UPDATE facts SET superseded_by = @by WHERE id = @id AND companion_id = @c;", cancellationToken, ("by", by), ("id", factId));

    /// <inheritdoc />
    public async Task<long> InsertPersonAsync(string name, IReadOnlyList<string> aliases, string? relation, DateTimeOffset firstMentionedAt, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(
            "INSERT INTO people (companion_id, name, aliases, relation, first_mentioned_at) VALUES (@c, @n, @a, @r, @at) RETURNING id;",
            cancellationToken,
            ("n", name),
            ("a", dialect.Words(aliases)),
            ("r", relation),
            ("at", dialect.Time(firstMentionedAt))).ConfigureAwait(false))!;

    /// <inheritdoc />
    public Task UpdatePersonAsync(long personId, IReadOnlyList<string> aliases, string? relation, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE people SET aliases = @a, relation = @r WHERE id = @id AND companion_id = @c;", cancellationToken, ("a", dialect.Words(aliases)), ("r", relation), ("id", personId));

    /// <inheritdoc />
    public Task LinkTurnsAsync(KnowledgeLink link, long ownerId, IReadOnlyList<long> turnIds, CancellationToken cancellationToken) =>
        turnIds.Count == 0
            ? Task.CompletedTask
            : ExecuteAsync(
                $"INSERT INTO {(link == KnowledgeLink.Fact ? "fact_episodes (fact_id, turn_id)" : "person_episodes (person_id, turn_id)")} " +
                $"SELECT @o, id FROM turns WHERE companion_id = @c AND id {dialect.InIds} ON CONFLICT DO NOTHING;",
                cancellationToken,
                ("o", ownerId),
                ("ids", dialect.Ids(turnIds)));

    /// <inheritdoc />
    public Task AdvanceExtractedThroughAsync(long turnId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO knowledge_progress (companion_id, through_turn_id) VALUES (@c, @t) " +
            "ON CONFLICT (companion_id) DO UPDATE SET through_turn_id = CASE WHEN excluded.through_turn_id > knowledge_progress.through_turn_id " +
            "THEN excluded.through_turn_id ELSE knowledge_progress.through_turn_id END;",
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
            ("at", dialect.Time(summary.At)),
            ("source", (int)summary.Source));

    /// <inheritdoc />
    public async Task<Reflection?> AddReflectionAsync(string? sessionId, string text, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ScalarAsync(
            "INSERT INTO reflections (companion_id, session_id, text, at) SELECT @c, CAST(@s AS TEXT), @text, @at " +
            "WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) RETURNING id;",
            cancellationToken,
            ("s", sessionId),
            ("text", text),
            ("at", dialect.Time(at))).ConfigureAwait(false) is long id
            ? new Reflection(id, companionId, sessionId, text, at.ToUniversalTime())
            : null;

    private async Task<Dictionary<long, List<long>>> ReadLinksAsync(string query, CancellationToken cancellationToken)
    {
        var links = new Dictionary<long, List<long>>();
        foreach (var (owner, turnId) in await QueryAsync(query, reader => (reader.GetInt64(0), reader.GetInt64(1)), cancellationToken).ConfigureAwait(false))
        {
            if (!links.TryGetValue(owner, out var list))
            {
                links[owner] = list = [];
            }

            list.Add(turnId);
        }

        return links;
    }

    private Task<int> ExecuteAsync(string statement, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        sql.ExecuteAsync(statement, cancellationToken, [("c", companionId), .. parameters]);

    private Task<object?> ScalarAsync(string statement, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        sql.ScalarAsync(statement, cancellationToken, [("c", companionId), .. parameters]);

    private Task<IReadOnlyList<T>> QueryAsync<T>(string statement, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        sql.QueryAsync(statement, read, cancellationToken, [("c", companionId), .. parameters]);
}
