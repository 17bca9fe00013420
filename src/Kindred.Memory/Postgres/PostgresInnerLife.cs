using Kindred.Core.Inner;
using Kindred.Memory.Storage;
using Npgsql;

namespace Kindred.Memory.Postgres;

/// <summary>
/// The PostgreSQL store's inner life: appraisals, persona versions, milestones, open threads and the companion's
/// reflections (outreach and the switch are in PostgresInnerLife.Outreach.cs); <see cref="CompanionStore"/> checks the
/// arguments first, and the contract tests hold it to the SQLite store's behaviour.
/// </summary>
internal sealed partial class PostgresInnerLife(PostgresDatabase database) : IInnerLifeStore, IReflectionStore
{
    /// <inheritdoc />
    public async Task SaveAppraisalAsync(string companionId, long turnId, DateTimeOffset at, Appraisal appraisal, CancellationToken cancellationToken)
    {
        var changed = await database.ExecuteAsync(
            "INSERT INTO inner_appraisals (turn_id, companion_id, at, valence, arousal, emotions, need, source) " +
            "SELECT @turnId, @c, @at, @valence, @arousal, @emotions, @need, @source " +
            "WHERE EXISTS (SELECT 1 FROM turns WHERE id = @turnId AND companion_id = @c) " +
            "ON CONFLICT (turn_id) DO UPDATE SET valence = excluded.valence, arousal = excluded.arousal, " +
            "emotions = excluded.emotions, need = excluded.need, source = excluded.source;",
            cancellationToken,
            ("turnId", turnId),
            ("c", companionId),
            ("at", at.UtcTicks),
            ("valence", appraisal.Valence),
            ("arousal", appraisal.Arousal),
            ("emotions", appraisal.Emotions.Select(PostgresDatabase.WithoutNul).ToArray()),
            ("need", (int)appraisal.Need),
            ("source", (int)appraisal.Source)).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new KeyNotFoundException($"Companion '{companionId}' has no turn {turnId} to appraise.");
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredAppraisal>> GetAppraisalsAsync(string companionId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        return database.QueryAsync(
            "SELECT turn_id, at, valence, arousal, emotions, need, source FROM inner_appraisals " +
            "WHERE companion_id = @c AND at >= @since ORDER BY at, turn_id;",
            reader => new StoredAppraisal(
                reader.GetInt64(0),
                PostgresDatabase.FromTicks(reader.GetInt64(1)),
                new Appraisal(reader.GetDouble(2), reader.GetDouble(3), reader.GetFieldValue<string[]>(4), (PersonNeed)reader.GetInt32(5), (AppraisalSource)reader.GetInt32(6))),
            cancellationToken,
            ("c", companionId),
            ("since", since.UtcTicks));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PersonaVersion>> GetPersonaHistoryAsync(string companionId, CancellationToken cancellationToken)
    {
        return database.QueryAsync(
            "SELECT version, at, persona, kind, reason, reverts_version FROM inner_persona_versions WHERE companion_id = @c ORDER BY version;",
            reader => new PersonaVersion(
                reader.GetInt32(0),
                PostgresDatabase.FromTicks(reader.GetInt64(1)),
                InnerJson.DeserializePersona(reader.GetString(2)),
                (PersonaChangeKind)reader.GetInt32(3),
                reader.GetString(4),
                PostgresDatabase.NullableInt32(reader, 5)),
            cancellationToken,
            ("c", companionId));
    }

    /// <inheritdoc />
    public async Task<bool> AppendPersonaVersionAsync(string companionId, PersonaVersion version, CancellationToken cancellationToken)
    {

        // The version must follow the latest stored one exactly; a stale writer inserts nothing. Two writers racing for
        // the same next version both pass the check, and the primary key lets only the first in.
        return await database.ExecuteAsync(
            "INSERT INTO inner_persona_versions (companion_id, version, at, persona, kind, reason, reverts_version) " +
            "SELECT @c, @version, @at, @persona, @kind, @reason, @reverts::integer " +
            "WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) " +
            "AND @version = 1 + (SELECT COALESCE(MAX(version), 0) FROM inner_persona_versions WHERE companion_id = @c) " +
            "ON CONFLICT (companion_id, version) DO NOTHING;",
            cancellationToken,
            ("c", companionId),
            ("version", version.Version),
            ("at", version.At.UtcTicks),
            ("persona", PostgresDatabase.WithoutNul(InnerJson.SerializePersona(version.Persona))),
            ("kind", (int)version.Kind),
            ("reason", PostgresDatabase.WithoutNul(version.Reason)),
            ("reverts", version.RevertsVersion)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> AddMilestoneAsync(string companionId, Milestone milestone, CancellationToken cancellationToken)
    {
        return await database.ExecuteAsync(
            "INSERT INTO inner_milestones (companion_id, kind, at, turn_id) VALUES (@c, @kind, @at, @turnId) " +
            "ON CONFLICT (companion_id, kind) DO NOTHING;",
            cancellationToken,
            ("c", companionId),
            ("kind", (int)milestone.Kind),
            ("at", milestone.At.UtcTicks),
            ("turnId", milestone.TurnId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Milestone>> GetMilestonesAsync(string companionId, CancellationToken cancellationToken)
    {
        return database.QueryAsync(
            "SELECT kind, at, turn_id FROM inner_milestones WHERE companion_id = @c ORDER BY at, kind;",
            reader => new Milestone((MilestoneKind)reader.GetInt32(0), PostgresDatabase.FromTicks(reader.GetInt64(1)), PostgresDatabase.NullableInt64(reader, 2)),
            cancellationToken,
            ("c", companionId));
    }

    /// <inheritdoc />
    public async Task<OpenThread> AddThreadAsync(string companionId, string about, DateTimeOffset raisedAt, DateTimeOffset followUpAt, long? sourceTurnId, CancellationToken cancellationToken)
    {
        about = PostgresDatabase.WithoutNul(about);
        await using var command = database.Sql(
            "INSERT INTO inner_threads (companion_id, about, raised_at, follow_up_at, source_turn_id) " +
            "VALUES (@c, @about, @raisedAt, @followUpAt, @sourceTurnId) RETURNING id;",
            ("c", companionId),
            ("about", about),
            ("raisedAt", raisedAt.UtcTicks),
            ("followUpAt", followUpAt.UtcTicks),
            ("sourceTurnId", sourceTurnId));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new OpenThread(id, about, raisedAt.ToUniversalTime(), followUpAt.ToUniversalTime(), sourceTurnId, null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OpenThread>> GetOpenThreadsAsync(string companionId, CancellationToken cancellationToken)
    {
        return database.QueryAsync(
            "SELECT id, about, raised_at, follow_up_at, source_turn_id FROM inner_threads " +
            "WHERE companion_id = @c AND closed_at IS NULL ORDER BY follow_up_at, id;",
            reader => new OpenThread(reader.GetInt64(0), reader.GetString(1), PostgresDatabase.FromTicks(reader.GetInt64(2)), PostgresDatabase.FromTicks(reader.GetInt64(3)), PostgresDatabase.NullableInt64(reader, 4), null),
            cancellationToken,
            ("c", companionId));
    }

    /// <inheritdoc />
    public async Task<bool> CloseThreadAsync(string companionId, long threadId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        return await database.ExecuteAsync(
            "UPDATE inner_threads SET closed_at = @at WHERE id = @id AND companion_id = @c AND closed_at IS NULL;",
            cancellationToken,
            ("c", companionId),
            ("id", threadId),
            ("at", at.UtcTicks)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<StoredReflection> AddReflectionAsync(NewReflection reflection, CancellationToken cancellationToken)
    {
        reflection = reflection with
        {
            At = reflection.At.ToUniversalTime(),
            Summary = PostgresDatabase.WithoutNul(reflection.Summary),
            Insights = [.. reflection.Insights.Select(PostgresDatabase.WithoutNul)],
            AboutHerself = PostgresDatabase.WithoutNul(reflection.AboutHerself),
        };
        await using var command = database.Sql(
            "INSERT INTO inner_reflections (companion_id, at, trigger_kind, covers_until_turn_id, summary, insights, about_herself, source, persona_version) " +
            "SELECT @c, @at, @trigger, @until, @summary, @insights, @about, @source, @version::integer " +
            "WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) RETURNING id;",
            ("c", reflection.CompanionId),
            ("at", reflection.At.UtcTicks),
            ("trigger", (int)reflection.Trigger),
            ("until", reflection.CoversUntilTurnId),
            ("summary", reflection.Summary),
            ("insights", reflection.Insights.ToArray()),
            ("about", reflection.AboutHerself),
            ("source", (int)reflection.Source),
            ("version", reflection.PersonaVersion));
        var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?
            ?? throw StoreErrors.UnknownCompanion(reflection.CompanionId);
        return new StoredReflection(id, reflection);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredReflection>> GetInnerReflectionsAsync(string companionId, CancellationToken cancellationToken)
    {
        return database.QueryAsync(
            "SELECT id, at, trigger_kind, covers_until_turn_id, summary, insights, about_herself, source, persona_version " +
            "FROM inner_reflections WHERE companion_id = @c ORDER BY id;",
            reader => new StoredReflection(
                reader.GetInt64(0),
                new NewReflection(
                    companionId,
                    PostgresDatabase.FromTicks(reader.GetInt64(1)),
                    (ReflectionTrigger)reader.GetInt32(2),
                    reader.GetInt64(3),
                    reader.GetString(4),
                    reader.GetFieldValue<string[]>(5),
                    reader.GetString(6),
                    (AppraisalSource)reader.GetInt32(7),
                    PostgresDatabase.NullableInt32(reader, 8))),
            cancellationToken,
            ("c", companionId));
    }
}
