using Kindred.Memory.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace Kindred.Memory.Tests.Contract;

/// <summary>The store contract against a real PostgreSQL server: one database for this class, a store per test.</summary>
[Collection(UsesPostgres.Name)]
public sealed class PostgresStoreContractTests(PostgresServer server) : StoreContractTests
{
    protected override async Task<IFullCompanionStore> OpenStoreAsync() =>
        await PostgresCompanionStore.OpenAsync(await server.DatabaseForAsync(GetType()), new FakeTimeProvider(), None);
}
