using Kindred.Memory.Storage;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

/// <summary>
/// The default <see cref="IFullCompanionStore"/>: one SQLite file, embedded, with no server to run.
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
public sealed class SqliteCompanionStore : CompanionStore, IDisposable
{
    private readonly SqliteDatabase _database;

    private SqliteCompanionStore(SqliteDatabase database)
        : base(new SqliteTurns(database), new SqliteKnowledge(database), database, SqliteDialect.Instance) =>
        _database = database;

    /// <summary>
    /// Opens the store at <paramref name="databasePath"/>, creating the folder and the file if missing, and brings
    /// its schema up to date.
    /// </summary>
    /// <param name="databasePath">Path of the SQLite file; ":memory:" is not supported.</param>
    /// <param name="timeProvider">Clock used to record when schema upgrades were applied.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="InvalidOperationException">The file was written by a newer Kindred, whose schema this one does not know.</exception>
    public static async Task<SqliteCompanionStore> OpenAsync(string databasePath, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        new(await SqliteDatabase.OpenAsync(databasePath, timeProvider, cancellationToken).ConfigureAwait(false));

    /// <summary>Runs <paramref name="work"/> on the single write connection, one caller at a time (for tests that look underneath).</summary>
    internal Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken) => _database.WriteAsync(work, cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a read connection of its own (for tests that look underneath).</summary>
    internal Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken) => _database.ReadAsync(work, cancellationToken);

    /// <summary>Waits for an in-flight write to finish, then closes the file.</summary>
    public override ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>Waits for an in-flight write to finish, then closes the file.</summary>
    public void Dispose() => _database.Dispose();
}
