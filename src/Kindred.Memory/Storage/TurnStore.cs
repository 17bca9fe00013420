using Kindred.Core;

namespace Kindred.Memory.Storage;

/// <summary>
/// Companions and their turns on either database: the reads and the simple writes are the same statements, with what
/// differs left to the <see cref="StoreDialect"/>; appends and vectors go to the provider's <see cref="ITurnWrites"/>.
/// <see cref="CompanionStore"/> checks the arguments first, and forgets turns through the knowledge rules (a forget cascades).
/// </summary>
internal sealed class TurnStore(ISqlRunner runner, StoreDialect dialect, ITurnWrites writes)
{
    private const string CompanionColumns = "id, name, woke_at, persona, traits";
    private const string TurnColumns = "id, companion_id, session_id, speaker, text, at, status";

    /// <inheritdoc />
    public async Task<CompanionIdentity?> FindCompanionAsync(string companionId, CancellationToken cancellationToken) =>
        (await runner.ReadAsync(session => ReadCompanionsAsync(session, $"SELECT {CompanionColumns} FROM companions WHERE id = @id;", cancellationToken, ("id", companionId)), cancellationToken).ConfigureAwait(false))
            .SingleOrDefault();

    /// <inheritdoc />
    public Task<CompanionIdentity> CreateCompanionAsync(CompanionIdentity identity, CancellationToken cancellationToken)
    {
        foreach (var text in identity.Traits.Prepend(identity.Persona).Prepend(identity.Name).Prepend(identity.CompanionId))
        {
            dialect.RejectUnstorable(text, nameof(identity));
        }

        return runner.WriteAsync(async session =>
        {
            // Two statements, so the read takes a fresh snapshot: when another process stored the same id first, the
            // insert does nothing and the read sees the winner's row. Whoever woke the companion first keeps the name.
            await session.ExecuteAsync(
                $"INSERT INTO companions ({CompanionColumns}) VALUES (@id, @name, @wokeAt, @persona, @traits) ON CONFLICT (id) DO NOTHING;",
                cancellationToken,
                ("id", identity.CompanionId),
                ("name", identity.Name),
                ("wokeAt", dialect.Time(identity.WokeAt)),
                ("persona", identity.Persona),
                ("traits", TraitsJson.Serialize(identity.Traits))).ConfigureAwait(false);
            var stored = await ReadCompanionsAsync(session, $"SELECT {CompanionColumns} FROM companions WHERE id = @id;", cancellationToken, ("id", identity.CompanionId)).ConfigureAwait(false);
            return stored.SingleOrDefault()
                ?? throw new InvalidOperationException($"Companion '{identity.CompanionId}' was not found right after being stored.");
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CompanionIdentity>> ListCompanionsAsync(CancellationToken cancellationToken) =>
        runner.ReadAsync(session => ReadCompanionsAsync(session, $"SELECT {CompanionColumns} FROM companions ORDER BY woke_at, {dialect.CompanionInsertionOrder};", cancellationToken), cancellationToken);

    /// <inheritdoc />
    public async Task<Relationship> GetRelationshipAsync(string companionId, CancellationToken cancellationToken)
    {
        // One statement, so the count and the last time come from the same snapshot.
        var rows = await runner.ReadAsync(
            session => session.QueryAsync(
                "SELECT c.person_name, c.woke_at, " +
                "(SELECT COUNT(*) FROM turns t WHERE t.companion_id = c.id), " +
                "(SELECT MAX(t.at) FROM turns t WHERE t.companion_id = c.id) " +
                "FROM companions c WHERE c.id = @id;",
                reader => new Relationship(
                    companionId,
                    StoreDialect.ReadNullableString(reader, 0),
                    dialect.ReadTime(reader, 1),
                    checked((int)reader.GetInt64(2)),
                    dialect.ReadNullableTime(reader, 3)),
                cancellationToken,
                ("id", companionId)),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? throw StoreErrors.UnknownCompanion(companionId) : rows[0];
    }

    /// <inheritdoc />
    public async Task SetPersonNameAsync(string companionId, string personName, CancellationToken cancellationToken)
    {
        dialect.RejectUnstorable(personName, nameof(personName));
        var changed = await runner.WriteAsync(
            session => session.ExecuteAsync("UPDATE companions SET person_name = @personName WHERE id = @id;", cancellationToken, ("id", companionId), ("personName", personName)),
            cancellationToken).ConfigureAwait(false);
        if (changed == 0)
        {
            throw StoreErrors.UnknownCompanion(companionId);
        }
    }

    /// <inheritdoc />
    public async Task<(string CompanionName, string? PersonName)> GetSpeakerNamesAsync(string companionId, CancellationToken cancellationToken)
    {
        var rows = await runner.ReadAsync(
            session => session.QueryAsync("SELECT name, person_name FROM companions WHERE id = @id;", reader => (reader.GetString(0), StoreDialect.ReadNullableString(reader, 1)), cancellationToken, ("id", companionId)),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? throw StoreErrors.UnknownCompanion(companionId) : rows[0];
    }

    /// <inheritdoc />
    public Task<StoredTurn> AppendTurnAsync(NewTurn turn, CancellationToken cancellationToken)
    {
        RejectUnstorable(turn, nameof(turn));
        return writes.AppendTurnAsync(turn, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> AppendTurnsAsync(IReadOnlyList<NewTurn> turns, CancellationToken cancellationToken)
    {
        foreach (var turn in turns)
        {
            RejectUnstorable(turn, nameof(turns));
        }

        return writes.AppendTurnsAsync(turns, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetRecentTurnsAsync(string companionId, int count, CancellationToken cancellationToken) =>
        ReadTurnsAsync(
            $"SELECT * FROM (SELECT {TurnColumns} FROM turns WHERE companion_id = @companionId ORDER BY id DESC LIMIT @limit) recent ORDER BY id;",
            cancellationToken,
            ("companionId", companionId),
            ("limit", count));

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetHistoryAsync(string companionId, long afterId, int take, CancellationToken cancellationToken) =>
        ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns WHERE companion_id = @companionId AND id > @afterId ORDER BY id LIMIT @limit;",
            cancellationToken,
            ("companionId", companionId),
            ("afterId", afterId),
            ("limit", take));

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetTurnsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken) =>
        ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns WHERE companion_id = @companionId AND id {dialect.InIds} ORDER BY id;",
            cancellationToken,
            ("companionId", companionId),
            ("ids", dialect.Ids(turnIds)));

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetUnindexedTurnsAsync(string companionId, int limit, CancellationToken cancellationToken) =>
        ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns t WHERE companion_id = @companionId AND text <> '' " +
            "AND NOT EXISTS (SELECT 1 FROM turn_vectors v WHERE v.turn_id = t.id) ORDER BY id LIMIT @limit;",
            cancellationToken,
            ("companionId", companionId),
            ("limit", limit));

    /// <inheritdoc />
    public Task SaveTurnVectorsAsync(IReadOnlyList<(long TurnId, byte[] Vector)> vectors, CancellationToken cancellationToken) =>
        writes.SaveTurnVectorsAsync(vectors, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, CancellationToken cancellationToken) =>
        runner.ReadAsync(
            session => session.QueryAsync(
                "SELECT v.turn_id, v.vector FROM turn_vectors v JOIN turns t ON t.id = v.turn_id WHERE t.companion_id = @companionId ORDER BY v.turn_id;",
                reader => (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)),
                cancellationToken,
                ("companionId", companionId)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken) =>
        runner.ReadAsync(
            session => session.QueryAsync(
                $"SELECT v.turn_id, v.vector FROM turn_vectors v JOIN turns t ON t.id = v.turn_id WHERE t.companion_id = @companionId AND v.turn_id {dialect.InIds} ORDER BY v.turn_id;",
                reader => (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)),
                cancellationToken,
                ("companionId", companionId),
                ("ids", dialect.Ids(turnIds))),
            cancellationToken);

    private Task<IReadOnlyList<CompanionIdentity>> ReadCompanionsAsync(SqlSession session, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        session.QueryAsync(
            sql,
            reader => new CompanionIdentity(
                reader.GetString(0),
                reader.GetString(1),
                dialect.ReadTime(reader, 2),
                reader.GetString(3),
                TraitsJson.Deserialize(reader.GetString(4))),
            cancellationToken,
            parameters);

    private Task<IReadOnlyList<StoredTurn>> ReadTurnsAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        runner.ReadAsync(
            session => session.QueryAsync(
                sql,
                reader => new StoredTurn(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    (Speaker)reader.GetInt32(3),
                    reader.GetString(4),
                    dialect.ReadTime(reader, 5),
                    (TurnStatus)reader.GetInt32(6)),
                cancellationToken,
                parameters),
            cancellationToken);

    // What a person wrote is refused, not altered, when the database cannot keep it.
    private void RejectUnstorable(NewTurn turn, string paramName)
    {
        dialect.RejectUnstorable(turn.Text, paramName);
        dialect.RejectUnstorable(turn.SessionId, paramName);
    }
}
