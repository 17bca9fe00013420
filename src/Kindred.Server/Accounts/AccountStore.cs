using System.Security.Cryptography;
using System.Text;
using Kindred.Server.Accounts.Postgres;
using Kindred.Server.Accounts.Sqlite;
using Microsoft.AspNetCore.Identity;
using StoreOptions = Kindred.Memory.StoreOptions;

namespace Kindred.Server.Accounts;

/// <summary>
/// Accounts, their credentials, which companions they own and the voices those speak with: every rule here, once,
/// whichever database keeps them (an <see cref="AccountDatabase"/>: accounts.db beside the companion store by
/// default, or the companions' PostgreSQL database). Passwords are hashed with ASP.NET Core Identity's hasher
/// (PBKDF2-HMAC-SHA512, 100,000 iterations); tokens and API keys are random 256-bit secrets of which only the SHA-256
/// is stored, so a copy of the database signs nobody in.
/// </summary>
public sealed partial class AccountStore : IDisposable
{
    /// <summary>The SQLite file's name in the data folder.</summary>
    public const string FileName = "accounts.db";

    private const string SessionPrefix = "kdt_";
    private const string ApiKeyPrefix = "kdk_";

    private static readonly string DummyHash = new PasswordHasher<string>().HashPassword("", "not a password anyone has");

    private readonly AccountDatabase _database;
    private readonly TimeProvider _time;
    private readonly PasswordHasher<string> _hasher = new();

    private AccountStore(AccountDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>
    /// Opens the accounts where the companions are: in their PostgreSQL database when <paramref name="store"/> says
    /// "postgres", otherwise in <see cref="FileName"/> in <paramref name="dataDirectory"/> (also when it is null).
    /// </summary>
    public static Task<AccountStore> OpenAsync(StoreOptions? store, string dataDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (store is { UsesPostgres: true })
        {
            store.Validate();
            return OpenPostgresAsync(store.ConnectionString!, time, cancellationToken);
        }

        return OpenAsync(Path.Combine(dataDirectory, FileName), time, cancellationToken);
    }

    /// <summary>Opens (creating if missing) the SQLite account file at <paramref name="path"/> and brings its schema up to date.</summary>
    public static async Task<AccountStore> OpenAsync(string path, TimeProvider time, CancellationToken cancellationToken) =>
        new(await SqliteAccountDatabase.OpenAsync(path, cancellationToken).ConfigureAwait(false), time);

    /// <summary>Opens the accounts in a PostgreSQL database, creating their tables if it has none.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    /// <exception cref="InvalidOperationException">The server cannot be reached or refuses the login, or a newer Kindred wrote the tables.</exception>
    public static async Task<AccountStore> OpenPostgresAsync(string connectionString, TimeProvider time, CancellationToken cancellationToken) =>
        new(await PostgresAccountDatabase.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false), time);

    /// <summary>Creates an account. Returns null when the username is taken, whatever its case.</summary>
    /// <exception cref="ArgumentException">The username or password breaks <see cref="Credentials"/>' rules (the endpoint checks first).</exception>
    public async Task<string?> CreateAccountAsync(string username, string password, CancellationToken cancellationToken)
    {
        if (Credentials.Check(username, password).Count > 0)
        {
            throw new ArgumentException("A username is 3–64 letters, digits, '.', '_', '-' or '@', and a password 8–1024 characters.");
        }

        var id = NewId("acc_");
        var hash = _hasher.HashPassword(id, password);
        return await _database.InsertAccountAsync(id, username, hash, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false) ? id : null;
    }

    /// <summary>The account id when the username and password match; otherwise null (which one was wrong is not told).</summary>
    public async Task<string?> CheckPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        // A name no account can have is not looked up (PostgreSQL would refuse some), but still costs a hash.
        var stored = Credentials.IsUsername(username)
            ? await _database.FindAccountAsync(username, cancellationToken).ConfigureAwait(false)
            : null;
        if (stored is null)
        {
            // Hash anyway, so a missing username takes as long as a wrong password.
            _hasher.VerifyHashedPassword("", DummyHash, password);
            return null;
        }

        var result = _hasher.VerifyHashedPassword(stored.AccountId, stored.PasswordHash, password);
        return result == PasswordVerificationResult.Failed ? null : stored.AccountId;
    }

    /// <summary>Issues a sign-in token valid for <paramref name="lifetime"/>.</summary>
    public Task<IssuedCredential> IssueTokenAsync(string accountId, TimeSpan lifetime, CancellationToken cancellationToken) =>
        IssueAsync(accountId, CredentialKind.SessionToken, "sign-in", _time.GetUtcNow() + lifetime, cancellationToken);

    /// <summary>Issues an API key (no expiry; revoke it to end it).</summary>
    /// <exception cref="ArgumentException">The name breaks <see cref="Credentials.IsKeyName"/> (the endpoint checks first).</exception>
    public Task<IssuedCredential> IssueApiKeyAsync(string accountId, string name, CancellationToken cancellationToken) =>
        Credentials.IsKeyName(name)
            ? IssueAsync(accountId, CredentialKind.ApiKey, name, null, cancellationToken)
            : throw new ArgumentException("A key needs a name of 1–100 characters, none of them control characters.", nameof(name));

    /// <summary>Who a presented secret belongs to, when it is known, unexpired and unrevoked; otherwise null.</summary>
    public async Task<Caller?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(SessionPrefix, StringComparison.Ordinal) && !secret.StartsWith(ApiKeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var credential = await _database.FindUnrevokedCredentialAsync(Hash(secret), cancellationToken).ConfigureAwait(false);
        if (credential is null || credential.ExpiresAt <= _time.GetUtcNow())
        {
            return null;
        }

        return new Caller(credential.AccountId, credential.Id, credential.Kind);
    }

    /// <summary>Revokes one of the account's credentials. False when the account has no such credential.</summary>
    public Task<bool> RevokeAsync(string accountId, string credentialId, CancellationToken cancellationToken) =>
        IsStorable(credentialId)
            ? _database.RevokeCredentialAsync(accountId, credentialId, _time.GetUtcNow(), cancellationToken)
            : Task.FromResult(false);

    /// <summary>The account's API keys that are still valid, oldest first (never their secrets).</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string accountId, CancellationToken cancellationToken) =>
        [.. (await _database.ListUnrevokedCredentialsAsync(accountId, CredentialKind.ApiKey, cancellationToken).ConfigureAwait(false))
            .Select(key => new ApiKeyInfo(key.Id, key.Name, key.CreatedAt))];

    /// <summary>Records that <paramref name="accountId"/> owns a new companion.</summary>
    public Task AddCompanionAsync(string accountId, string companionId, CancellationToken cancellationToken) =>
        _database.InsertOwnerAsync(accountId, companionId, _time.GetUtcNow(), cancellationToken);

    /// <summary>True when the companion belongs to the account. Anything else, including no such companion, is false.</summary>
    public Task<bool> OwnsAsync(string accountId, string companionId, CancellationToken cancellationToken) =>
        IsStorable(companionId) ? _database.IsOwnerAsync(accountId, companionId, cancellationToken) : Task.FromResult(false);

    /// <summary>The account's companion ids, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListCompanionsAsync(string accountId, CancellationToken cancellationToken) =>
        await _database.ListOwnedAsync(accountId, cancellationToken).ConfigureAwait(false);

    /// <summary>Removes the ownership record of a forgotten companion (its voice goes with it).</summary>
    public Task RemoveCompanionAsync(string accountId, string companionId, CancellationToken cancellationToken) =>
        _database.DeleteOwnerAsync(accountId, companionId, cancellationToken);

    public void Dispose() => _database.Dispose();

    /// <summary>A new random id with a prefix that says what it names.</summary>
    internal static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>
    /// Whether a presented id could be in the database at all: ids are made here and never hold U+0000, which
    /// PostgreSQL's text cannot hold either (asking would fail rather than find nothing).
    /// </summary>
    private static bool IsStorable(string value) => !value.Contains('\0', StringComparison.Ordinal);

    private async Task<IssuedCredential> IssueAsync(string accountId, CredentialKind kind, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var id = NewId(kind == CredentialKind.ApiKey ? "key_" : "tok_");
        var secret = (kind == CredentialKind.ApiKey ? ApiKeyPrefix : SessionPrefix) + Base64Url(RandomNumberGenerator.GetBytes(32));
        var credential = new StoredCredential(id, accountId, kind, name, _time.GetUtcNow(), expiresAt);
        await _database.InsertCredentialAsync(credential, Hash(secret), cancellationToken).ConfigureAwait(false);
        return new IssuedCredential(id, secret, expiresAt);
    }

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
