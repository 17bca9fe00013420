using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

// Forgetting must leave nothing a person could recover from the files. Three places can still hold deleted words:
// 1. free space in the database's pages: secure_delete (set on every connection) zeroes deleted rows and pages;
// 2. the full-text index: FTS5 records a delete as a tombstone in a new segment and keeps the old segment, with the
//    words, until a merge; 'optimize' merges every segment into one, dropping the forgotten entries, and the old
//    segments' rows are then deleted (and zeroed);
// 3. the write-ahead log: it holds earlier copies of every changed page, words included, until a checkpoint copies
//    the new pages into the database and TRUNCATE empties it.
public sealed partial class SqliteCompanionStore
{
    /// <summary>
    /// Deletes one turn, its text and its full-text index entries, so that no trace of it is left in the database
    /// file or its write-ahead log.
    /// </summary>
    /// <returns>
    /// False, changing nothing, when the companion has no turn with <paramref name="turnId"/> (including a turn that
    /// belongs to another companion).
    /// </returns>
    /// <remarks>
    /// Rewrites the whole full-text index and checkpoints the log, so it costs time in proportion to the store's size;
    /// forgetting is rare and must be complete. If a long-running read keeps the log from being emptied for longer
    /// than the busy timeout (30 s), the old pages stay in it until the next forget or until the store is closed.
    /// </remarks>
    public Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        // Someone known only from this turn goes with it. The turn's own delete comes last: its count is the result.
        return ForgetAsync(
            "DELETE FROM people WHERE companion_id = $companionId " +
            "AND id IN (SELECT person_id FROM person_episodes WHERE turn_id = $turnId) " +
            "AND NOT EXISTS (SELECT 1 FROM person_episodes e WHERE e.person_id = people.id AND e.turn_id <> $turnId);" +
            "DELETE FROM turns WHERE id = $turnId AND companion_id = $companionId;",
            command =>
            {
                command.Parameters.AddWithValue("$companionId", companionId);
                command.Parameters.AddWithValue("$turnId", turnId);
            },
            cancellationToken);
    }

    /// <summary>
    /// Deletes the companion, every turn it has and their full-text index entries, leaving no trace of them in the
    /// database file or its write-ahead log. The same companion id can be woken again afterwards, as a stranger.
    /// </summary>
    /// <returns>False, changing nothing, when there is no such companion.</returns>
    /// <remarks>Costs and limits as for <see cref="ForgetTurnAsync"/>.</remarks>
    public Task<bool> ForgetCompanionAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);

        // The turns would go by cascade anyway; deleting them first keeps this correct even on a connection where
        // foreign keys were off. The count that decides the result is the companion's own row (the last statement).
        return ForgetAsync(
            "DELETE FROM turns WHERE companion_id = $companionId;" +
            "DELETE FROM companions WHERE id = $companionId;",
            command => command.Parameters.AddWithValue("$companionId", companionId),
            cancellationToken);
    }

    private Task<bool> ForgetAsync(string deleteSql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        ForgetAsync(deleteSql, null, bind, cancellationToken);

    /// <param name="first">Work in the same transaction before the delete (it is rolled back with it when nothing is deleted).</param>
    private Task<bool> ForgetAsync(string deleteSql, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task>? first, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                if (first is not null)
                {
                    await first(connection, transaction, cancellationToken).ConfigureAwait(false);
                }

                using var delete = connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = deleteSql + "SELECT changes();";
                bind(delete);
                var deleted = (long)(await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                if (deleted == 0)
                {
                    // Nothing was deleted, so there is nothing to scrub; the transaction rolls back on dispose.
                    return false;
                }

                using var optimize = connection.CreateCommand();
                optimize.Transaction = transaction;
                optimize.CommandText = "INSERT INTO turns_fts (turns_fts) VALUES ('optimize');";
                await optimize.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            // Not cancellable: the delete is committed, and a cancelled checkpoint would leave the old pages in the log.
            await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);", CancellationToken.None).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
