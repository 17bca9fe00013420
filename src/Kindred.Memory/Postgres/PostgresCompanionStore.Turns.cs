using Kindred.Core;
using Npgsql;
using NpgsqlTypes;

namespace Kindred.Memory.Postgres;

public sealed partial class PostgresCompanionStore
{
    private const string TurnColumns = "id, companion_id, session_id, speaker, text, at, status";

    /// <inheritdoc />
    /// <remarks>
    /// Text may be empty only for an <see cref="TurnStatus.Interrupted"/> turn (a reply cut off before its first
    /// word); a complete turn must say something.
    /// </remarks>
    public async Task<StoredTurn> AppendTurnAsync(NewTurn turn, CancellationToken cancellationToken)
    {
        Validate(turn, nameof(turn));

        // Reading the companion's row FOR NO KEY UPDATE checks it exists (an unknown one is reported as such, not as a
        // foreign-key failure) and queues appends to the same companion, so ids follow commit order (see remarks on
        // the class). Appends to other companions do not wait.
        await using var command = Command(
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
        return id is long value ? Stored(value, turn) : throw UnknownCompanion(turn.CompanionId);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredTurn>> AppendTurnsAsync(IReadOnlyList<NewTurn> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        foreach (var turn in turns)
        {
            Validate(turn, nameof(turns));
        }

        if (turns.Count == 0)
        {
            return [];
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
                    throw UnknownCompanion(missing);
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
                return [.. turns.Select((turn, i) => Stored(ids[i], turn))];
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>An unknown companion has no turns: the result is empty. <paramref name="count"/> must not be negative.</remarks>
    public Task<IReadOnlyList<StoredTurn>> GetRecentTurnsAsync(string companionId, int count, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ReadTurnsAsync(
            $"SELECT * FROM (SELECT {TurnColumns} FROM turns WHERE companion_id = @companionId ORDER BY id DESC LIMIT @limit) recent ORDER BY id;",
            companionId,
            count,
            command => { },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An unknown companion has no turns: the result is empty. <paramref name="take"/> must not be negative.</remarks>
    public Task<IReadOnlyList<StoredTurn>> GetHistoryAsync(string companionId, long afterId, int take, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
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
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(turnIds);
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
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
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
        if (limit == 0)
        {
            return [];
        }

        await using var command = Command(sql);
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
                    FromTicks(reader.GetInt64(5)),
                    (TurnStatus)reader.GetInt16(6)));
            }

            return turns;
        }
    }

    private static StoredTurn Stored(long id, NewTurn turn) =>
        new(id, turn.CompanionId, turn.SessionId, turn.Speaker, turn.Text, turn.At.ToUniversalTime(), turn.Status);

    private static void Validate(NewTurn turn, string paramName)
    {
        ArgumentNullException.ThrowIfNull(turn, paramName);
        ArgumentException.ThrowIfNullOrWhiteSpace(turn.CompanionId, paramName);
        ArgumentException.ThrowIfNullOrWhiteSpace(turn.SessionId, paramName);
        ArgumentNullException.ThrowIfNull(turn.Text, paramName);
        if (!Enum.IsDefined(turn.Speaker))
        {
            throw new ArgumentOutOfRangeException(paramName, turn.Speaker, "Unknown speaker.");
        }

        if (!Enum.IsDefined(turn.Status))
        {
            throw new ArgumentOutOfRangeException(paramName, turn.Status, "Unknown turn status.");
        }

        if (turn.Status == TurnStatus.Complete && turn.Text.Length == 0)
        {
            throw new ArgumentException("A complete turn must have text.", paramName);
        }

        RejectNul(turn.Text, paramName);
        RejectNul(turn.SessionId, paramName);
    }
}
