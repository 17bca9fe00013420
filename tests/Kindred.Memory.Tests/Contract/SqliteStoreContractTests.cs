namespace Kindred.Memory.Tests.Contract;

/// <summary>The store contract against the SQLite store: a fresh file per test.</summary>
// Disposed through IAsyncLifetime.DisposeAsync (CleanUpAsync), which xunit always calls.
#pragma warning disable CA1001
public sealed class SqliteStoreContractTests : StoreContractTests
#pragma warning restore CA1001
{
    private readonly TempDatabase _database = new();

    protected override async Task<IFullCompanionStore> OpenStoreAsync() => await _database.OpenAsync();

    protected override Task CleanUpAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}
