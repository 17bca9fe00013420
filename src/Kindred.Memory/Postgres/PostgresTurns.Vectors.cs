namespace Kindred.Memory.Postgres;

// The turns' embeddings, as VectorCodec's bytes in bytea.
internal sealed partial class PostgresTurns
{
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

    /// <inheritdoc />
    public async Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, CancellationToken cancellationToken)
    {
        await using var command = database.Sql(
            "SELECT v.turn_id, v.vector FROM turn_vectors v JOIN turns t ON t.id = v.turn_id WHERE t.companion_id = @companionId ORDER BY v.turn_id;");
        command.Parameters.AddWithValue("companionId", companionId);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var vectors = new List<(long, byte[])>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                vectors.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
            }

            return vectors;
        }
    }
}
