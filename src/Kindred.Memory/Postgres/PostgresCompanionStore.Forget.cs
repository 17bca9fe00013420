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
// archives and backups on a retention they can honour (or encrypted at rest). README "PostgreSQL store" says the same.
public sealed partial class PostgresCompanionStore
{
    /// <inheritdoc />
    /// <remarks>Vacuums the turn tables afterwards, so it costs time in proportion to their size; see the notes above.</remarks>
    public Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ForgetAsync(
            "DELETE FROM turns WHERE id = @turnId AND companion_id = @companionId;",
            command =>
            {
                command.Parameters.AddWithValue("companionId", companionId);
                command.Parameters.AddWithValue("turnId", turnId);
            },
            "VACUUM turns, turn_vectors;",
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
            "VACUUM companions, turns, turn_vectors;",
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
