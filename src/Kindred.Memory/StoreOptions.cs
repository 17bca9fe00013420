using Kindred.Memory.Postgres;

namespace Kindred.Memory;

/// <summary>
/// Which store holds memory. SQLite needs nothing (one file in the data folder); PostgreSQL needs a connection
/// string, and is for a server with many people.
/// </summary>
public sealed class StoreOptions
{
    /// <summary>The embedded default.</summary>
    public const string SqliteProvider = "sqlite";

    /// <summary>A PostgreSQL server.</summary>
    public const string PostgresProvider = "postgres";

    /// <summary>"sqlite" (default) or "postgres", ignoring case.</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>
    /// For "postgres": an Npgsql connection string, e.g. "Host=127.0.0.1;Database=kindred;Username=kindred;Password=…".
    /// The database must exist; the tables are created on first use. Ignored for "sqlite".
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>True when <see cref="Provider"/> is "postgres".</summary>
    public bool UsesPostgres => string.Equals(Provider?.Trim(), PostgresProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks the values; messages name the option.</summary>
    /// <exception cref="ArgumentException">The provider is unknown, or "postgres" has no connection string.</exception>
    public void Validate()
    {
        if (!UsesPostgres && !string.Equals(Provider?.Trim(), SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Provider must be \"{SqliteProvider}\" or \"{PostgresProvider}\" (was '{Provider}').");
        }

        if (UsesPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException($"ConnectionString is required when Provider is \"{PostgresProvider}\".");
        }
    }

    /// <summary>Opens the configured store.</summary>
    /// <param name="sqlitePath">The SQLite file to use when the provider is SQLite.</param>
    /// <param name="timeProvider">The store's clock.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    public async Task<IFullCompanionStore> OpenAsync(string sqlitePath, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        Validate();
        return UsesPostgres
            ? await PostgresCompanionStore.OpenAsync(ConnectionString!, timeProvider, cancellationToken).ConfigureAwait(false)
            : await SqliteCompanionStore.OpenAsync(sqlitePath, timeProvider, cancellationToken).ConfigureAwait(false);
    }
}
