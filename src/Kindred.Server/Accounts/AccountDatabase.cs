using System.Data.Common;
using System.Globalization;

namespace Kindred.Server.Accounts;

/// <summary>
/// Where accounts are kept. This class runs every statement, once, over ADO.NET (parameters are written @name in every
/// dialect); a provider (<c>Sqlite/</c>, <c>Postgres/</c>) brings only its connections, how it stores a time, its
/// schema steps and the statements its dialect spells differently. The rules (hashing, expiry, ownership) are
/// <see cref="AccountStore"/>'s, so they are written once for both.
/// </summary>
internal abstract class AccountDatabase : IDisposable
{
    /// <summary>The schema as forward-only steps: a step, once shipped, is never edited, only followed by new ones.</summary>
    protected abstract IReadOnlyList<string> SchemaSteps { get; }

    /// <summary>Reads how many steps the database has had (0 when new).</summary>
    protected abstract string ReadSchemaVersionSql { get; }

    /// <summary>Run first in the upgrade's transaction: what makes two processes upgrading at once take turns.</summary>
    protected virtual string? BeforeUpgradeSql => null;

    /// <summary>Finds an account by its username, ignoring case: its id and password hash.</summary>
    protected virtual string FindAccountSql => "SELECT id, password_hash FROM accounts WHERE username = @username;";

    /// <summary>Says, in the upgrade's transaction, that the database has had <paramref name="version"/> steps.</summary>
    protected abstract string RecordSchemaVersionSql(int version);

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    protected abstract object StoredTime(DateTimeOffset time);

    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public abstract void Dispose();

    /// <summary>Brings the schema up to date in one transaction; a database written by a newer Kindred is left as it is.</summary>
    /// <param name="where">Names the database in the error (never with a password).</param>
    public async Task UpgradeSchemaAsync(string where, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (BeforeUpgradeSql is { } before)
                {
                    await RunInAsync(transaction, before, scalar: false, cancellationToken).ConfigureAwait(false);
                }

                var current = Convert.ToInt32(await RunInAsync(transaction, ReadSchemaVersionSql, scalar: true, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (current > SchemaSteps.Count)
                {
                    throw new InvalidOperationException(
                        $"The accounts in {where} were written by a newer Kindred (schema {current}; this one knows {SchemaSteps.Count}). " +
                        "Upgrade Kindred to open them; nothing has been changed.");
                }

                for (var step = current; step < SchemaSteps.Count; step++)
                {
                    await RunInAsync(transaction, SchemaSteps[step] + "\n" + RecordSchemaVersionSql(step + 1), scalar: false, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Adds an account; false when the username is taken (whatever its case).</summary>
    public async Task<bool> InsertAccountAsync(string id, string username, string passwordHash, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "INSERT INTO accounts (id, username, password_hash, created_at) VALUES (@id, @username, @hash, @at) ON CONFLICT DO NOTHING;",
            cancellationToken,
            ("id", id), ("username", username), ("hash", passwordHash), ("at", StoredTime(createdAt))).ConfigureAwait(false) == 1;

    public async Task<StoredPassword?> FindAccountAsync(string username, CancellationToken cancellationToken) =>
        (await ReadAsync(FindAccountSql, r => new StoredPassword(r.GetString(0), r.GetString(1)), cancellationToken, ("username", username)).ConfigureAwait(false))
        .FirstOrDefault();

    public Task InsertCredentialAsync(StoredCredential credential, byte[] secretHash, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO credentials (id, account_id, kind, name, secret_hash, created_at, expires_at)
            VALUES (@id, @account, @kind, @name, @hash, @at, @expires);
            """,
            cancellationToken,
            ("id", credential.Id),
            ("account", credential.AccountId),
            ("kind", (int)credential.Kind),
            ("name", credential.Name),
            ("hash", secretHash),
            ("at", StoredTime(credential.CreatedAt)),
            ("expires", credential.ExpiresAt is { } expires ? StoredTime(expires) : null));

    /// <summary>The unrevoked credential whose secret has this hash, expired or not.</summary>
    public async Task<StoredCredential?> FindUnrevokedCredentialAsync(byte[] secretHash, CancellationToken cancellationToken) =>
        (await ReadAsync(
            $"SELECT {CredentialColumns} FROM credentials WHERE secret_hash = @hash AND revoked_at IS NULL;",
            ReadCredential,
            cancellationToken,
            ("hash", secretHash)).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>The account's unrevoked credentials of one kind, oldest first.</summary>
    public Task<List<StoredCredential>> ListUnrevokedCredentialsAsync(string accountId, CredentialKind kind, CancellationToken cancellationToken) =>
        ReadAsync(
            $"SELECT {CredentialColumns} FROM credentials WHERE account_id = @account AND kind = @kind AND revoked_at IS NULL ORDER BY created_at, id;",
            ReadCredential,
            cancellationToken,
            ("account", accountId), ("kind", (int)kind));

    /// <summary>False when the account has no such unrevoked credential.</summary>
    public async Task<bool> RevokeCredentialAsync(string accountId, string credentialId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE credentials SET revoked_at = @at WHERE id = @id AND account_id = @account AND revoked_at IS NULL;",
            cancellationToken,
            ("at", StoredTime(at)), ("id", credentialId), ("account", accountId)).ConfigureAwait(false) == 1;

    public Task InsertOwnerAsync(string accountId, string companionId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO companion_owners (companion_id, account_id, created_at) VALUES (@companion, @account, @at);",
            cancellationToken,
            ("companion", companionId), ("account", accountId), ("at", StoredTime(at)));

    public async Task<bool> IsOwnerAsync(string accountId, string companionId, CancellationToken cancellationToken) =>
        (await ReadAsync(
            "SELECT companion_id FROM companion_owners WHERE companion_id = @companion AND account_id = @account;",
            r => r.GetString(0),
            cancellationToken,
            ("companion", companionId), ("account", accountId)).ConfigureAwait(false)).Count > 0;

    public Task<List<string>> ListOwnedAsync(string accountId, CancellationToken cancellationToken) =>
        ReadAsync(
            "SELECT companion_id FROM companion_owners WHERE account_id = @account ORDER BY created_at, companion_id;",
            r => r.GetString(0),
            cancellationToken,
            ("account", accountId));

    public Task DeleteOwnerAsync(string accountId, string companionId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "DELETE FROM companion_owners WHERE companion_id = @companion AND account_id = @account;",
            cancellationToken,
            ("companion", companionId), ("account", accountId));

    public async Task<string?> ReadVoiceAsync(string companionId, CancellationToken cancellationToken) =>
        (await ReadAsync(
            "SELECT voice FROM companion_owners WHERE companion_id = @companion;",
            r => r.IsDBNull(0) ? null : r.GetString(0),
            cancellationToken,
            ("companion", companionId)).ConfigureAwait(false)).FirstOrDefault();

    public Task WriteVoiceAsync(string companionId, string voice, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE companion_owners SET voice = @voice WHERE companion_id = @companion;",
            cancellationToken,
            ("voice", voice), ("companion", companionId));

    private const string CredentialColumns = "id, account_id, kind, name, created_at, expires_at";

    private StoredCredential ReadCredential(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        (CredentialKind)Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
        reader.GetString(3),
        ReadTime(reader, 4),
        reader.IsDBNull(5) ? null : ReadTime(reader, 5));

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = Command(connection, sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<T>> ReadAsync<T>(string sql, Func<DbDataReader, T> readRow, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = Command(connection, sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(readRow(reader));
            }

            return rows;
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static async Task<object?> RunInAsync(DbTransaction transaction, string sql, bool scalar, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction.Connection!, sql, []);
        command.Transaction = transaction;
        return scalar
            ? await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            : await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>An account's id and password hash, as stored.</summary>
internal sealed record StoredPassword(string AccountId, string PasswordHash);

/// <summary>A credential as stored (its secret never is; only the secret's hash, which is not read back).</summary>
internal sealed record StoredCredential(string Id, string AccountId, CredentialKind Kind, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
