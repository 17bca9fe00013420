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
        "inner_appraisals, inner_milestones, inner_threads, inner_outreach;";

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
            return await ExecuteAsync(connection, transaction, "DELETE FROM people WHERE id = @p AND companion_id = @c;", cancellationToken, parameters).ConfigureAwait(false) > 0;
        }, VacuumKnowledge, cancellationToken).ConfigureAwait(false);
        return forgotten ? turnIds.Count : null;
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
