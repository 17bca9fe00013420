using Kindred.Memory;
using Kindred.Memory.Tests.Contract;

namespace Kindred.Life.Tests;

/// <summary>The life contract over PostgreSQL, each host with its own fresh database on a throwaway server.</summary>
public sealed class PostgresLifeContractTests(PostgresServer postgres) : LifeContractTests, IClassFixture<PostgresServer>
{
    protected override async Task<IFullCompanionStore> OpenStoreAsync(string host)
    {
        var connection = await postgres.CreateDatabaseAsync("life_" + host + "_" + Guid.NewGuid().ToString("N")[..8]);
        return await new StoreOptions { Provider = StoreOptions.PostgresProvider, ConnectionString = connection }
            .OpenAsync("unused.db", TimeProvider.System, CancellationToken.None);
    }
}
