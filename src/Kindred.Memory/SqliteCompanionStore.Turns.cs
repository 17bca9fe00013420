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
