using Kindred.Core;
using Kindred.Memory.Storage;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

/// <summary>The SQLite store's companions, turns and their embeddings; <see cref="CompanionStore"/> checks the arguments first.</summary>
internal sealed partial class SqliteTurns(SqliteDatabase database) : ITurnStore
{
    private const string TurnColumns = "id, companion_id, session_id, speaker, text, at, status";

    // The existence check rides in the insert itself, so an unknown companion is reported as such rather than as a
    // foreign-key failure, and no second round trip is needed.
    private const string InsertTurn =
        "INSERT INTO turns (companion_id, session_id, speaker, text, at, status) " +
        "SELECT $companionId, $sessionId, $speaker, $text, $at, $status " +
        "WHERE EXISTS (SELECT 1 FROM companions WHERE id = $companionId) " +
        "RETURNING id;";

    /// <inheritdoc />
    public async Task<StoredTurn> AppendTurnAsync(NewTurn turn, CancellationToken cancellationToken) =>
        (await AppendTurnsAsync([turn], cancellationToken).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> AppendTurnsAsync(IReadOnlyList<NewTurn> turns, CancellationToken cancellationToken) =>
        database.InWriteTransactionAsync<IReadOnlyList<StoredTurn>>(async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, InsertTurn);
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
                    ?? throw StoreErrors.UnknownCompanion(turn.CompanionId);
                stored.Add(StoredTurns.Stored(id, turn));
            }

            return stored;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetRecentTurnsAsync(string companionId, int count, CancellationToken cancellationToken) =>
        ReadTurnsAsync(
            $"SELECT * FROM (SELECT {TurnColumns} FROM turns WHERE companion_id = $companionId ORDER BY id DESC LIMIT $limit) ORDER BY id;",
            cancellationToken,
            ("$companionId", companionId),
            ("$limit", count));

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetHistoryAsync(string companionId, long afterId, int take, CancellationToken cancellationToken) =>
        ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns WHERE companion_id = $companionId AND id > $afterId ORDER BY id LIMIT $limit;",
            cancellationToken,
            ("$companionId", companionId),
            ("$afterId", afterId),
            ("$limit", take));

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetTurnsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken) =>
        // Ids are longs, formatted here, never text from a person: a literal list is safe and one round trip.
        ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns WHERE companion_id = $companionId AND id IN ({SqliteDatabase.IdList(turnIds)}) ORDER BY id;",
            cancellationToken,
            ("$companionId", companionId));

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetUnindexedTurnsAsync(string companionId, int limit, CancellationToken cancellationToken) =>
        ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns WHERE companion_id = $companionId AND text <> '' " +
            "AND NOT EXISTS (SELECT 1 FROM turn_vectors v WHERE v.turn_id = turns.id) ORDER BY id LIMIT $limit;",
            cancellationToken,
            ("$companionId", companionId),
            ("$limit", limit));

    private Task<IReadOnlyList<StoredTurn>> ReadTurnsAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        database.QueryAsync(
            sql,
            reader => new StoredTurn(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                (Speaker)reader.GetInt32(3),
                reader.GetString(4),
                StoredTime.Parse(reader.GetString(5)),
                (TurnStatus)reader.GetInt32(6)),
            cancellationToken,
            parameters);
}
