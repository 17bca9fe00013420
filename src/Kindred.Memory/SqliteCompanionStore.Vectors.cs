using Kindred.Core;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

public sealed partial class SqliteCompanionStore
{
    /// <summary>Stores (or replaces) the embeddings of turns, all in one transaction.</summary>
    public Task SaveTurnVectorsAsync(IReadOnlyList<(long TurnId, byte[] Vector)> vectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;

            // A turn forgotten meanwhile simply gets no vector.
            command.CommandText = "INSERT OR REPLACE INTO turn_vectors (turn_id, vector) SELECT $turnId, $vector WHERE EXISTS (SELECT 1 FROM turns WHERE id = $turnId);";
            var turnId = command.Parameters.Add("$turnId", SqliteType.Integer);
            var vector = command.Parameters.Add("$vector", SqliteType.Blob);
            foreach (var (id, bytes) in vectors)
            {
                turnId.Value = id;
                vector.Value = bytes;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Every stored embedding of a companion's turns, in turn order.</summary>
    public Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync<IReadOnlyList<(long, byte[])>>(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT v.turn_id, v.vector FROM turn_vectors v JOIN turns t ON t.id = v.turn_id WHERE t.companion_id = $companionId ORDER BY v.turn_id;";
            command.Parameters.AddWithValue("$companionId", companionId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var vectors = new List<(long, byte[])>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    vectors.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
                }

                return vectors;
            }
        }, cancellationToken);
    }

    /// <summary>The companion's turns with these ids (others' ids are ignored), in id order.</summary>
    public Task<IReadOnlyList<StoredTurn>> GetTurnsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(turnIds);
        if (turnIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<StoredTurn>>([]);
        }

        return ReadAsync<IReadOnlyList<StoredTurn>>(async connection =>
        {
            using var command = connection.CreateCommand();

            // Ids are longs, formatted here, never text from a person: a literal list is safe and one round trip.
            var list = string.Join(',', turnIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            command.CommandText = $"SELECT {TurnColumns} FROM turns WHERE companion_id = $companionId AND id IN ({list}) ORDER BY id;";
            command.Parameters.AddWithValue("$companionId", companionId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var turns = new List<StoredTurn>(turnIds.Count);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    turns.Add(ReadTurn(reader));
                }

                return turns;
            }
        }, cancellationToken);
    }

    /// <summary>A companion's turns that have no embedding yet, oldest first, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<StoredTurn>> GetUnindexedTurnsAsync(string companionId, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadTurnsAsync(
            $"SELECT {TurnColumns} FROM turns WHERE companion_id = $companionId AND id > $afterId AND text <> '' " +
            "AND NOT EXISTS (SELECT 1 FROM turn_vectors v WHERE v.turn_id = turns.id) ORDER BY id LIMIT $limit;",
            companionId,
            afterId: 0,
            limit,
            cancellationToken);
    }
}
