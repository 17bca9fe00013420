using Kindred.Core.Inner;
using Kindred.Memory.Storage;
using Npgsql;

namespace Kindred.Memory.Postgres;

// Scheduled outreach (reminders, follow-ups, check-ins), the person's outreach settings and the on/off switch.
internal sealed partial class PostgresInnerLife
{
    private const string OutreachColumns = "id, companion_id, kind, text, due_at, created_at, status, delivered_at, source_turn_id";

    /// <inheritdoc />
    public async Task<OutreachItem> AddOutreachAsync(NewOutreach outreach, CancellationToken cancellationToken)
    {
        var text = PostgresDatabase.WithoutNul(outreach.Text);
        await using var command = database.Sql(
            "INSERT INTO inner_outreach (companion_id, kind, text, due_at, created_at, status, source_turn_id) " +
            "SELECT @c, @kind, @text, @dueAt, @createdAt, 0, @sourceTurnId::bigint " +
            "WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) RETURNING id;",
            ("c", outreach.CompanionId),
            ("kind", (int)outreach.Kind),
            ("text", text),
            ("dueAt", outreach.DueAt.UtcTicks),
            ("createdAt", outreach.CreatedAt.UtcTicks),
            ("sourceTurnId", outreach.SourceTurnId));
        var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?
            ?? throw StoreErrors.UnknownCompanion(outreach.CompanionId);
        return new OutreachItem(id, outreach.CompanionId, outreach.Kind, text, outreach.DueAt.ToUniversalTime(), outreach.CreatedAt.ToUniversalTime(), OutreachStatus.Pending, null, outreach.SourceTurnId);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutreachItem>> GetPendingOutreachAsync(string companionId, CancellationToken cancellationToken) =>
        ReadOutreachAsync(companionId, "AND status = 0", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OutreachItem>> GetOutreachAsync(string companionId, CancellationToken cancellationToken) =>
        ReadOutreachAsync(companionId, "", cancellationToken);

    /// <inheritdoc />
    public Task<bool> MarkOutreachDeliveredAsync(string companionId, long outreachId, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateOutreachStatusAsync(companionId, outreachId, OutreachStatus.Delivered, at, cancellationToken);

    /// <inheritdoc />
    public Task<bool> CancelOutreachAsync(string companionId, long outreachId, CancellationToken cancellationToken) =>
        UpdateOutreachStatusAsync(companionId, outreachId, OutreachStatus.Cancelled, null, cancellationToken);

    /// <inheritdoc />
    public async Task<int> CountUnpromptedDeliveredSinceAsync(string companionId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = database.Sql(
            "SELECT COUNT(*) FROM inner_outreach WHERE companion_id = @c AND status = 1 AND kind <> 0 AND delivered_at >= @since;",
            ("c", companionId),
            ("since", since.UtcTicks));
        return checked((int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
    }

    /// <inheritdoc />
    public async Task<OutreachPolicy?> GetOutreachPolicyAsync(string companionId, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync(
            "SELECT time_zone, quiet_from, quiet_until, daily_limit FROM inner_settings WHERE companion_id = @c AND time_zone IS NOT NULL;",
            reader => new OutreachPolicy(
                reader.GetString(0),
                TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(reader.GetInt32(1))),
                TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(reader.GetInt32(2))),
                reader.GetInt32(3)),
            cancellationToken,
            ("c", companionId)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task SetOutreachPolicyAsync(string companionId, OutreachPolicy policy, CancellationToken cancellationToken)
    {
        var changed = await database.ExecuteAsync(
            "INSERT INTO inner_settings (companion_id, time_zone, quiet_from, quiet_until, daily_limit) " +
            "SELECT @c, @zone, @from, @until, @limit WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) " +
            "ON CONFLICT (companion_id) DO UPDATE SET time_zone = excluded.time_zone, quiet_from = excluded.quiet_from, " +
            "quiet_until = excluded.quiet_until, daily_limit = excluded.daily_limit;",
            cancellationToken,
            ("c", companionId),
            ("zone", policy.TimeZoneId),
            ("from", (int)policy.QuietFrom.ToTimeSpan().TotalMinutes),
            ("until", (int)policy.QuietUntil.ToTimeSpan().TotalMinutes),
            ("limit", policy.DailyLimit)).ConfigureAwait(false);
        if (changed == 0)
        {
            throw StoreErrors.UnknownCompanion(companionId);
        }
    }

    /// <inheritdoc />
    public async Task<SwitchState> GetSwitchAsync(string companionId, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync(
            "SELECT is_off, switched_at FROM inner_settings WHERE companion_id = @c;",
            reader => new SwitchState(reader.GetBoolean(0), reader.IsDBNull(1) ? null : PostgresDatabase.FromTicks(reader.GetInt64(1))),
            cancellationToken,
            ("c", companionId)).ConfigureAwait(false);
        return rows.Count == 0 ? SwitchState.On : rows[0];
    }

    /// <inheritdoc />
    public async Task SetSwitchAsync(string companionId, SwitchState state, CancellationToken cancellationToken)
    {
        var changed = await database.ExecuteAsync(
            "INSERT INTO inner_settings (companion_id, is_off, switched_at) " +
            "SELECT @c, @isOff, @at::bigint WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) " +
            "ON CONFLICT (companion_id) DO UPDATE SET is_off = excluded.is_off, switched_at = excluded.switched_at;",
            cancellationToken,
            ("c", companionId),
            ("isOff", state.IsOff),
            ("at", state.Since?.UtcTicks)).ConfigureAwait(false);
        if (changed == 0)
        {
            throw StoreErrors.UnknownCompanion(companionId);
        }
    }

    private Task<IReadOnlyList<OutreachItem>> ReadOutreachAsync(string companionId, string filter, CancellationToken cancellationToken)
    {
        return database.QueryAsync(
            $"SELECT {OutreachColumns} FROM inner_outreach WHERE companion_id = @c {filter} ORDER BY due_at, id;",
            ReadOutreach,
            cancellationToken,
            ("c", companionId));
    }

    private static OutreachItem ReadOutreach(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        (OutreachKind)reader.GetInt32(2),
        reader.GetString(3),
        PostgresDatabase.FromTicks(reader.GetInt64(4)),
        PostgresDatabase.FromTicks(reader.GetInt64(5)),
        (OutreachStatus)reader.GetInt32(6),
        reader.IsDBNull(7) ? null : PostgresDatabase.FromTicks(reader.GetInt64(7)),
        PostgresDatabase.NullableInt64(reader, 8));

    // Only a pending message moves, so two deliverers (or a restart) cannot both say it: a second UPDATE waits for the
    // first's row lock, then re-reads the row and finds it no longer pending.
    private async Task<bool> UpdateOutreachStatusAsync(string companionId, long outreachId, OutreachStatus status, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        return await database.ExecuteAsync(
            "UPDATE inner_outreach SET status = @status, delivered_at = @at WHERE id = @id AND companion_id = @c AND status = 0;",
            cancellationToken,
            ("c", companionId),
            ("id", outreachId),
            ("status", (int)status),
            ("at", at?.UtcTicks)).ConfigureAwait(false) == 1;
    }
}
