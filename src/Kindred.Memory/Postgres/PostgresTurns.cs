using Kindred.Core;
using Kindred.Memory.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Kindred.Memory.Postgres;

/// <summary>The PostgreSQL store's companions, turns and their embeddings; <see cref="CompanionStore"/> checks the arguments first.</summary>
internal sealed partial class PostgresTurns(PostgresDatabase database) : ITurnStore
{
    private const string TurnColumns = "id, companion_id, session_id, speaker, text, at, status";

    /// <inheritdoc />
    public async Task<StoredTurn> AppendTurnAsync(NewTurn turn, CancellationToken cancellationToken)
    {
        RejectNul(turn, nameof(turn));

        // Reading the companion's row FOR NO KEY UPDATE checks it exists (an unknown one is reported as such, not as a
        // foreign-key failure) and queues appends to the same companion, so ids follow commit order (see remarks on
        // the class). Appends to other companions do not wait.
        await using var command = database.Sql(
            "INSERT INTO turns (companion_id, session_id, speaker, text, at, status) " +
            "SELECT c.id, @sessionId, @speaker, @text, @at, @status FROM companions c WHERE c.id = @companionId FOR NO KEY UPDATE " +
            "RETURNING id;");
        command.Parameters.AddWithValue("companionId", turn.CompanionId);
        command.Parameters.AddWithValue("sessionId", turn.SessionId);
        command.Parameters.AddWithValue("speaker", (short)turn.Speaker);
        command.Parameters.AddWithValue("text", turn.Text);
        command.Parameters.AddWithValue("at", turn.At.UtcTicks);
        command.Parameters.AddWithValue("status", (short)turn.Status);
        var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return id is long value ? StoredTurns.Stored(value, turn) : throw StoreErrors.UnknownCompanion(turn.CompanionId);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredTurn>> AppendTurnsAsync(IReadOnlyList<NewTurn> turns, CancellationToken cancellationToken)
    {
        foreach (var turn in turns)
        {
            RejectNul(turn, nameof(turns));
        }

        var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Locked in id order, so two batches for the same companions cannot deadlock.
                var wanted = turns.Select(t => t.CompanionId).Distinct(StringComparer.Ordinal).ToArray();
                var found = new HashSet<string>(StringComparer.Ordinal);
                await using (var lockCompanions = new NpgsqlCommand("SELECT id FROM companions WHERE id = ANY(@ids) ORDER BY id FOR NO KEY UPDATE;", connection, transaction))
                {
                    lockCompanions.Parameters.AddWithValue("ids", wanted);
                    var reader = await lockCompanions.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            found.Add(reader.GetString(0));
                        }
                    }
                }

                if (wanted.FirstOrDefault(id => !found.Contains(id)) is { } missing)
                {
                    throw StoreErrors.UnknownCompanion(missing);
                }

                // One statement for the whole batch; rows are inserted in the given order, so the identity hands out
                // ascending ids in that order.
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO turns (companion_id, session_id, speaker, text, at, status) " +
                    "SELECT u.companion_id, u.session_id, u.speaker, u.text, u.at, u.status " +
                    "FROM unnest(@companionIds, @sessionIds, @speakers, @texts, @ats, @statuses) " +
                    "WITH ORDINALITY AS u(companion_id, session_id, speaker, text, at, status, n) ORDER BY u.n " +
                    "RETURNING id;",
                    connection,
                    transaction);
                insert.Parameters.AddWithValue("companionIds", turns.Select(t => t.CompanionId).ToArray());
                insert.Parameters.AddWithValue("sessionIds", turns.Select(t => t.SessionId).ToArray());
                insert.Parameters.AddWithValue("speakers", turns.Select(t => (short)t.Speaker).ToArray());
                insert.Parameters.AddWithValue("texts", turns.Select(t => t.Text).ToArray());
                insert.Parameters.AddWithValue("ats", turns.Select(t => t.At.UtcTicks).ToArray());
                insert.Parameters.AddWithValue("statuses", turns.Select(t => (short)t.Status).ToArray());
                var ids = new List<long>(turns.Count);
                var inserted = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (inserted.ConfigureAwait(false))
                {
                    while (await inserted.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(inserted.GetInt64(0));
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                ids.Sort();
                return [.. turns.Select((turn, i) => StoredTurns.Stored(ids[i], turn))];
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetRecentTurnsAsync(string companionId, int count, CancellationToken cancellationToken)
    {
        return ReadTurnsAsync(
            $"SELECT * FROM (SELECT {TurnColumns} FROM turns WHERE companion_id = @companionId ORDER BY id DESC LIMIT @limit) recent ORDER BY id;",
            companionId,
            count,
            command => { },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetHistoryAsync(string companionId, long afterId, int take, CancellationToken cancellationToken)
    {
        return ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns WHERE companion_id = @companionId AND id > @afterId ORDER BY id LIMIT @limit;",
            companionId,
            take,
            command => command.Parameters.AddWithValue("afterId", afterId),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetTurnsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken)
    {
        return ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns WHERE companion_id = @companionId AND id = ANY(@ids) ORDER BY id LIMIT @limit;",
            companionId,
            turnIds.Count,
            command => command.Parameters.AddWithValue("ids", turnIds.ToArray()),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetUnindexedTurnsAsync(string companionId, int limit, CancellationToken cancellationToken)
    {
        return ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns t WHERE companion_id = @companionId AND text <> '' " +
            "AND NOT EXISTS (SELECT 1 FROM turn_vectors v WHERE v.turn_id = t.id) ORDER BY id LIMIT @limit;",
            companionId,
            limit,
            command => { },
            cancellationToken);
    }

    private async Task<IReadOnlyList<StoredTurn>> ReadTurnsAsync(
        string sql, string companionId, int limit, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = database.Sql(sql);
        command.Parameters.AddWithValue("companionId", companionId);
        command.Parameters.AddWithValue("limit", NpgsqlDbType.Integer, limit);
        bind(command);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var turns = new List<StoredTurn>(Math.Min(limit, 256));
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                turns.Add(new StoredTurn(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    (Speaker)reader.GetInt16(3),
                    reader.GetString(4),
                    PostgresDatabase.FromTicks(reader.GetInt64(5)),
                    (TurnStatus)reader.GetInt16(6)));
            }

            return turns;
        }
    }

    // What a person wrote is refused, not altered, when PostgreSQL cannot keep it.
    private static void RejectNul(NewTurn turn, string paramName)
    {
        PostgresDatabase.RejectNul(turn.Text, paramName);
        PostgresDatabase.RejectNul(turn.SessionId, paramName);
    }
}
