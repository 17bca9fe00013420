using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

// The turns' embeddings, as VectorCodec's bytes.
internal sealed partial class SqliteTurns
{
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

    /// <inheritdoc />
    public Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, CancellationToken cancellationToken) =>
        database.QueryAsync(
            "SELECT v.turn_id, v.vector FROM turn_vectors v JOIN turns t ON t.id = v.turn_id WHERE t.companion_id = $companionId ORDER BY v.turn_id;",
            reader => (reader.GetInt64(0), (byte[])reader.GetValue(1)),
            cancellationToken,
            ("$companionId", companionId));
}
