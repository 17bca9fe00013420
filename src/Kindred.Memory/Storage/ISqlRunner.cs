namespace Kindred.Memory.Storage;

/// <summary>Where a provider runs single statements: reads beside writes, and writes as its database wants them queued.</summary>
internal interface ISqlRunner
{
    Task<T> ReadAsync<T>(Func<SqlSession, Task<T>> read, CancellationToken cancellationToken);

    Task<T> WriteAsync<T>(Func<SqlSession, Task<T>> write, CancellationToken cancellationToken);
}
