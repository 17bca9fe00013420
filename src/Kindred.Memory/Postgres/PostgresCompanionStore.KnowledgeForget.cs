using Kindred.Memory.Knowledge;
using Npgsql;

namespace Kindred.Memory.Postgres;

// Forgetting knowledge follows the same rules as forgetting turns (see PostgresCompanionStore.Forget.cs): one committed
// transaction, then a VACUUM of every table it deleted from.
public sealed partial class PostgresCompanionStore
{
    // Everything a forgotten turn, fact or person can take with it, directly or by cascade and trigger.
    private const string VacuumKnowledge =
        "VACUUM turns, turn_vectors, people, person_episodes, facts, fact_episodes, summaries, reflections, " +
        "inner_appraisals, inner_milestones, inner_threads, inner_outreach, inner_reflections, inner_persona_versions;";

    /// <inheritdoc />
    /// <remarks>Summaries and reflections that repeat the fact's value go with it; the turns it was learned from stay.</remarks>
    public async Task<bool> ForgetFactAsync(string companionId, long factId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        var fact = (await GetFactsAsync(companionId, includeSuperseded: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Id == factId);
        if (fact is null)
        {
            return false;
        }

        var value = fact.Value.Trim();
        return await ForgetInTransactionAsync(async (connection, transaction) =>
        {
            if (value.Length >= 3)
            {
                await ExecuteAsync(connection, transaction, "DELETE FROM summaries WHERE companion_id = @c AND text ILIKE @like;", cancellationToken, ("c", companionId), ("like", Contains(value))).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "DELETE FROM reflections WHERE companion_id = @c AND text ILIKE @like;", cancellationToken, ("c", companionId), ("like", Contains(value))).ConfigureAwait(false);
            }

            return await ExecuteAsync(connection, transaction, "DELETE FROM facts WHERE id = @f AND companion_id = @c;", cancellationToken, ("f", factId), ("c", companionId)).ConfigureAwait(false) > 0;
        }, VacuumKnowledge, cancellationToken).ConfigureAwait(false);
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

        var names = person.AllNames.Where(n => n.Length > 0).ToArray();
        var likes = names.Select(Contains).ToArray();

        // The turns that mention them: those extraction linked, and any that name them as a whole word (said before
        // extraction read it, or missed by it). ILIKE finds the candidates; Names.Mentions keeps whole words only.
        var turnIds = new HashSet<long>(person.TurnIds);
        var candidates = await QueryAsync(
            "SELECT id, text FROM turns WHERE companion_id = @c AND text ILIKE ANY(@likes);",
            reader => (Id: reader.GetInt64(0), Text: reader.GetString(1)),
            cancellationToken,
            ("c", companionId),
            ("likes", likes)).ConfigureAwait(false);
        turnIds.UnionWith(candidates.Where(t => names.Any(name => Names.Mentions(t.Text, name))).Select(t => t.Id));

        var forgotten = await ForgetInTransactionAsync(async (connection, transaction) =>
        {
            (string, object?)[] parameters = [("c", companionId), ("p", personId), ("names", names.Select(n => n.ToLowerInvariant()).ToArray()), ("likes", likes), ("turns", turnIds.ToArray())];
            await ExecuteAsync(connection, transaction, "DELETE FROM facts WHERE companion_id = @c AND (person_id = @p OR lower(subject) = ANY(@names) OR text ILIKE ANY(@likes));", cancellationToken, parameters).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM summaries WHERE companion_id = @c AND text ILIKE ANY(@likes);", cancellationToken, parameters).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM reflections WHERE companion_id = @c AND text ILIKE ANY(@likes);", cancellationToken, parameters).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM turns WHERE companion_id = @c AND id = ANY(@turns);", cancellationToken, parameters).ConfigureAwait(false);
            await ForgetInInnerLifeAsync(connection, transaction, companionId, names, cancellationToken).ConfigureAwait(false);
            return await ExecuteAsync(connection, transaction, "DELETE FROM people WHERE id = @p AND companion_id = @c;", cancellationToken, parameters).ConfigureAwait(false) > 0;
        }, VacuumKnowledge, cancellationToken).ConfigureAwait(false);
        return forgotten ? turnIds.Count : null;
    }

    // The inner life's free text that names them: reminders and queued outreach, open threads and reflections go;
    // persona versions, whose history must stay whole, are scrubbed (PersonTraces decides, as on SQLite).
    private static async Task ForgetInInnerLifeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string companionId, string[] names, CancellationToken cancellationToken)
    {
        (string, object?) companion = ("c", companionId);
        var outreach = await ReadAllAsync(Sql(connection, transaction, "SELECT id, text FROM inner_outreach WHERE companion_id = @c;", companion), r => (Id: r.GetInt64(0), Named: PersonTraces.Mentioned(names, r.GetString(1))), cancellationToken).ConfigureAwait(false);
        var threads = await ReadAllAsync(Sql(connection, transaction, "SELECT id, about FROM inner_threads WHERE companion_id = @c;", companion), r => (Id: r.GetInt64(0), Named: PersonTraces.Mentioned(names, r.GetString(1))), cancellationToken).ConfigureAwait(false);
        var reflections = await ReadAllAsync(
            Sql(connection, transaction, "SELECT id, summary, insights, about_herself FROM inner_reflections WHERE companion_id = @c;", companion),
            r => (Id: r.GetInt64(0), Named: PersonTraces.Mentioned(names, [r.GetString(1), .. r.GetFieldValue<string[]>(2), r.GetString(3)])),
            cancellationToken).ConfigureAwait(false);
        foreach (var (table, rows) in new[] { ("inner_outreach", outreach), ("inner_threads", threads), ("inner_reflections", reflections) })
        {
            var ids = rows.Where(r => r.Named).Select(r => r.Id).ToArray();
            if (ids.Length > 0)
            {
                await ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE companion_id = @c AND id = ANY(@ids);", cancellationToken, companion, ("ids", ids)).ConfigureAwait(false);
            }
        }

        var versions = await ReadAllAsync(
            Sql(connection, transaction, "SELECT version, persona, reason FROM inner_persona_versions WHERE companion_id = @c;", companion),
            r => (Version: r.GetInt32(0), Persona: InnerJson.DeserializePersona(r.GetString(1)), Reason: r.GetString(2)),
            cancellationToken).ConfigureAwait(false);
        foreach (var version in versions.Where(v => PersonTraces.Mentioned(names, v.Persona) || PersonTraces.Mentioned(names, v.Reason)))
        {
            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE inner_persona_versions SET persona = @persona, reason = @reason WHERE companion_id = @c AND version = @v;",
                cancellationToken,
                companion,
                ("v", version.Version),
                ("persona", WithoutNul(InnerJson.SerializePersona(PersonTraces.Scrub(version.Persona, names)))),
                ("reason", WithoutNul(PersonTraces.Scrub(version.Reason, names)))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the deletes of one forget in a transaction; when <paramref name="delete"/> says something went, commits and
    /// vacuums, else rolls back.
    /// </summary>
    private async Task<bool> ForgetInTransactionAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>> delete, string vacuumSql, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (!await delete(connection, transaction).ConfigureAwait(false))
                {
                    return false;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // Not cancellable, and outside the transaction (VACUUM cannot run in one): see ForgetAsync.
        await using var vacuum = Command(vacuumSql);
        vacuum.CommandTimeout = 0;
        await vacuum.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    // An ILIKE pattern for text containing <paramref name="value"/> (backslash is ILIKE's default escape).
    private static string Contains(string value) =>
        "%" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
