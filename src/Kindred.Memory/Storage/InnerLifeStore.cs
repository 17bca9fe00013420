using Kindred.Core.Inner;

namespace Kindred.Memory.Storage;

/// <summary>
/// The companion's inner life on either database: appraisals, persona versions, milestones, open threads and its
/// reflections (outreach and the switch are in InnerLifeStore.Outreach.cs). Each call is one statement; what differs
/// between the databases is left to the <see cref="StoreDialect"/>. <see cref="CompanionStore"/> checks the arguments
/// first.
/// </summary>
internal sealed partial class InnerLifeStore(ISqlRunner runner, StoreDialect dialect) : IInnerLifeStore, IReflectionStore
{
    /// <inheritdoc />
    public async Task SaveAppraisalAsync(string companionId, long turnId, DateTimeOffset at, Appraisal appraisal, CancellationToken cancellationToken)
    {
        var changed = await ExecuteAsync(
            "INSERT INTO inner_appraisals (turn_id, companion_id, at, valence, arousal, emotions, need, source) " +
            "SELECT @turnId, @c, @at, @valence, @arousal, @emotions, @need, @source " +
            "WHERE EXISTS (SELECT 1 FROM turns WHERE id = @turnId AND companion_id = @c) " +
            "ON CONFLICT (turn_id) DO UPDATE SET valence = excluded.valence, arousal = excluded.arousal, " +
            "emotions = excluded.emotions, need = excluded.need, source = excluded.source;",
            cancellationToken,
            ("turnId", turnId),
            ("c", companionId),
            ("at", dialect.Time(at)),
            ("valence", appraisal.Valence),
            ("arousal", appraisal.Arousal),
            ("emotions", dialect.Words(appraisal.Emotions.Select(dialect.Clean))),
            ("need", (int)appraisal.Need),
            ("source", (int)appraisal.Source)).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new KeyNotFoundException($"Companion '{companionId}' has no turn {turnId} to appraise.");
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredAppraisal>> GetAppraisalsAsync(string companionId, DateTimeOffset since, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT turn_id, at, valence, arousal, emotions, need, source FROM inner_appraisals " +
            "WHERE companion_id = @c AND at >= @since ORDER BY at, turn_id;",
            reader => new StoredAppraisal(
                reader.GetInt64(0),
                dialect.ReadTime(reader, 1),
                new Appraisal(reader.GetDouble(2), reader.GetDouble(3), dialect.ReadWords(reader, 4), (PersonNeed)reader.GetInt32(5), (AppraisalSource)reader.GetInt32(6))),
            cancellationToken,
            ("c", companionId),
            ("since", dialect.Time(since)));

    /// <inheritdoc />
    public Task<IReadOnlyList<PersonaVersion>> GetPersonaHistoryAsync(string companionId, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT version, at, persona, kind, reason, reverts_version FROM inner_persona_versions WHERE companion_id = @c ORDER BY version;",
            reader => new PersonaVersion(
                reader.GetInt32(0),
                dialect.ReadTime(reader, 1),
                InnerJson.DeserializePersona(reader.GetString(2)),
                (PersonaChangeKind)reader.GetInt32(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5)),
            cancellationToken,
            ("c", companionId));

    /// <inheritdoc />
    public async Task<bool> AppendPersonaVersionAsync(string companionId, PersonaVersion version, CancellationToken cancellationToken) =>
        // The version must follow the latest stored one exactly; a stale writer inserts nothing. Two writers racing for
        // the same next version both pass the check, and the primary key lets only the first in.
        await ExecuteAsync(
            "INSERT INTO inner_persona_versions (companion_id, version, at, persona, kind, reason, reverts_version) " +
            "SELECT @c, @version, @at, @persona, @kind, @reason, CAST(@reverts AS INTEGER) " +
            "WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) " +
            "AND @version = 1 + (SELECT COALESCE(MAX(version), 0) FROM inner_persona_versions WHERE companion_id = @c) " +
            "ON CONFLICT (companion_id, version) DO NOTHING;",
            cancellationToken,
            ("c", companionId),
            ("version", version.Version),
            ("at", dialect.Time(version.At)),
            ("persona", InnerJson.SerializePersona(version.Persona)),
            ("kind", (int)version.Kind),
            ("reason", dialect.Clean(version.Reason)),
            ("reverts", version.RevertsVersion)).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async Task<bool> AddMilestoneAsync(string companionId, Milestone milestone, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "INSERT INTO inner_milestones (companion_id, kind, at, turn_id) VALUES (@c, @kind, @at, @turnId) ON CONFLICT (companion_id, kind) DO NOTHING;",
            cancellationToken,
            ("c", companionId),
            ("kind", (int)milestone.Kind),
            ("at", dialect.Time(milestone.At)),
            ("turnId", milestone.TurnId)).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public Task<IReadOnlyList<Milestone>> GetMilestonesAsync(string companionId, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT kind, at, turn_id FROM inner_milestones WHERE companion_id = @c ORDER BY at, kind;",
            reader => new Milestone((MilestoneKind)reader.GetInt32(0), dialect.ReadTime(reader, 1), StoreDialect.ReadNullableInt64(reader, 2)),
            cancellationToken,
            ("c", companionId));

    /// <inheritdoc />
    public async Task<OpenThread> AddThreadAsync(string companionId, string about, DateTimeOffset raisedAt, DateTimeOffset followUpAt, long? sourceTurnId, CancellationToken cancellationToken)
    {
        about = dialect.Clean(about);
        var id = (long)(await ScalarAsync(
            "INSERT INTO inner_threads (companion_id, about, raised_at, follow_up_at, source_turn_id) " +
            "VALUES (@c, @about, @raisedAt, @followUpAt, @sourceTurnId) RETURNING id;",
            cancellationToken,
            ("c", companionId),
            ("about", about),
            ("raisedAt", dialect.Time(raisedAt)),
            ("followUpAt", dialect.Time(followUpAt)),
            ("sourceTurnId", sourceTurnId)).ConfigureAwait(false))!;
        return new OpenThread(id, about, raisedAt.ToUniversalTime(), followUpAt.ToUniversalTime(), sourceTurnId, null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OpenThread>> GetOpenThreadsAsync(string companionId, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT id, about, raised_at, follow_up_at, source_turn_id FROM inner_threads " +
            "WHERE companion_id = @c AND closed_at IS NULL ORDER BY follow_up_at, id;",
            reader => new OpenThread(reader.GetInt64(0), reader.GetString(1), dialect.ReadTime(reader, 2), dialect.ReadTime(reader, 3), StoreDialect.ReadNullableInt64(reader, 4), null),
            cancellationToken,
            ("c", companionId));

    /// <inheritdoc />
    public async Task<bool> CloseThreadAsync(string companionId, long threadId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE inner_threads SET closed_at = @at WHERE id = @id AND companion_id = @c AND closed_at IS NULL;",
            cancellationToken,
            ("c", companionId),
            ("id", threadId),
            ("at", dialect.Time(at))).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async Task<StoredReflection> AddReflectionAsync(NewReflection reflection, CancellationToken cancellationToken)
    {
        reflection = reflection with
        {
            At = reflection.At.ToUniversalTime(),
            Summary = dialect.Clean(reflection.Summary),
            Insights = [.. reflection.Insights.Select(dialect.Clean)],
            AboutHerself = dialect.Clean(reflection.AboutHerself),
        };
        var id = await ScalarAsync(
            "INSERT INTO inner_reflections (companion_id, at, trigger_kind, covers_until_turn_id, summary, insights, about_herself, source, persona_version) " +
            "SELECT @c, @at, @trigger, @until, @summary, @insights, @about, @source, CAST(@version AS INTEGER) " +
            "WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) RETURNING id;",
            cancellationToken,
            ("c", reflection.CompanionId),
            ("at", dialect.Time(reflection.At)),
            ("trigger", (int)reflection.Trigger),
            ("until", reflection.CoversUntilTurnId),
            ("summary", reflection.Summary),
            ("insights", dialect.Words(reflection.Insights)),
            ("about", reflection.AboutHerself),
            ("source", (int)reflection.Source),
            ("version", reflection.PersonaVersion)).ConfigureAwait(false) as long?
            ?? throw StoreErrors.UnknownCompanion(reflection.CompanionId);
        return new StoredReflection(id, reflection);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredReflection>> GetInnerReflectionsAsync(string companionId, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT id, at, trigger_kind, covers_until_turn_id, summary, insights, about_herself, source, persona_version " +
            "FROM inner_reflections WHERE companion_id = @c ORDER BY id;",
            reader => new StoredReflection(
                reader.GetInt64(0),
                new NewReflection(
                    companionId,
                    dialect.ReadTime(reader, 1),
                    (ReflectionTrigger)reader.GetInt32(2),
                    reader.GetInt64(3),
                    reader.GetString(4),
                    dialect.ReadWords(reader, 5),
                    reader.GetString(6),
                    (AppraisalSource)reader.GetInt32(7),
                    reader.IsDBNull(8) ? null : reader.GetInt32(8))),
            cancellationToken,
            ("c", companionId));

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        runner.WriteAsync(session => session.ExecuteAsync(sql, cancellationToken, parameters), cancellationToken);

    private Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        runner.WriteAsync(session => session.ScalarAsync(sql, cancellationToken, parameters), cancellationToken);

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<System.Data.Common.DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        runner.ReadAsync(session => session.QueryAsync(sql, read, cancellationToken, parameters), cancellationToken);
}
