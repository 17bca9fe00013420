using Kindred.Core.Inner;

namespace Kindred.Memory.Storage;

// Scheduled outreach (reminders, follow-ups, check-ins), the person's outreach settings and the on/off switch.
internal sealed partial class InnerLifeStore
{
    private const string OutreachColumns = "id, companion_id, kind, text, due_at, created_at, status, delivered_at, source_turn_id";

    /// <inheritdoc />
    public async Task<OutreachItem> AddOutreachAsync(NewOutreach outreach, CancellationToken cancellationToken)
    {
        var text = dialect.Clean(outreach.Text);
        var id = await ScalarAsync(
            "INSERT INTO inner_outreach (companion_id, kind, text, due_at, created_at, status, source_turn_id) " +
            "SELECT @c, @kind, @text, @dueAt, @createdAt, 0, CAST(@sourceTurnId AS BIGINT) " +
            "WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) RETURNING id;",
            cancellationToken,
            ("c", outreach.CompanionId),
            ("kind", (int)outreach.Kind),
            ("text", text),
            ("dueAt", dialect.Time(outreach.DueAt)),
            ("createdAt", dialect.Time(outreach.CreatedAt)),
            ("sourceTurnId", outreach.SourceTurnId)).ConfigureAwait(false) as long?
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
        var counts = await QueryAsync(
            "SELECT COUNT(*) FROM inner_outreach WHERE companion_id = @c AND status = 1 AND kind <> 0 AND delivered_at >= @since;",
            reader => reader.GetInt64(0),
            cancellationToken,
            ("c", companionId),
            ("since", dialect.Time(since))).ConfigureAwait(false);
        return checked((int)counts[0]);
    }

    /// <inheritdoc />
    public async Task<OutreachPolicy?> GetOutreachPolicyAsync(string companionId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
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
        var changed = await ExecuteAsync(
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
        // is_off is a boolean in PostgreSQL and 0 or 1 in SQLite: CASE reads both the same way.
        var rows = await QueryAsync(
            "SELECT CASE WHEN is_off THEN 1 ELSE 0 END, switched_at FROM inner_settings WHERE companion_id = @c;",
            reader => new SwitchState(reader.GetInt32(0) != 0, dialect.ReadNullableTime(reader, 1)),
            cancellationToken,
            ("c", companionId)).ConfigureAwait(false);
        return rows.Count == 0 ? SwitchState.On : rows[0];
    }

    /// <inheritdoc />
    public async Task SetSwitchAsync(string companionId, SwitchState state, CancellationToken cancellationToken)
    {
        var changed = await ExecuteAsync(
            "INSERT INTO inner_settings (companion_id, is_off, switched_at) " +
            $"SELECT @c, (@isOff = 1), CAST(@at AS {dialect.TimeType}) WHERE EXISTS (SELECT 1 FROM companions WHERE id = @c) " +
            "ON CONFLICT (companion_id) DO UPDATE SET is_off = excluded.is_off, switched_at = excluded.switched_at;",
            cancellationToken,
            ("c", companionId),
            ("isOff", state.IsOff ? 1 : 0),
            ("at", dialect.NullableTime(state.Since))).ConfigureAwait(false);
        if (changed == 0)
        {
            throw StoreErrors.UnknownCompanion(companionId);
        }
    }

    private Task<IReadOnlyList<OutreachItem>> ReadOutreachAsync(string companionId, string filter, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {OutreachColumns} FROM inner_outreach WHERE companion_id = @c {filter} ORDER BY due_at, id;",
            reader => new OutreachItem(
                reader.GetInt64(0),
                reader.GetString(1),
                (OutreachKind)reader.GetInt32(2),
                reader.GetString(3),
                dialect.ReadTime(reader, 4),
                dialect.ReadTime(reader, 5),
                (OutreachStatus)reader.GetInt32(6),
                dialect.ReadNullableTime(reader, 7),
                StoreDialect.ReadNullableInt64(reader, 8)),
            cancellationToken,
            ("c", companionId));

    // Only a pending message moves, so two deliverers (or a restart) cannot both say it: a second UPDATE waits for the
    // first's row lock (or the single writer), then finds it no longer pending.
    private async Task<bool> UpdateOutreachStatusAsync(string companionId, long outreachId, OutreachStatus status, DateTimeOffset? at, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            $"UPDATE inner_outreach SET status = @status, delivered_at = CAST(@at AS {dialect.TimeType}) WHERE id = @id AND companion_id = @c AND status = 0;",
            cancellationToken,
            ("c", companionId),
            ("id", outreachId),
            ("status", (int)status),
            ("at", dialect.NullableTime(at))).ConfigureAwait(false) == 1;
}
