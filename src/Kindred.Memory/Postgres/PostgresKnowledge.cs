using Kindred.Memory.Storage;
using Npgsql;

namespace Kindred.Memory.Postgres;

/// <summary>How the PostgreSQL store runs the knowledge rules: each piece of work in one transaction on one companion.</summary>
internal sealed class PostgresKnowledge(PostgresDatabase database) : IKnowledgeRows
{
    /// <inheritdoc />
    public string Clean(string text) => PostgresDialect.Instance.Clean(text);

    /// <inheritdoc />
    public Task<T> ReadAsync<T>(string companionId, Func<IKnowledgeSession, Task<T>> read, CancellationToken cancellationToken) =>
        database.InSnapshotAsync((connection, transaction) => read(Session(connection, transaction, companionId)), cancellationToken);

    /// <inheritdoc />
    public Task<T> WriteAsync<T>(string companionId, Func<IKnowledgeSession, Task<T>> write, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await LockKnowledgeAsync(connection, transaction, companionId, cancellationToken).ConfigureAwait(false);
            return await write(Session(connection, transaction, companionId)).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ForgetAsync(string companionId, Func<IForgetSession, Task<bool>> delete, CancellationToken cancellationToken) =>
        database.ForgetAsync((connection, transaction) => delete(Session(connection, transaction, companionId)), cancellationToken);

    private static KnowledgeSession Session(NpgsqlConnection connection, NpgsqlTransaction transaction, string companionId) =>
        new(new SqlSession(connection, transaction), PostgresDialect.Instance, companionId);

    /// <summary>
    /// Serialises writers of one companion's knowledge (extraction, corrections, imports) until the transaction ends,
    /// as the SQLite store's single writer does, without blocking its appends.
    /// </summary>
    private static Task<int> LockKnowledgeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string companionId, CancellationToken cancellationToken) =>
        PostgresDatabase.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended('knowledge:' || @c, 0));", cancellationToken, ("c", companionId));
}
