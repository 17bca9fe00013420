using Kindred.Core;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

/// <summary>
/// The default <see cref="ICompanionStore"/>: one SQLite file, embedded, with no server to run.
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
public sealed partial class SqliteCompanionStore : IFullCompanionStore, IDisposable
{
    // How long a statement waits on another process's lock before failing; generous because a failed write of a
    // person's turn is far worse than a slow one.
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _disposed;

    private SqliteCompanionStore(string connectionString, SqliteConnection writer)
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
    public static async Task<SqliteCompanionStore> OpenAsync(string databasePath, TimeProvider timeProvider, CancellationToken cancellationToken)
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

        return new SqliteCompanionStore(connectionString, writer);
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

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> on the single write connection, one caller at a time.</summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
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
    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
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
