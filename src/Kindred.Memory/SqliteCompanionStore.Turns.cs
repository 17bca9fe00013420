using Kindred.Core;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

public sealed partial class SqliteCompanionStore
{
    private const string TurnColumns = "id, companion_id, session_id, speaker, text, at, status";

    /// <inheritdoc />
    /// <remarks>
    /// Text may be empty only for an <see cref="TurnStatus.Interrupted"/> turn (a reply cut off before its first
    /// word); a complete turn must say something.
    /// </remarks>
    public Task<StoredTurn> AppendTurnAsync(NewTurn turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentException.ThrowIfNullOrWhiteSpace(turn.CompanionId, nameof(turn));
        ArgumentException.ThrowIfNullOrWhiteSpace(turn.SessionId, nameof(turn));
        ArgumentNullException.ThrowIfNull(turn.Text, nameof(turn));
        if (!Enum.IsDefined(turn.Speaker))
        {
            throw new ArgumentOutOfRangeException(nameof(turn), turn.Speaker, "Unknown speaker.");
        }

        if (!Enum.IsDefined(turn.Status))
        {
            throw new ArgumentOutOfRangeException(nameof(turn), turn.Status, "Unknown turn status.");
        }

        if (turn.Status == TurnStatus.Complete && turn.Text.Length == 0)
        {
            throw new ArgumentException("A complete turn must have text.", nameof(turn));
        }

        return WriteAsync(async connection =>
        {
            // The existence check rides in the insert itself, so an unknown companion is reported as such rather
            // than as a foreign-key failure, and no second round trip is needed.
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO turns (companion_id, session_id, speaker, text, at, status) " +
                "SELECT $companionId, $sessionId, $speaker, $text, $at, $status " +
                "WHERE EXISTS (SELECT 1 FROM companions WHERE id = $companionId) " +
                "RETURNING id;";
            command.Parameters.AddWithValue("$companionId", turn.CompanionId);
            command.Parameters.AddWithValue("$sessionId", turn.SessionId);
            command.Parameters.AddWithValue("$speaker", (int)turn.Speaker);
            command.Parameters.AddWithValue("$text", turn.Text);
            command.Parameters.AddWithValue("$at", StoredTime.Format(turn.At));
            command.Parameters.AddWithValue("$status", (int)turn.Status);
            var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return id is long value
                ? new StoredTurn(value, turn.CompanionId, turn.SessionId, turn.Speaker, turn.Text, turn.At.ToUniversalTime(), turn.Status)
                : throw UnknownCompanion(turn.CompanionId);
        }, cancellationToken);
    }

    /// <summary>
    /// Appends many turns of one companion in order, in one transaction: all are stored or none. For imports and
    /// evaluations, where one commit per turn would be needlessly slow.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The companion does not exist.</exception>
    public Task<IReadOnlyList<StoredTurn>> AppendTurnsAsync(IReadOnlyList<NewTurn> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        foreach (var turn in turns)
        {
            ArgumentNullException.ThrowIfNull(turn, nameof(turns));
            ArgumentNullException.ThrowIfNull(turn.Text, nameof(turns));
        }

        return WriteAsync<IReadOnlyList<StoredTurn>>(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "INSERT INTO turns (companion_id, session_id, speaker, text, at, status) " +
                "SELECT $companionId, $sessionId, $speaker, $text, $at, $status " +
                "WHERE EXISTS (SELECT 1 FROM companions WHERE id = $companionId) " +
                "RETURNING id;";
            var companionId = command.Parameters.Add("$companionId", SqliteType.Text);
            var sessionId = command.Parameters.Add("$sessionId", SqliteType.Text);
            var speaker = command.Parameters.Add("$speaker", SqliteType.Integer);
            var text = command.Parameters.Add("$text", SqliteType.Text);
            var at = command.Parameters.Add("$at", SqliteType.Text);
            var status = command.Parameters.Add("$status", SqliteType.Integer);
            var stored = new List<StoredTurn>(turns.Count);
            foreach (var turn in turns)
            {
                companionId.Value = turn.CompanionId;
                sessionId.Value = turn.SessionId;
                speaker.Value = (int)turn.Speaker;
                text.Value = turn.Text;
                at.Value = StoredTime.Format(turn.At);
                status.Value = (int)turn.Status;
                var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?
                    ?? throw UnknownCompanion(turn.CompanionId);
                stored.Add(new StoredTurn(id, turn.CompanionId, turn.SessionId, turn.Speaker, turn.Text, turn.At.ToUniversalTime(), turn.Status));
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return stored;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An unknown companion has no turns: the result is empty. <paramref name="count"/> must not be negative.</remarks>
    public Task<IReadOnlyList<StoredTurn>> GetRecentTurnsAsync(string companionId, int count, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ReadTurnsAsync(
            $"SELECT * FROM (SELECT {TurnColumns} FROM turns WHERE companion_id = $companionId ORDER BY id DESC LIMIT $limit) ORDER BY id;",
            companionId,
            afterId: 0,
            limit: count,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An unknown companion has no turns: the result is empty. <paramref name="take"/> must not be negative.</remarks>
    public Task<IReadOnlyList<StoredTurn>> GetHistoryAsync(string companionId, long afterId, int take, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns WHERE companion_id = $companionId AND id > $afterId ORDER BY id LIMIT $limit;",
            companionId,
            afterId,
            take,
            cancellationToken);
    }

    private Task<IReadOnlyList<StoredTurn>> ReadTurnsAsync(string sql, string companionId, long afterId, int limit, CancellationToken cancellationToken)
    {
        if (limit == 0)
        {
            return Task.FromResult<IReadOnlyList<StoredTurn>>([]);
        }

        return ReadAsync<IReadOnlyList<StoredTurn>>(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$afterId", afterId);
            command.Parameters.AddWithValue("$limit", limit);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var turns = new List<StoredTurn>(Math.Min(limit, 256));
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    turns.Add(ReadTurn(reader));
                }

                return turns;
            }
        }, cancellationToken);
    }

    private static StoredTurn ReadTurn(SqliteDataReader reader) =>
        new(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            (Speaker)reader.GetInt32(3),
            reader.GetString(4),
            StoredTime.Parse(reader.GetString(5)),
            (TurnStatus)reader.GetInt32(6));
}
