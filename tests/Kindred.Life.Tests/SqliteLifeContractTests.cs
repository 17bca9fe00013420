using Kindred.Memory;

namespace Kindred.Life.Tests;

/// <summary>The life contract over SQLite, each host with its own database in a temp folder.</summary>
public sealed class SqliteLifeContractTests : LifeContractTests, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kindred-life-");

    protected override Task<IFullCompanionStore> OpenStoreAsync(string host) =>
        new StoreOptions().OpenAsync(Path.Combine(_folder.FullName, host + ".db"), TimeProvider.System, CancellationToken.None);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
