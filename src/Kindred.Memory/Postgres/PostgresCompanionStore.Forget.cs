using Npgsql;

namespace Kindred.Memory.Postgres;

// What forgetting removes, and what PostgreSQL keeps:
// - The rows: a forget is one committed DELETE (the turn's vector, and a companion's turns and vectors, go with it by
//   cascade). From the moment it returns, no query anywhere sees them.
// - Dead tuples: PostgreSQL leaves a deleted row's bytes in its page until VACUUM. The store vacuums the tables it
//   deleted from right after the commit (a plain VACUUM: it runs beside reads and writes and takes no exclusive lock),
//   which removes the dead rows and their index entries, GIN postings included. The freed space is reused, not
//   zeroed: until new rows overwrite it, the raw bytes of a page may still hold old text.
// - The full-text index keeps its keys: a GIN index never drops a key (a stemmed word such as "lisbon"), even once no
//   row uses it. The words are gone from every row and posting, but the bare word stays in the index file until it
//   is rebuilt (REINDEX INDEX CONCURRENTLY turns_words).
// - The write-ahead log holds every insert until its segment is recycled after a checkpoint, and for as long as WAL
//   archives, replicas and backups are kept.
// For forgetting down to the bytes, an operator runs, off-peak: VACUUM FULL turns, turn_vectors, companions (rewrites
// the tables into new files; it locks them meanwhile); REINDEX TABLE CONCURRENTLY turns; CHECKPOINT; and keeps WAL
// archives and backups on a retention they can honour (or encrypted at rest). docs/storage.md "Forgetting" says the same.
// Knowledge and the inner life (schema step 2) follow the same rules: their tables are vacuumed with the turns'.
public sealed partial class PostgresCompanionStore
{
    /// <inheritdoc />
    /// <remarks>Vacuums the turn tables afterwards, so it costs time in proportion to their size; see the notes above.</remarks>
    public Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        // Someone known only from this turn goes with it (before the turn, whose delete drops the links).
        return ForgetInTransactionAsync(
            async (connection, transaction) =>
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    "DELETE FROM people WHERE companion_id = @c AND id IN (SELECT person_id FROM person_episodes WHERE turn_id = @t) " +
                    "AND NOT EXISTS (SELECT 1 FROM person_episodes e WHERE e.person_id = people.id AND e.turn_id <> @t) " +
                    "AND EXISTS (SELECT 1 FROM turns WHERE id = @t AND companion_id = @c);",
                    cancellationToken,
                    ("c", companionId),
                    ("t", turnId)).ConfigureAwait(false);
                return await ExecuteAsync(connection, transaction, "DELETE FROM turns WHERE id = @t AND companion_id = @c;", cancellationToken, ("c", companionId), ("t", turnId)).ConfigureAwait(false) > 0;
            },
            VacuumKnowledge,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Costs and limits as for <see cref="ForgetTurnAsync"/>.</remarks>
    public Task<bool> ForgetCompanionAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);

        // Deleting the companion's row first locks it, so an append racing this either lands before (and is deleted by
        // the cascade) or finds no companion.
        return ForgetAsync(
            "DELETE FROM companions WHERE id = @companionId;",
            command => command.Parameters.AddWithValue("companionId", companionId),
            "VACUUM companions, turns, turn_vectors, people, person_episodes, facts, fact_episodes, summaries, reflections, knowledge_progress, " +
            "inner_appraisals, inner_persona_versions, inner_milestones, inner_threads, inner_outreach, inner_settings, inner_reflections;",
            cancellationToken);
    }

    private async Task<bool> ForgetAsync(string deleteSql, Action<NpgsqlCommand> bind, string vacuumSql, CancellationToken cancellationToken)
    {
        await using (var delete = Command(deleteSql))
        {
            bind(delete);
            if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }
        }

        // Not cancellable: the delete has committed, and this is what clears its dead rows out of the pages. VACUUM
        // cannot run inside a transaction, so it is a statement of its own.
        await using var vacuum = Command(vacuumSql);
        vacuum.CommandTimeout = 0;
        await vacuum.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
