using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Kindred.Server.Accounts.Postgres;

/// <summary>
/// Accounts in the same PostgreSQL database as the companions, so every silo of a cluster signs the same people in
/// without a shared data folder. Times are UTC ticks (bigint), exact like the SQLite file's text; usernames are unique
/// ignoring case through an index on lower(username). The tables sit beside the companion store's, with their own
/// schema history.
/// </summary>
internal sealed class PostgresAccountDatabase : AccountDatabase
{
    // Not the companion store's key: the two upgrades are independent. Any constant will do if every Kindred uses it.
    private const long UpgradeLockKey = 0x4B696E6441636331; // "KindAcc1"

    private static readonly string[] Steps =
    [
        // 1: accounts, credentials (kind 0: a sign-in token, 1: an API key; only the secret's SHA-256 is kept) and who
        // owns which companion, with the voice it speaks with: the SQLite file's two steps in one.
        """
        CREATE TABLE accounts (
            id            text PRIMARY KEY,
            username      text NOT NULL,
            password_hash text NOT NULL,
            created_at    bigint NOT NULL
        );

        CREATE UNIQUE INDEX accounts_by_username ON accounts (lower(username));

        CREATE TABLE credentials (
            id          text PRIMARY KEY,
            account_id  text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            kind        integer NOT NULL,
            name        text NOT NULL,
            secret_hash bytea NOT NULL UNIQUE,
            created_at  bigint NOT NULL,
            expires_at  bigint NULL,
            revoked_at  bigint NULL
        );

        CREATE INDEX credentials_by_account ON credentials (account_id, kind);

        CREATE TABLE companion_owners (
            companion_id text PRIMARY KEY,
            account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            created_at   bigint NOT NULL,
            voice        text NULL
        );

        CREATE INDEX companion_owners_by_account ON companion_owners (account_id, created_at);
        """,
    ];

    private readonly NpgsqlDataSource _dataSource;

    private PostgresAccountDatabase(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    protected override IReadOnlyList<string> SchemaSteps => Steps;

    // The lock is held until the upgrade commits, so two silos starting at once upgrade one after the other.
    protected override string BeforeUpgradeSql => $"""
        SELECT pg_advisory_xact_lock({UpgradeLockKey.ToString(CultureInfo.InvariantCulture)});
        CREATE TABLE IF NOT EXISTS account_schema_history (
            version    integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    protected override string ReadSchemaVersionSql => "SELECT COALESCE(MAX(version), 0) FROM account_schema_history;";

    protected override string FindAccountSql => "SELECT id, password_hash FROM accounts WHERE lower(username) = lower(@username);";

    /// <summary>Connects and brings the account tables up to date, creating them in a database that has none.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    /// <exception cref="InvalidOperationException">The server cannot be reached or refuses the login, or a newer Kindred wrote the tables.</exception>
    public static async Task<PostgresAccountDatabase> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var settings = DurableSettings(connectionString);
        var where = $"{settings.Host}:{settings.Port}/{settings.Database}"; // never the password
        var database = new PostgresAccountDatabase(NpgsqlDataSource.Create(settings));
        try
        {
            await database.UpgradeSchemaAsync(where, cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch (Exception ex)
        {
            database.Dispose();
            if (ex is NpgsqlException)
            {
                throw new InvalidOperationException($"Cannot open the accounts in PostgreSQL at {where}: {ex.Message}", ex);
            }

            throw;
        }
    }

    /// <summary>The connection string's settings, with every commit flushed to disk whatever the server's default.</summary>
    private static NpgsqlConnectionStringBuilder DurableSettings(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            settings.Options = $"{settings.Options} -c synchronous_commit=on".Trim();
            return settings;
        }
        catch (FormatException ex)
        {
            // The builder's own ArgumentException already names the bad keyword; a bad value comes as this.
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {ex.Message}", nameof(connectionString), ex);
        }
    }

    protected override string RecordSchemaVersionSql(int version) =>
        $"INSERT INTO account_schema_history (version) VALUES ({version.ToString(CultureInfo.InvariantCulture)});";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override object StoredTime(DateTimeOffset time) => time.UtcTicks;

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    public override void Dispose() => _dataSource.Dispose();
}
