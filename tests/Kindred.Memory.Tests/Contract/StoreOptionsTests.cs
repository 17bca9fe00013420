using Kindred.Memory.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace Kindred.Memory.Tests.Contract;

public sealed class StoreOptionsTests
{
    [Fact]
    public async Task WithNoSettingsMemoryIsASqliteFileAtTheGivenPath()
    {
        using var database = new TempDatabase();

        await using var store = await new StoreOptions().OpenAsync(database.DatabasePath, new FakeTimeProvider(), CancellationToken.None);

        Assert.IsType<SqliteCompanionStore>(store);
        Assert.True(File.Exists(database.DatabasePath));
    }

    [Theory]
    [InlineData("mysql", null, "Provider must be \"sqlite\" or \"postgres\" (was 'mysql')")]
    [InlineData("postgres", null, "ConnectionString is required")]
    [InlineData("Postgres", "  ", "ConnectionString is required")]
    public void WrongSettingsNameTheOption(string provider, string? connectionString, string expected)
    {
        var options = new StoreOptions { Provider = provider, ConnectionString = connectionString };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

[Collection(UsesPostgres.Name)]
public sealed class PostgresStoreOptionsTests(PostgresServer server)
{
    [Fact]
    public async Task ThePostgresProviderOpensTheDatabaseNamedByTheConnectionString()
    {
        var options = new StoreOptions { Provider = " POSTGRES ", ConnectionString = await server.CreateDatabaseAsync("t_options") };

        await using var store = await options.OpenAsync("/nonexistent/never-created.db", new FakeTimeProvider(), CancellationToken.None);

        Assert.IsType<PostgresCompanionStore>(store);
        Assert.False(File.Exists("/nonexistent/never-created.db"));
    }
}
