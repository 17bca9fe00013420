using Kindred.Server.Accounts;

namespace Kindred.Server.Tests.Accounts;

/// <summary>The account store contract on SQLite: a temp folder per test, accounts.db in it as the server keeps it.</summary>
public sealed class SqliteAccountStoreContractTests : AccountStoreContractTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kindred-accounts-").FullName;

    protected override Task<AccountStore> OpenAsync(TimeProvider time) => AccountStore.OpenAsync(null, _folder, time, None);

    protected override Task<Func<Task<AccountStore>>> FreshDatabaseAsync()
    {
        var path = Path.Combine(_folder, "fresh", AccountStore.FileName);
        return Task.FromResult<Func<Task<AccountStore>>>(() => AccountStore.OpenAsync(path, Clock, None));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_accounts_are_kept_in_accounts_db_in_the_data_folder()
    {
        await Store.CreateAccountAsync("in-the-file", "a long secret", None);

        Assert.True(File.Exists(Path.Combine(_folder, "accounts.db")));
    }
}
