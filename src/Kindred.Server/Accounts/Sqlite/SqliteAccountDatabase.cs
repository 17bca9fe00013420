using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kindred.Server.Accounts.Sqlite;

/// <summary>
/// Accounts in their own SQLite file (accounts.db) beside the companion store: the zero-configuration default, and the
/// same file and schema as before accounts could live in PostgreSQL, so an existing data folder keeps its accounts.
/// Times are round-trip ("o") UTC text, which sorts as it reads; the schema version is <c>PRAGMA user_version</c>.
/// </summary>
internal sealed class SqliteAccountDatabase : AccountDatabase
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE accounts (
            id            TEXT PRIMARY KEY NOT NULL,
            username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            created_at    TEXT NOT NULL
        ) STRICT;

        -- kind 0: a sign-in token; kind 1: an API key. Only the secret's SHA-256 is kept.
        CREATE TABLE credentials (
            id          TEXT PRIMARY KEY NOT NULL,
            account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            kind        INTEGER NOT NULL,
            name        TEXT NOT NULL,
            secret_hash BLOB NOT NULL UNIQUE,
            created_at  TEXT NOT NULL,
            expires_at  TEXT NULL,
            revoked_at  TEXT NULL
        ) STRICT;

        CREATE INDEX credentials_by_account ON credentials (account_id, kind);

        CREATE TABLE companion_owners (
            companion_id TEXT PRIMARY KEY NOT NULL,
            account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            created_at   TEXT NOT NULL
        ) STRICT;

        CREATE INDEX companion_owners_by_account ON companion_owners (account_id, created_at);
        """,
        // The voice a companion speaks with (null: the server's default); it goes when the companion goes.
        """
        ALTER TABLE companion_owners ADD COLUMN voice TEXT NULL;
        """,
    ];

    private readonly string _connectionString;

    private SqliteAccountDatabase(string connectionString) => _connectionString = connectionString;

    protected override IReadOnlyList<string> SchemaSteps => Steps;

    protected override string ReadSchemaVersionSql => "PRAGMA user_version;";

    /// <summary>Opens (creating if missing) the account file at <paramref name="path"/> and brings its schema up to date.</summary>
    public static async Task<SqliteAccountDatabase> OpenAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var database = new SqliteAccountDatabase(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString());

        // The journal mode cannot change inside the upgrade's transaction, and it stays with the file.
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await database.UpgradeSchemaAsync(Path.GetFileName(full), cancellationToken).ConfigureAwait(false);
        return database;
    }

    // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) already makes two processes upgrading at once take turns.
    protected override string RecordSchemaVersionSql(int version) => $"PRAGMA user_version = {version.ToString(CultureInfo.InvariantCulture)};";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // FULL: a sign-up or a revocation that has returned survives a power cut.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override object StoredTime(DateTimeOffset time) => time.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public override void Dispose() => SqliteConnection.ClearAllPools();
}
