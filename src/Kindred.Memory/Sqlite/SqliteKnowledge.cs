using Kindred.Memory.Storage;

namespace Kindred.Memory;

/// <summary>How the SQLite store runs the knowledge rules: each piece of work in one transaction on one companion.</summary>
internal sealed class SqliteKnowledge(SqliteDatabase database) : IKnowledgeRows
{
    /// <inheritdoc />
    public string Clean(string text) => SqliteDialect.Instance.Clean(text);

    /// <inheritdoc />
    public Task<T> ReadAsync<T>(string companionId, Func<IKnowledgeSession, Task<T>> read, CancellationToken cancellationToken) =>
        database.InReadTransactionAsync((connection, transaction) => read(Session(connection, transaction, companionId)), cancellationToken);

    /// <inheritdoc />
    /// <remarks>The single write connection makes writers take turns.</remarks>
    public Task<T> WriteAsync<T>(string companionId, Func<IKnowledgeSession, Task<T>> write, CancellationToken cancellationToken) =>
        database.InWriteTransactionAsync((connection, transaction) => write(Session(connection, transaction, companionId)), cancellationToken);

    /// <inheritdoc />
    public Task<bool> ForgetAsync(string companionId, Func<IForgetSession, Task<bool>> delete, CancellationToken cancellationToken) =>
        database.ForgetAsync((connection, transaction) => delete(Session(connection, transaction, companionId)), cancellationToken);

    private static KnowledgeSession Session(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string companionId) =>
        new(new SqlSession(connection, transaction), SqliteDialect.Instance, companionId);
}
