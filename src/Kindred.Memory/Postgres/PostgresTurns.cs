using Kindred.Core;
using Kindred.Memory.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Kindred.Memory.Postgres;

/// <summary>How the PostgreSQL store appends turns and saves their embeddings (see the remarks on <see cref="PostgresCompanionStore"/>).</summary>
internal sealed class PostgresTurns(PostgresDatabase database) : ITurnWrites
{
    /// <inheritdoc />
    public async Task<StoredTurn> AppendTurnAsync(NewTurn turn, CancellationToken cancellationToken)
    {
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
    public async Task SaveTurnVectorsAsync(IReadOnlyList<(long TurnId, byte[] Vector)> vectors, CancellationToken cancellationToken)
    {
        // The last vector given for a turn wins, as a replace would; one statement cannot update a row twice.
        var latest = new Dictionary<long, byte[]>();
        foreach (var (turnId, vector) in vectors)
        {
            latest[turnId] = vector;
        }

        // One statement, so one transaction. FOR KEY SHARE holds each turn until commit; a turn forgotten meanwhile is
        // skipped (it simply gets no vector) instead of failing the foreign key.
        await using var command = database.Sql(
            "INSERT INTO turn_vectors (turn_id, vector) " +
            "SELECT t.id, v.vector FROM unnest(@turnIds, @vectors) AS v(turn_id, vector) JOIN turns t ON t.id = v.turn_id " +
            "FOR KEY SHARE OF t " +
            "ON CONFLICT (turn_id) DO UPDATE SET vector = excluded.vector;");
        command.Parameters.AddWithValue("turnIds", latest.Keys.ToArray());
        command.Parameters.AddWithValue("vectors", latest.Values.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
