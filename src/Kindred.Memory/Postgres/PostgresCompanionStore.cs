using Kindred.Memory.Storage;
using Npgsql;

namespace Kindred.Memory.Postgres;

/// <summary>
/// The <see cref="IFullCompanionStore"/> for a server at scale: every companion in one PostgreSQL database, many Kindred
/// processes at once. SQLite stays the zero-configuration default.
/// </summary>
/// <remarks>
/// <para>
/// Durability: every write is one transaction that has committed when the call returns, and every session runs with
/// <c>synchronous_commit = on</c> whatever the server's default, so a commit is flushed to the write-ahead log on disk
/// first (as the SQLite store's <c>synchronous=FULL</c> does). A server run with <c>fsync = off</c> gives that up for
/// everyone; do not run one for real people.
/// </para>
/// <para>
/// Concurrency: safe from many threads and many processes. Connections come from Npgsql's pool. Appends to one
/// companion are serialised by a lock on its row, so its turn ids increase in the order the turns were committed and
/// paging a history by id never skips a turn that committed late.
/// </para>
/// <para>
/// Vector search runs in process (see <see cref="Recall.MemoryIndex"/>); the database only keeps the vectors, as
/// bytea in <see cref="Vectors.VectorCodec"/>'s format. pgvector is not needed.
/// </para>
/// <para>
/// Text cannot hold U+0000 in PostgreSQL: a turn, name or persona containing it is refused with an
/// <see cref="ArgumentException"/> rather than altered.
/// </para>
/// </remarks>
public sealed class PostgresCompanionStore : CompanionStore
{
    private readonly PostgresDatabase _database;

    private PostgresCompanionStore(PostgresDatabase database)
        : base(new PostgresTurns(database), new PostgresKnowledge(database), database, PostgresDialect.Instance) =>
        _database = database;

    /// <summary>Connects to the database and brings its schema up to date, creating it in an empty database.</summary>
    /// <param name="connectionString">An Npgsql connection string, e.g. "Host=db;Database=kindred;Username=kindred;Password=…".</param>
    /// <param name="timeProvider">Clock used to record when schema upgrades were applied.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    /// <exception cref="InvalidOperationException">The server cannot be reached or refuses the login, or the database was written by a newer Kindred.</exception>
    public static async Task<PostgresCompanionStore> OpenAsync(string connectionString, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(timeProvider);
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {ex.Message}", nameof(connectionString), ex);
        }

        // Per session, so a server whose default is off still makes every returned write durable.
        var options = builder.ConnectionStringBuilder.Options;
        builder.ConnectionStringBuilder.Options = (string.IsNullOrWhiteSpace(options) ? "" : options + " ") + "-c synchronous_commit=on";

        var dataSource = builder.Build();
        try
        {
            await PostgresSchemaMigrations.MigrateAsync(dataSource, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);

            // Host and database only: the connection string may hold a password.
            var where = $"{builder.ConnectionStringBuilder.Host}:{builder.ConnectionStringBuilder.Port}/{builder.ConnectionStringBuilder.Database}";
            throw new InvalidOperationException($"Cannot open the PostgreSQL memory store at {where}: {ex.Message}", ex);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PostgresCompanionStore(new PostgresDatabase(dataSource));
    }

    /// <summary>Closes every pooled connection.</summary>
    public override ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>The store's connections, for tests that inspect the sessions it opens.</summary>
    internal NpgsqlDataSource DataSource => _database.DataSource;
}
