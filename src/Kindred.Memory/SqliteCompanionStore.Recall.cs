using Kindred.Core;

namespace Kindred.Memory;

public sealed partial class SqliteCompanionStore
{
    /// <summary>
    /// For each given turn, the ids of the companion's turns just before and just after it in the same session (null
    /// where the session begins or ends), so recall can read a hit in its conversation. Another companion's ids are
    /// ignored.
    /// </summary>
    public Task<IReadOnlyDictionary<long, (long? Before, long? After)>> GetAdjacentTurnIdsAsync(
        string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(turnIds);
        if (turnIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<long, (long?, long?)>>(new Dictionary<long, (long?, long?)>());
        }

        return ReadAsync<IReadOnlyDictionary<long, (long?, long?)>>(async connection =>
        {
            // Each neighbour is one seek on turns_by_companion: cheap however long the history is.
            using var command = connection.CreateCommand();
            var list = string.Join(',', turnIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            command.CommandText =
                "SELECT t.id, b.id, a.id FROM turns t " +
                "LEFT JOIN turns b ON b.id = (SELECT MAX(p.id) FROM turns p WHERE p.companion_id = $companionId AND p.id < t.id) " +
                "AND b.session_id = t.session_id " +
                "LEFT JOIN turns a ON a.id = (SELECT MIN(n.id) FROM turns n WHERE n.companion_id = $companionId AND n.id > t.id) " +
                "AND a.session_id = t.session_id " +
                $"WHERE t.companion_id = $companionId AND t.id IN ({list});";
            command.Parameters.AddWithValue("$companionId", companionId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var adjacent = new Dictionary<long, (long?, long?)>(turnIds.Count);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    adjacent[reader.GetInt64(0)] = (
                        reader.IsDBNull(1) ? null : reader.GetInt64(1),
                        reader.IsDBNull(2) ? null : reader.GetInt64(2));
                }

                return adjacent;
            }
        }, cancellationToken);
    }

    /// <summary>The companion's own name and its person's (null until known): who "Sam" or "Alex" in a question is.</summary>
    /// <exception cref="KeyNotFoundException">No such companion.</exception>
    public Task<(string CompanionName, string? PersonName)> GetSpeakerNamesAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, person_name FROM companions WHERE id = $id;";
            command.Parameters.AddWithValue("$id", companionId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1))
                    : throw UnknownCompanion(companionId);
            }
        }, cancellationToken);
    }
}
