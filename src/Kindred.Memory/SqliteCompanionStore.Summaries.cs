using Kindred.Memory.Knowledge;

namespace Kindred.Memory;

public sealed partial class SqliteCompanionStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<SessionSummary>> GetSummariesAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync<IReadOnlyList<SessionSummary>>(async connection =>
        {
            using var command = KnowledgeCommand(
                connection,
                null,
                "SELECT session_id, text, first_turn_id, last_turn_id, at, source FROM summaries WHERE companion_id = $c ORDER BY first_turn_id, session_id;",
                ("$c", companionId));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var summaries = new List<SessionSummary>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    summaries.Add(new SessionSummary(
                        companionId,
                        reader.GetString(0),
                        reader.GetString(1),
                        reader.GetInt64(2),
                        reader.GetInt64(3),
                        StoredTime.Parse(reader.GetString(4)),
                        (KnowledgeSource)reader.GetInt32(5)));
                }

                return summaries;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Reflection>> GetReflectionsAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync<IReadOnlyList<Reflection>>(async connection =>
        {
            using var command = KnowledgeCommand(connection, null, "SELECT id, session_id, text, at FROM reflections WHERE companion_id = $c ORDER BY id;", ("$c", companionId));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var reflections = new List<Reflection>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    reflections.Add(new Reflection(
                        reader.GetInt64(0),
                        companionId,
                        reader.IsDBNull(1) ? null : reader.GetString(1),
                        reader.GetString(2),
                        StoredTime.Parse(reader.GetString(3))));
                }

                return reflections;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<UnsummarizedSession>> GetUnsummarizedSessionsAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync<IReadOnlyList<UnsummarizedSession>>(async connection =>
        {
            using var command = KnowledgeCommand(
                connection,
                null,
                "SELECT t.session_id, MIN(t.id), MAX(t.id) FROM turns t " +
                "WHERE t.companion_id = $c " +
                "AND NOT EXISTS (SELECT 1 FROM summaries s WHERE s.companion_id = t.companion_id AND s.session_id = t.session_id) " +
                "GROUP BY t.session_id " +
                "HAVING MAX(t.id) <= COALESCE((SELECT through_turn_id FROM knowledge_progress WHERE companion_id = $c), 0) " +
                "AND SUM(t.speaker = 0) > 0 " +
                "ORDER BY MIN(t.id);",
                ("$c", companionId));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var sessions = new List<UnsummarizedSession>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    sessions.Add(new UnsummarizedSession(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
                }

                return sessions;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveSummaryAsync(SessionSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrWhiteSpace(summary.Text, nameof(summary));
        return WriteAsync(connection => ExecuteKnowledgeAsync(
            connection,
            null,
            "INSERT INTO summaries (companion_id, session_id, text, first_turn_id, last_turn_id, at, source) " +
            "SELECT $c, $s, $text, $first, $last, $at, $source WHERE EXISTS (SELECT 1 FROM companions WHERE id = $c) " +
            "ON CONFLICT (companion_id, session_id) DO UPDATE SET text = excluded.text, first_turn_id = excluded.first_turn_id, " +
            "last_turn_id = excluded.last_turn_id, at = excluded.at, source = excluded.source;",
            cancellationToken,
            ("$c", summary.CompanionId),
            ("$s", summary.SessionId),
            ("$text", summary.Text),
            ("$first", summary.FirstTurnId),
            ("$last", summary.LastTurnId),
            ("$at", StoredTime.Format(summary.At)),
            ("$source", (int)summary.Source)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Reflection> AddReflectionAsync(string companionId, string? sessionId, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return WriteAsync(async connection =>
        {
            using var command = KnowledgeCommand(
                connection,
                null,
                "INSERT INTO reflections (companion_id, session_id, text, at) SELECT $c, $s, $text, $at " +
                "WHERE EXISTS (SELECT 1 FROM companions WHERE id = $c) RETURNING id;",
                ("$c", companionId),
                ("$s", sessionId),
                ("$text", text),
                ("$at", StoredTime.Format(at)));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id
                ? new Reflection(id, companionId, sessionId, text, at.ToUniversalTime())
                : throw UnknownCompanion(companionId);
        }, cancellationToken);
    }
}
