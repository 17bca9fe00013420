using Kindred.Memory.Storage;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

/// <summary>
/// The SQLite file behind <see cref="SqliteCompanionStore"/>: its connections, and how work runs on them.
/// </summary>
/// <remarks>
/// <para>
/// Durability: the file is in WAL mode with <c>synchronous=FULL</c>, so every write is fsynced before the call returns.
/// A process killed right after a write loses nothing.
/// </para>
/// <para>
/// Concurrency: safe to call from many threads. Writes share one connection behind a lock (SQLite allows one writer
/// at a time anyway, and queueing in-process is cheaper than retrying on SQLITE_BUSY); reads each take a pooled
/// connection of their own and run beside writes and each other, as WAL allows.
/// </para>
/// <para>
/// Times are stored normalised to UTC: a <see cref="DateTimeOffset"/> read back is the same instant, exact to the
/// tick, with offset zero.
/// </para>
/// </remarks>
internal sealed class SqliteDatabase : ISqlRunner, IAsyncDisposable, IDisposable
{
    // How long a statement waits on another process's lock before failing; generous because a failed write of a
    // person's turn is far worse than a slow one.
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _disposed;

    private SqliteDatabase(string connectionString, SqliteConnection writer)
    {
        _connectionString = connectionString;
        _writer = writer;
    }

    /// <summary>
    /// Opens the store at <paramref name="databasePath"/>, creating the folder and the file if missing, and brings
    /// its schema up to date.
    /// </summary>
    /// <param name="databasePath">Path of the SQLite file; ":memory:" is not supported.</param>
    /// <param name="timeProvider">Clock used to record when schema upgrades were applied.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="InvalidOperationException">The file was written by a newer Kindred, whose schema this one does not know.</exception>
    public static async Task<SqliteDatabase> OpenAsync(string databasePath, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (databasePath.Trim().Equals(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            // Each connection to ":memory:" is a separate, empty database, and the store opens several.
            throw new ArgumentException("The store needs a file path; for a throwaway store use a file in a temp folder.", nameof(databasePath));
        }

        var fullPath = Path.GetFullPath(databasePath);
        var folder = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        try
        {
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ConfigureAsync(writer, cancellationToken).ConfigureAwait(false);
            await SchemaMigrations.MigrateAsync(writer, timeProvider, cancellationToken).ConfigureAwait(false);

            // After migrating, so a file from a newer Kindred is refused before anything about it changes. WAL is a
            // property of the file: every later connection, ours or another process's, inherits it.
            await ExecuteAsync(writer, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            SqliteConnection.ClearPool(writer);
            throw;
        }

        return new SqliteDatabase(connectionString, writer);
    }

    // These settings belong to a connection, not the file, so every connection needs them (a pooled one keeps them,
    // and setting them again is a no-op). secure_delete zeroes deleted rows and freed pages instead of leaving them
    // as garbage in the file: without it, a forgotten turn's words could still be read from the raw bytes.
    private static Task ConfigureAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection,
            "PRAGMA synchronous = FULL;" +
            "PRAGMA foreign_keys = ON;" +
            "PRAGMA secure_delete = ON;" +
            $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};",
            cancellationToken);

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> on the single write connection, one caller at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await work(_writer).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a read connection of its own, concurrently with other callers.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ConfigureAsync(connection, cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    Task<T> ISqlRunner.ReadAsync<T>(Func<SqlSession, Task<T>> read, CancellationToken cancellationToken) =>
        ReadAsync(connection => read(new SqlSession(connection, null)), cancellationToken);

    /// <inheritdoc />
    Task<T> ISqlRunner.WriteAsync<T>(Func<SqlSession, Task<T>> write, CancellationToken cancellationToken) =>
        WriteAsync(connection => write(new SqlSession(connection, null)), cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction on the write connection, committing when it returns.</summary>
    public Task<T> InWriteTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            // IMMEDIATE: the write lock is taken before the first read, so what the work reads cannot change under it.
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> on one snapshot of the file, beside writes (WAL keeps the snapshot while it runs).</summary>
    public Task<T> InReadTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            return await work(connection, transaction).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Runs the deletes of one forget in a transaction; when <paramref name="delete"/> says something went, commits and
    /// scrubs the log, so that no trace of what went is left in the database file or its write-ahead log.
    /// </summary>
    /// <remarks>
    /// Forgetting must leave nothing a person could recover from the files. Two places can still hold deleted words:
    /// free space in the database's pages, which secure_delete (set on every connection) zeroes; and the write-ahead
    /// log, which holds earlier copies of every changed page until a checkpoint copies the new pages into the database
    /// and TRUNCATE empties it. The checkpoint costs time in proportion to the log; forgetting is rare and must be
    /// complete. If a long-running read keeps the log from being emptied for longer than the busy timeout (30 s), the
    /// old pages stay in it until the next forget or until the store is closed.
    /// </remarks>
    public Task<bool> ForgetAsync(Func<SqliteConnection, SqliteTransaction, Task<bool>> delete, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                if (!await delete(connection, transaction).ConfigureAwait(false))
                {
                    // Nothing was deleted, so there is nothing to scrub; the transaction rolls back on dispose.
                    return false;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            // Not cancellable: the delete is committed, and a cancelled checkpoint would leave the old pages in the log.
            await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);", CancellationToken.None).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Ids as a literal SQL list: they are longs formatted here, never a person's text, so this is safe.</summary>
    public static string IdList(IEnumerable<long> ids) =>
        string.Join(',', ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A command with named parameters (null becomes SQL NULL).</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Waits for an in-flight write to finish, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _writeLock.WaitAsync().ConfigureAwait(false);
        CloseUnderLock();
    }

    /// <summary>Waits for an in-flight write to finish, then closes the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _writeLock.Wait();
        CloseUnderLock();
    }

    private void CloseUnderLock()
    {
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Dispose();

            // Pooled connections would otherwise keep the file (and its -wal/-shm companions) open after the store is
            // gone, which blocks deleting or moving it.
            SqliteConnection.ClearPool(_writer);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
