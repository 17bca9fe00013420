using Kindred.Core;
using Kindred.Memory.Storage;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

/// <summary>How the SQLite store appends turns and saves their embeddings: in one transaction on its single writer.</summary>
internal sealed class SqliteTurns(SqliteDatabase database) : ITurnWrites
{
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
    public Task SaveTurnVectorsAsync(IReadOnlyList<(long TurnId, byte[] Vector)> vectors, CancellationToken cancellationToken) =>
        database.InWriteTransactionAsync(async (connection, transaction) =>
        {
            // A turn forgotten meanwhile simply gets no vector.
            using var command = SqliteDatabase.Command(
                connection,
                transaction,
                "INSERT OR REPLACE INTO turn_vectors (turn_id, vector) SELECT $turnId, $vector WHERE EXISTS (SELECT 1 FROM turns WHERE id = $turnId);");
            var turnId = command.Parameters.Add("$turnId", SqliteType.Integer);
            var vector = command.Parameters.Add("$vector", SqliteType.Blob);
            foreach (var (id, bytes) in vectors)
            {
                turnId.Value = id;
                vector.Value = bytes;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
}
