using Kindred.Memory;
using Kindred.Memory.Tests.Contract;
using Kindred.Server.Accounts;
using Npgsql;

namespace Kindred.Server.Tests.Accounts;

/// <summary>The account store contract on a real PostgreSQL server: one database for this class, a store per test.</summary>
[Collection(UsesPostgres.Name)]
public sealed class PostgresAccountStoreContractTests(PostgresServer server) : AccountStoreContractTests
{
    protected override async Task<AccountStore> OpenAsync(TimeProvider time) =>
        await AccountStore.OpenAsync(
            new StoreOptions { Provider = StoreOptions.PostgresProvider, ConnectionString = await server.DatabaseForAsync(GetType()) },
            dataDirectory: "/nonexistent/kindred-data-folder-unused",
            time,
            None);

    protected override async Task<Func<Task<AccountStore>>> FreshDatabaseAsync()
    {
        var database = await server.CreateDatabaseAsync("t_accounts_" + Guid.NewGuid().ToString("N")[..12]);
        return () => AccountStore.OpenPostgresAsync(database, Clock, None);
    }

    [Fact]
    public async Task A_database_written_by_a_newer_kindred_is_refused_and_left_as_it_is()
    {
        var database = await server.CreateDatabaseAsync("t_accounts_newer_" + Guid.NewGuid().ToString("N")[..12]);
        (await AccountStore.OpenPostgresAsync(database, Clock, None)).Dispose();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var newer = new NpgsqlCommand("INSERT INTO account_schema_history (version) VALUES (99);", connection);
            await newer.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => AccountStore.OpenPostgresAsync(database, Clock, None));
        Assert.Contains("newer Kindred", refused.Message, StringComparison.Ordinal);
    }
}
