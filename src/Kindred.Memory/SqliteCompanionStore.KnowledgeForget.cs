using System.Text;
using Kindred.Memory.Knowledge;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

// Forgetting knowledge follows the same rules as forgetting turns (see SqliteCompanionStore.Forget): secure_delete
// zeroes the rows (and the old bytes of a scrubbed one), the full-text index is merged when turns go, and the log is
// checkpointed and truncated.
public sealed partial class SqliteCompanionStore
{
    /// <inheritdoc />
    public async Task<bool> ForgetFactAsync(string companionId, long factId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        var fact = (await GetFactsAsync(companionId, includeSuperseded: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Id == factId);
        if (fact is null)
        {
            return false;
        }

        // A summary or reflection that repeats what the fact says would keep it: they go with it. The turns it was
        // learned from stay (forgetting those is forgetting a turn). The fact's own delete comes last: its count is
        // the result.
        var sql = new StringBuilder();
        var value = fact.Value.Trim();
        if (value.Length >= 3)
        {
            sql.Append("DELETE FROM summaries WHERE companion_id = $companionId AND text LIKE $like ESCAPE '\\';")
                .Append("DELETE FROM reflections WHERE companion_id = $companionId AND text LIKE $like ESCAPE '\\';");
        }

        sql.Append("DELETE FROM facts WHERE id = $factId AND companion_id = $companionId;");

        return await ForgetAsync(
            sql.ToString(),
            command =>
            {
                command.Parameters.AddWithValue("$companionId", companionId);
                command.Parameters.AddWithValue("$factId", factId);
                command.Parameters.AddWithValue("$like", "%" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int?> ForgetPersonAsync(string companionId, long personId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        var person = (await GetPeopleAsync(companionId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Id == personId);
        if (person is null)
        {
            return null;
        }

        // The turns that mention them: those extraction linked, and any the index finds by one of their names (said
        // before extraction read it, or missed by it).
        var turnIds = new HashSet<long>(person.TurnIds);
        foreach (var name in person.AllNames)
        {
            foreach (var match in await SearchTurnsAsync(companionId, name, int.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                var turn = (await GetTurnsAsync(companionId, [match.TurnId], cancellationToken).ConfigureAwait(false)).SingleOrDefault();
                if (turn is not null && Names.Mentions(turn.Text, name))
                {
                    turnIds.Add(turn.Id);
                }
            }
        }

        var sql = new StringBuilder();
        var names = person.AllNames.ToList();
        var mentionsAName = string.Join(" OR ", names.Select((_, i) => $"text LIKE $like{i} ESCAPE '\\'"));
        sql.Append("DELETE FROM facts WHERE companion_id = $companionId AND (person_id = $personId OR ")
            .Append(string.Join(" OR ", names.Select((_, i) => $"subject = $name{i} COLLATE NOCASE"))).Append(" OR ").Append(mentionsAName).Append(");");
        sql.Append("DELETE FROM summaries WHERE companion_id = $companionId AND (").Append(mentionsAName).Append(");");
        sql.Append("DELETE FROM reflections WHERE companion_id = $companionId AND (").Append(mentionsAName).Append(");");
        if (turnIds.Count > 0)
        {
            // Ids are longs formatted here, never a person's text.
            sql.Append("DELETE FROM turns WHERE companion_id = $companionId AND id IN (")
                .AppendJoin(',', turnIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Append(");");
        }

        sql.Append("DELETE FROM people WHERE id = $personId AND companion_id = $companionId;");
        var forgotten = await ForgetAsync(
            sql.ToString(),
            (connection, transaction, token) => ForgetInInnerLifeAsync(connection, transaction, companionId, names, token),
            command =>
            {
                command.Parameters.AddWithValue("$companionId", companionId);
                command.Parameters.AddWithValue("$personId", personId);
                for (var i = 0; i < names.Count; i++)
                {
                    command.Parameters.AddWithValue($"$name{i}", names[i]);
                    command.Parameters.AddWithValue($"$like{i}", "%" + names[i].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
                }
            },
            cancellationToken).ConfigureAwait(false);
        return forgotten ? turnIds.Count : null;
    }

    // The inner life's free text that names them: reminders and queued outreach, open threads and reflections go;
    // persona versions, whose history must stay whole, are scrubbed. Decided in C# (PersonTraces) on the values as
    // they read, since JSON columns escape some letters. Ids are longs formatted here, never a person's text.
    private static async Task ForgetInInnerLifeAsync(SqliteConnection connection, SqliteTransaction transaction, string companionId, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var outreach = await ReadInnerAsync(connection, transaction, "SELECT id, text FROM inner_outreach WHERE companion_id = $c;", companionId, r => (Id: r.GetInt64(0), Named: PersonTraces.Mentioned(names, r.GetString(1))), cancellationToken).ConfigureAwait(false);
        var threads = await ReadInnerAsync(connection, transaction, "SELECT id, about FROM inner_threads WHERE companion_id = $c;", companionId, r => (Id: r.GetInt64(0), Named: PersonTraces.Mentioned(names, r.GetString(1))), cancellationToken).ConfigureAwait(false);
        var reflections = await ReadInnerAsync(
            connection,
            transaction,
            "SELECT id, summary, insights, about_herself FROM inner_reflections WHERE companion_id = $c;",
            companionId,
            r => (Id: r.GetInt64(0), Named: PersonTraces.Mentioned(names, [r.GetString(1), .. InnerJson.DeserializeWords(r.GetString(2)), r.GetString(3)])),
            cancellationToken).ConfigureAwait(false);
        foreach (var (table, rows) in new[] { ("inner_outreach", outreach), ("inner_threads", threads), ("inner_reflections", reflections) })
        {
            var ids = rows.Where(r => r.Named).Select(r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (ids.Count > 0)
            {
                await ExecuteKnowledgeAsync(connection, transaction, $"DELETE FROM {table} WHERE companion_id = $c AND id IN ({string.Join(',', ids)});", cancellationToken, ("$c", companionId)).ConfigureAwait(false);
            }
        }

        var versions = await ReadInnerAsync(
            connection,
            transaction,
            "SELECT version, persona, reason FROM inner_persona_versions WHERE companion_id = $c;",
            companionId,
            r => (Version: r.GetInt32(0), Persona: InnerJson.DeserializePersona(r.GetString(1)), Reason: r.GetString(2)),
            cancellationToken).ConfigureAwait(false);
        foreach (var version in versions.Where(v => PersonTraces.Mentioned(names, v.Persona) || PersonTraces.Mentioned(names, v.Reason)))
        {
            await ExecuteKnowledgeAsync(
                connection,
                transaction,
                "UPDATE inner_persona_versions SET persona = $persona, reason = $reason WHERE companion_id = $c AND version = $v;",
                cancellationToken,
                ("$c", companionId),
                ("$v", version.Version),
                ("$persona", InnerJson.SerializePersona(PersonTraces.Scrub(version.Persona, names))),
                ("$reason", PersonTraces.Scrub(version.Reason, names))).ConfigureAwait(false);
        }
    }

    private static async Task<List<T>> ReadInnerAsync<T>(SqliteConnection connection, SqliteTransaction transaction, string sql, string companionId, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        using var command = KnowledgeCommand(connection, transaction, sql, ("$c", companionId));
        var rows = new List<T>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }
        }

        return rows;
    }
}
