namespace Kindred.Memory.Postgres;

public sealed partial class PostgresCompanionStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<long, (long? Before, long? After)>> GetAdjacentTurnIdsAsync(
        string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(turnIds);
        var adjacent = new Dictionary<long, (long?, long?)>(turnIds.Count);
        if (turnIds.Count == 0)
        {
            return adjacent;
        }

        // Each neighbour is one index seek on (companion_id, id), however long the history is; a neighbour in another
        // session is no neighbour.
        await using var command = Command(
            "SELECT t.id, b.id, a.id FROM turns t " +
            "LEFT JOIN LATERAL (SELECT p.id, p.session_id FROM turns p WHERE p.companion_id = t.companion_id AND p.id < t.id " +
            "ORDER BY p.id DESC LIMIT 1) b ON b.session_id = t.session_id " +
            "LEFT JOIN LATERAL (SELECT n.id, n.session_id FROM turns n WHERE n.companion_id = t.companion_id AND n.id > t.id " +
            "ORDER BY n.id LIMIT 1) a ON a.session_id = t.session_id " +
            "WHERE t.companion_id = @companionId AND t.id = ANY(@ids);");
        command.Parameters.AddWithValue("companionId", companionId);
        command.Parameters.AddWithValue("ids", turnIds.ToArray());
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                adjacent[reader.GetInt64(0)] = (
                    reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    reader.IsDBNull(2) ? null : reader.GetInt64(2));
            }
        }

        return adjacent;
    }

    /// <inheritdoc />
    public async Task<(string CompanionName, string? PersonName)> GetSpeakerNamesAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        await using var command = Command("SELECT name, person_name FROM companions WHERE id = @id;");
        command.Parameters.AddWithValue("id", companionId);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1))
                : throw UnknownCompanion(companionId);
        }
    }
}
