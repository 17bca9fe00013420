using Kindred.Core.Inner;
using Kindred.Memory.Storage;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

// The companion's inner life: appraisals, persona versions, milestones and open threads (outreach and the switch are in
// SqliteCompanionStore.InnerOutreach.cs). Tables from the inner-life schema step.
internal sealed partial class SqliteInnerLife(SqliteDatabase database) : IInnerLifeStore, IReflectionStore
{
    /// <inheritdoc />
    public Task SaveAppraisalAsync(string companionId, long turnId, DateTimeOffset at, Appraisal appraisal, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO inner_appraisals (turn_id, companion_id, at, valence, arousal, emotions, need, source) " +
                "SELECT $turnId, $companionId, $at, $valence, $arousal, $emotions, $need, $source " +
                "WHERE EXISTS (SELECT 1 FROM turns WHERE id = $turnId AND companion_id = $companionId) " +
                "ON CONFLICT (turn_id) DO UPDATE SET valence = excluded.valence, arousal = excluded.arousal, " +
                "emotions = excluded.emotions, need = excluded.need, source = excluded.source;";
            command.Parameters.AddWithValue("$turnId", turnId);
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$at", StoredTime.Format(at));
            command.Parameters.AddWithValue("$valence", appraisal.Valence);
            command.Parameters.AddWithValue("$arousal", appraisal.Arousal);
            command.Parameters.AddWithValue("$emotions", InnerJson.SerializeWords(appraisal.Emotions));
            command.Parameters.AddWithValue("$need", (int)appraisal.Need);
            command.Parameters.AddWithValue("$source", (int)appraisal.Source);
            var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return changed == 0
                ? throw new KeyNotFoundException($"Companion '{companionId}' has no turn {turnId} to appraise.")
                : changed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredAppraisal>> GetAppraisalsAsync(string companionId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        return QueryAsync(
            "SELECT turn_id, at, valence, arousal, emotions, need, source FROM inner_appraisals " +
            "WHERE companion_id = $companionId AND at >= $since ORDER BY at, turn_id;",
            command =>
            {
                command.Parameters.AddWithValue("$companionId", companionId);
                command.Parameters.AddWithValue("$since", StoredTime.Format(since));
            },
            reader => new StoredAppraisal(
                reader.GetInt64(0),
                StoredTime.Parse(reader.GetString(1)),
                new Appraisal(reader.GetDouble(2), reader.GetDouble(3), InnerJson.DeserializeWords(reader.GetString(4)), (PersonNeed)reader.GetInt32(5), (AppraisalSource)reader.GetInt32(6))),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PersonaVersion>> GetPersonaHistoryAsync(string companionId, CancellationToken cancellationToken)
    {
        return QueryAsync(
            "SELECT version, at, persona, kind, reason, reverts_version FROM inner_persona_versions WHERE companion_id = $companionId ORDER BY version;",
            command => command.Parameters.AddWithValue("$companionId", companionId),
            reader => new PersonaVersion(
                reader.GetInt32(0),
                StoredTime.Parse(reader.GetString(1)),
                InnerJson.DeserializePersona(reader.GetString(2)),
                (PersonaChangeKind)reader.GetInt32(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5)),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> AppendPersonaVersionAsync(string companionId, PersonaVersion version, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            // The version must follow the latest stored one exactly; a stale writer inserts nothing.
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO inner_persona_versions (companion_id, version, at, persona, kind, reason, reverts_version) " +
                "SELECT $companionId, $version, $at, $persona, $kind, $reason, $reverts " +
                "WHERE EXISTS (SELECT 1 FROM companions WHERE id = $companionId) " +
                "AND $version = 1 + (SELECT COALESCE(MAX(version), 0) FROM inner_persona_versions WHERE companion_id = $companionId);";
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$version", version.Version);
            command.Parameters.AddWithValue("$at", StoredTime.Format(version.At));
            command.Parameters.AddWithValue("$persona", InnerJson.SerializePersona(version.Persona));
            command.Parameters.AddWithValue("$kind", (int)version.Kind);
            command.Parameters.AddWithValue("$reason", version.Reason);
            command.Parameters.AddWithValue("$reverts", (object?)version.RevertsVersion ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> AddMilestoneAsync(string companionId, Milestone milestone, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO inner_milestones (companion_id, kind, at, turn_id) VALUES ($companionId, $kind, $at, $turnId) " +
                "ON CONFLICT (companion_id, kind) DO NOTHING;";
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$kind", (int)milestone.Kind);
            command.Parameters.AddWithValue("$at", StoredTime.Format(milestone.At));
            command.Parameters.AddWithValue("$turnId", (object?)milestone.TurnId ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Milestone>> GetMilestonesAsync(string companionId, CancellationToken cancellationToken)
    {
        return QueryAsync(
            "SELECT kind, at, turn_id FROM inner_milestones WHERE companion_id = $companionId ORDER BY at, kind;",
            command => command.Parameters.AddWithValue("$companionId", companionId),
            reader => new Milestone((MilestoneKind)reader.GetInt32(0), StoredTime.Parse(reader.GetString(1)), reader.IsDBNull(2) ? null : reader.GetInt64(2)),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<OpenThread> AddThreadAsync(string companionId, string about, DateTimeOffset raisedAt, DateTimeOffset followUpAt, long? sourceTurnId, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO inner_threads (companion_id, about, raised_at, follow_up_at, source_turn_id) " +
                "VALUES ($companionId, $about, $raisedAt, $followUpAt, $sourceTurnId) RETURNING id;";
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$about", about);
            command.Parameters.AddWithValue("$raisedAt", StoredTime.Format(raisedAt));
            command.Parameters.AddWithValue("$followUpAt", StoredTime.Format(followUpAt));
            command.Parameters.AddWithValue("$sourceTurnId", (object?)sourceTurnId ?? DBNull.Value);
            var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return new OpenThread(id, about, raisedAt.ToUniversalTime(), followUpAt.ToUniversalTime(), sourceTurnId, null);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OpenThread>> GetOpenThreadsAsync(string companionId, CancellationToken cancellationToken)
    {
        return QueryAsync(
            "SELECT id, about, raised_at, follow_up_at, source_turn_id FROM inner_threads " +
            "WHERE companion_id = $companionId AND closed_at IS NULL ORDER BY follow_up_at, id;",
            command => command.Parameters.AddWithValue("$companionId", companionId),
            reader => new OpenThread(
                reader.GetInt64(0),
                reader.GetString(1),
                StoredTime.Parse(reader.GetString(2)),
                StoredTime.Parse(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                null),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CloseThreadAsync(string companionId, long threadId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE inner_threads SET closed_at = $at WHERE id = $id AND companion_id = $companionId AND closed_at IS NULL;";
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$id", threadId);
            command.Parameters.AddWithValue("$at", StoredTime.Format(at));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<T>>(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var rows = new List<T>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(read(reader));
                }

                return rows;
            }
        }, cancellationToken);
}
