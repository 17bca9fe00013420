using Kindred.Memory.Storage;
using Npgsql;

namespace Kindred.Memory.Postgres;

/// <summary>The PostgreSQL database behind <see cref="PostgresCompanionStore"/>: its pooled connections, and how work runs on them.</summary>
internal sealed class PostgresDatabase(NpgsqlDataSource dataSource) : ISqlRunner, IAsyncDisposable
{
    // Everything a forget can take with it, directly or by cascade and trigger: vacuumed after every forget.
    private const string VacuumForgotten =
        "VACUUM companions, turns, turn_vectors, people, person_episodes, facts, fact_episodes, summaries, reflections, knowledge_progress, " +
        "inner_appraisals, inner_persona_versions, inner_milestones, inner_threads, inner_outreach, inner_settings, inner_reflections;";

    /// <summary>The store's connections, for tests that inspect the sessions it opens.</summary>
    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Closes every pooled connection.</summary>
    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    /// <inheritdoc />
    public Task<T> ReadAsync<T>(Func<SqlSession, Task<T>> read, CancellationToken cancellationToken) => OnConnectionAsync(read, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A single statement commits by itself; writers of one row wait on its lock.</remarks>
    public Task<T> WriteAsync<T>(Func<SqlSession, Task<T>> write, CancellationToken cancellationToken) => OnConnectionAsync(write, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction on a connection of its own, committing when it returns.</summary>
    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on one snapshot: a read-only, repeatable-read transaction.</summary>
    public async Task<T> InSnapshotAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                return await work(connection, transaction).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs the deletes of one forget in a transaction; when <paramref name="delete"/> says something went, commits and
    /// vacuums, else rolls back.
    /// </summary>
    /// <remarks>
    /// What forgetting removes, and what PostgreSQL keeps:
    /// - The rows: a forget is one committed transaction. From the moment it returns, no query anywhere sees them.
    /// - Dead tuples: PostgreSQL leaves a deleted row's bytes in its page until VACUUM. The store vacuums the tables a
    ///   forget can delete from right after the commit (a plain VACUUM: it runs beside reads and writes and takes no
    ///   exclusive lock), which removes the dead rows and their index entries. The freed space is reused, not zeroed:
    ///   until new rows overwrite it, the raw bytes of a page may still hold old text.
    /// - The write-ahead log holds every insert until its segment is recycled after a checkpoint, and for as long as
    ///   WAL archives, replicas and backups are kept.
    /// For forgetting down to the bytes, an operator runs, off-peak: VACUUM FULL on the store's tables (rewrites them
    /// into new files; it locks them meanwhile); CHECKPOINT; and keeps WAL archives and backups on a retention they can
    /// honour (or encrypted at rest). docs/storage.md "Forgetting" says the same.
    /// </remarks>
    public async Task<bool> ForgetAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>> delete, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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

        // Not cancellable: the delete has committed, and this is what clears its dead rows out of the pages. VACUUM
        // cannot run inside a transaction, so it is a statement of its own.
        await using var vacuum = dataSource.CreateCommand(VacuumForgotten);
        vacuum.CommandTimeout = 0;
        await vacuum.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>A command with named parameters (null becomes SQL NULL), on a pooled connection of its own.</summary>
    public NpgsqlCommand Sql(string sql, params (string Name, object? Value)[] parameters) =>
        Bind(dataSource.CreateCommand(sql), parameters);

    /// <summary>A command with named parameters (null becomes SQL NULL).</summary>
    public static NpgsqlCommand Sql(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Bind(new NpgsqlCommand(sql, connection, transaction), parameters);

    /// <returns>How many rows changed.</returns>
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Sql(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>Refuses what a person wrote when it holds U+0000, which PostgreSQL text cannot: altered, it would not be theirs.</summary>
    public static void RejectNul(string value, string paramName)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("PostgreSQL cannot store the character U+0000 in text; remove it and try again.", paramName);
        }
    }

    /// <summary>Derived text (a model's extraction) without U+0000, which PostgreSQL text cannot hold and which carries no meaning.</summary>
    public static string WithoutNul(string value) => value.Replace("\0", "", StringComparison.Ordinal);

    private async Task<T> OnConnectionAsync<T>(Func<SqlSession, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(new SqlSession(connection, null)).ConfigureAwait(false);
        }
    }

    private static NpgsqlCommand Bind(NpgsqlCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
