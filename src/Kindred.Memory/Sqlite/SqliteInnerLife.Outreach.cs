using Kindred.Core.Inner;
using Kindred.Memory.Storage;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

// Scheduled outreach (reminders, follow-ups, check-ins), the person's outreach settings and the on/off switch.
internal sealed partial class SqliteInnerLife
{
    private const string OutreachColumns = "id, companion_id, kind, text, due_at, created_at, status, delivered_at, source_turn_id";

    /// <inheritdoc />
    public Task<OutreachItem> AddOutreachAsync(NewOutreach outreach, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO inner_outreach (companion_id, kind, text, due_at, created_at, status, source_turn_id) " +
                "SELECT $companionId, $kind, $text, $dueAt, $createdAt, 0, $sourceTurnId " +
                "WHERE EXISTS (SELECT 1 FROM companions WHERE id = $companionId) RETURNING id;";
            command.Parameters.AddWithValue("$companionId", outreach.CompanionId);
            command.Parameters.AddWithValue("$kind", (int)outreach.Kind);
            command.Parameters.AddWithValue("$text", outreach.Text);
            command.Parameters.AddWithValue("$dueAt", StoredTime.Format(outreach.DueAt));
            command.Parameters.AddWithValue("$createdAt", StoredTime.Format(outreach.CreatedAt));
            command.Parameters.AddWithValue("$sourceTurnId", (object?)outreach.SourceTurnId ?? DBNull.Value);
            var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?
                ?? throw StoreErrors.UnknownCompanion(outreach.CompanionId);
            return new OutreachItem(id, outreach.CompanionId, outreach.Kind, outreach.Text, outreach.DueAt.ToUniversalTime(), outreach.CreatedAt.ToUniversalTime(), OutreachStatus.Pending, null, outreach.SourceTurnId);
        }, cancellationToken);
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
    public Task<int> CountUnpromptedDeliveredSinceAsync(string companionId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        return database.ReadAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT COUNT(*) FROM inner_outreach WHERE companion_id = $companionId AND status = 1 AND kind <> 0 AND delivered_at >= $since;";
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$since", StoredTime.Format(since));
            return checked((int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<OutreachPolicy?> GetOutreachPolicyAsync(string companionId, CancellationToken cancellationToken)
    {
        return database.ReadAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT time_zone, quiet_from, quiet_until, daily_limit FROM inner_settings WHERE companion_id = $companionId AND time_zone IS NOT NULL;";
            command.Parameters.AddWithValue("$companionId", companionId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new OutreachPolicy(
                    reader.GetString(0),
                    TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(reader.GetInt32(1))),
                    TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(reader.GetInt32(2))),
                    reader.GetInt32(3));
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetOutreachPolicyAsync(string companionId, OutreachPolicy policy, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO inner_settings (companion_id, time_zone, quiet_from, quiet_until, daily_limit) " +
                "SELECT $companionId, $zone, $from, $until, $limit WHERE EXISTS (SELECT 1 FROM companions WHERE id = $companionId) " +
                "ON CONFLICT (companion_id) DO UPDATE SET time_zone = excluded.time_zone, quiet_from = excluded.quiet_from, " +
                "quiet_until = excluded.quiet_until, daily_limit = excluded.daily_limit;";
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$zone", policy.TimeZoneId);
            command.Parameters.AddWithValue("$from", (int)policy.QuietFrom.ToTimeSpan().TotalMinutes);
            command.Parameters.AddWithValue("$until", (int)policy.QuietUntil.ToTimeSpan().TotalMinutes);
            command.Parameters.AddWithValue("$limit", policy.DailyLimit);
            var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return changed == 0 ? throw StoreErrors.UnknownCompanion(companionId) : changed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<SwitchState> GetSwitchAsync(string companionId, CancellationToken cancellationToken)
    {
        return database.ReadAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT is_off, switched_at FROM inner_settings WHERE companion_id = $companionId;";
            command.Parameters.AddWithValue("$companionId", companionId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new SwitchState(reader.GetInt64(0) != 0, reader.IsDBNull(1) ? null : StoredTime.Parse(reader.GetString(1)))
                    : SwitchState.On;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetSwitchAsync(string companionId, SwitchState state, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO inner_settings (companion_id, is_off, switched_at) " +
                "SELECT $companionId, $isOff, $at WHERE EXISTS (SELECT 1 FROM companions WHERE id = $companionId) " +
                "ON CONFLICT (companion_id) DO UPDATE SET is_off = excluded.is_off, switched_at = excluded.switched_at;";
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$isOff", state.IsOff ? 1 : 0);
            command.Parameters.AddWithValue("$at", state.Since is { } at ? StoredTime.Format(at) : DBNull.Value);
            var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return changed == 0 ? throw StoreErrors.UnknownCompanion(companionId) : changed;
        }, cancellationToken);
    }

    private Task<IReadOnlyList<OutreachItem>> ReadOutreachAsync(string companionId, string filter, CancellationToken cancellationToken)
    {
        return QueryAsync(
            $"SELECT {OutreachColumns} FROM inner_outreach WHERE companion_id = $companionId {filter} ORDER BY due_at, id;",
            command => command.Parameters.AddWithValue("$companionId", companionId),
            reader => new OutreachItem(
                reader.GetInt64(0),
                reader.GetString(1),
                (OutreachKind)reader.GetInt32(2),
                reader.GetString(3),
                StoredTime.Parse(reader.GetString(4)),
                StoredTime.Parse(reader.GetString(5)),
                (OutreachStatus)reader.GetInt32(6),
                reader.IsDBNull(7) ? null : StoredTime.Parse(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetInt64(8)),
            cancellationToken);
    }

    private Task<bool> UpdateOutreachStatusAsync(string companionId, long outreachId, OutreachStatus status, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            // Only a pending message moves, so two deliverers (or a restart) cannot both say it.
            using var command = connection.CreateCommand();
            command.CommandText =
                "UPDATE inner_outreach SET status = $status, delivered_at = $at WHERE id = $id AND companion_id = $companionId AND status = 0;";
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$id", outreachId);
            command.Parameters.AddWithValue("$status", (int)status);
            command.Parameters.AddWithValue("$at", at is { } value ? StoredTime.Format(value) : DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }
}
