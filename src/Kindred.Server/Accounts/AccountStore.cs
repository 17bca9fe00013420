using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace Kindred.Server.Accounts;

/// <summary>
/// Accounts, their credentials and which companions they own, in their own SQLite file (accounts.db) beside the
/// companion store. Passwords are hashed with ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, 100,000
/// iterations); tokens and API keys are random 256-bit secrets of which only the SHA-256 is stored, so a copy of
/// the file signs nobody in.
/// </summary>
public sealed partial class AccountStore : IDisposable
{
    private const string SessionPrefix = "kdt_";
    private const string ApiKeyPrefix = "kdk_";

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
    private readonly TimeProvider _time;
    private readonly PasswordHasher<string> _hasher = new();

    private AccountStore(string connectionString, TimeProvider time)
    {
        _connectionString = connectionString;
        _time = time;
    }

    /// <summary>Opens (creating if missing) the account database at <paramref name="path"/> and brings its schema up to date.</summary>
    public static async Task<AccountStore> OpenAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
        var store = new AccountStore(connectionString, time);
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>Creates an account. Returns null when the username is taken.</summary>
    public async Task<string?> CreateAccountAsync(string username, string password, CancellationToken cancellationToken)
    {
        var id = NewId("acc_");
        var hash = _hasher.HashPassword(id, password);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO accounts (id, username, password_hash, created_at) VALUES ($id, $u, $h, $at) ON CONFLICT (username) DO NOTHING;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$u", username);
        command.Parameters.AddWithValue("$h", hash);
        command.Parameters.AddWithValue("$at", Now());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? id : null;
    }

    /// <summary>The account id when the username and password match; otherwise null (which one was wrong is not told).</summary>
    public async Task<string?> CheckPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, password_hash FROM accounts WHERE username = $u;";
        command.Parameters.AddWithValue("$u", username);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Hash anyway, so a missing username takes as long as a wrong password.
            _hasher.VerifyHashedPassword("", DummyHash, password);
            return null;
        }

        var id = reader.GetString(0);
        var result = _hasher.VerifyHashedPassword(id, reader.GetString(1), password);
        return result == PasswordVerificationResult.Failed ? null : id;
    }

    /// <summary>Issues a sign-in token valid for <paramref name="lifetime"/>.</summary>
    public Task<IssuedCredential> IssueTokenAsync(string accountId, TimeSpan lifetime, CancellationToken cancellationToken) =>
        IssueAsync(accountId, CredentialKind.SessionToken, "sign-in", _time.GetUtcNow() + lifetime, cancellationToken);

    /// <summary>Issues an API key (no expiry; revoke it to end it).</summary>
    public Task<IssuedCredential> IssueApiKeyAsync(string accountId, string name, CancellationToken cancellationToken) =>
        IssueAsync(accountId, CredentialKind.ApiKey, name, null, cancellationToken);

    /// <summary>Who a presented secret belongs to, when it is known, unexpired and unrevoked; otherwise null.</summary>
    public async Task<Caller?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(SessionPrefix, StringComparison.Ordinal) && !secret.StartsWith(ApiKeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, account_id, kind, expires_at FROM credentials WHERE secret_hash = $h AND revoked_at IS NULL;";
        command.Parameters.AddWithValue("$h", Hash(secret));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if (!reader.IsDBNull(3) && Parse(reader.GetString(3)) <= _time.GetUtcNow())
        {
            return null;
        }

        return new Caller(reader.GetString(1), reader.GetString(0), (CredentialKind)reader.GetInt64(2));
    }

    /// <summary>Revokes one of the account's credentials. False when the account has no such credential.</summary>
    public async Task<bool> RevokeAsync(string accountId, string credentialId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE credentials SET revoked_at = $at WHERE id = $id AND account_id = $a AND revoked_at IS NULL;";
        command.Parameters.AddWithValue("$at", Now());
        command.Parameters.AddWithValue("$id", credentialId);
        command.Parameters.AddWithValue("$a", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The account's API keys that are still valid, oldest first (never their secrets).</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, created_at FROM credentials WHERE account_id = $a AND kind = 1 AND revoked_at IS NULL ORDER BY created_at, id;";
        command.Parameters.AddWithValue("$a", accountId);
        var keys = new List<ApiKeyInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new ApiKeyInfo(reader.GetString(0), reader.GetString(1), Parse(reader.GetString(2))));
        }

        return keys;
    }

    /// <summary>Records that <paramref name="accountId"/> owns a new companion.</summary>
    public async Task AddCompanionAsync(string accountId, string companionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO companion_owners (companion_id, account_id, created_at) VALUES ($c, $a, $at);";
        command.Parameters.AddWithValue("$c", companionId);
        command.Parameters.AddWithValue("$a", accountId);
        command.Parameters.AddWithValue("$at", Now());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the companion belongs to the account. Anything else, including no such companion, is false.</summary>
    public async Task<bool> OwnsAsync(string accountId, string companionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM companion_owners WHERE companion_id = $c AND account_id = $a;";
        command.Parameters.AddWithValue("$c", companionId);
        command.Parameters.AddWithValue("$a", accountId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The account's companion ids, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListCompanionsAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT companion_id FROM companion_owners WHERE account_id = $a ORDER BY created_at, companion_id;";
        command.Parameters.AddWithValue("$a", accountId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Removes the ownership record of a forgotten companion.</summary>
    public async Task RemoveCompanionAsync(string accountId, string companionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM companion_owners WHERE companion_id = $c AND account_id = $a;";
        command.Parameters.AddWithValue("$c", companionId);
        command.Parameters.AddWithValue("$a", accountId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => SqliteConnection.ClearAllPools();

    /// <summary>A new random id with a prefix that says what it names.</summary>
    internal static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static readonly string DummyHash = new PasswordHasher<string>().HashPassword("", "not a password anyone has");

    private async Task<IssuedCredential> IssueAsync(string accountId, CredentialKind kind, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var id = NewId(kind == CredentialKind.ApiKey ? "key_" : "tok_");
        var secret = (kind == CredentialKind.ApiKey ? ApiKeyPrefix : SessionPrefix) + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO credentials (id, account_id, kind, name, secret_hash, created_at, expires_at)
            VALUES ($id, $a, $k, $n, $h, $at, $exp);
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$a", accountId);
        command.Parameters.AddWithValue("$k", (int)kind);
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$h", Hash(secret));
        command.Parameters.AddWithValue("$at", Now());
        command.Parameters.AddWithValue("$exp", expiresAt is { } e ? Format(e) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new IssuedCredential(id, secret, expiresAt);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
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

    private static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        var current = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > Steps.Length)
        {
            throw new InvalidOperationException($"accounts.db was written by a newer Kindred (schema {current}; this one knows {Steps.Length}).");
        }

        for (var step = current; step < Steps.Length; step++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.Transaction = (SqliteTransaction)transaction;
            command.CommandText = Steps[step] + $"\nPRAGMA user_version = {step + 1};";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private string Now() => Format(_time.GetUtcNow());

    private static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>What a credential is for.</summary>
public enum CredentialKind
{
    /// <summary>Issued at sign-in; expires.</summary>
    SessionToken = 0,

    /// <summary>For programs; lasts until revoked.</summary>
    ApiKey = 1,
}

/// <summary>A newly issued credential. <paramref name="Secret"/> is shown once and never stored.</summary>
public sealed record IssuedCredential(string Id, string Secret, DateTimeOffset? ExpiresAt);

/// <summary>An authenticated caller: the account and the credential it presented.</summary>
public sealed record Caller(string AccountId, string CredentialId, CredentialKind Kind);

/// <summary>An API key as listed (never its secret).</summary>
public sealed record ApiKeyInfo(string Id, string Name, DateTimeOffset CreatedAt);
