using Kindred.Server.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace Kindred.Server.Tests.Accounts;

/// <summary>
/// What the account store does whichever database keeps the accounts, run against SQLite and PostgreSQL by a subclass.
/// A database may hold other tests' accounts (PostgreSQL keeps one per class), so every test names its own through
/// <see cref="Name"/>.
/// </summary>
public abstract class AccountStoreContractTests : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;
    private const string Password = "a long secret";
    private readonly string _scope = Guid.NewGuid().ToString("N")[..10];

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    protected AccountStore Store { get; private set; } = null!;

    /// <summary>Opens the store over this class's database (the same one each time it is called).</summary>
    protected abstract Task<AccountStore> OpenAsync(TimeProvider time);

    /// <summary>An opener for a database nobody has opened yet.</summary>
    protected abstract Task<Func<Task<AccountStore>>> FreshDatabaseAsync();

    public async Task InitializeAsync() => Store = await OpenAsync(Clock);

    public virtual Task DisposeAsync()
    {
        Store.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A username that is this test's own.</summary>
    private string Name(string name) => $"{name}-{_scope}";

    private async Task<string> SignUpAsync(string name) => (await Store.CreateAccountAsync(Name(name), Password, None))!;

    [Fact]
    public async Task An_account_signs_in_with_its_password_whatever_the_case_of_its_username()
    {
        var id = await SignUpAsync("Maya");

        Assert.Equal(id, await Store.CheckPasswordAsync(Name("Maya"), Password, None));
        Assert.Equal(id, await Store.CheckPasswordAsync(Name("MAYA"), Password, None));
        Assert.Null(await Store.CheckPasswordAsync(Name("Maya"), "the wrong secret", None));
        Assert.Null(await Store.CheckPasswordAsync(Name("nobody"), Password, None));
    }

    [Fact]
    public async Task A_username_is_taken_whatever_its_case()
    {
        await SignUpAsync("lena");

        Assert.Null(await Store.CreateAccountAsync(Name("LENA"), "another secret", None));
        Assert.NotNull(await Store.CheckPasswordAsync(Name("lena"), Password, None));
        Assert.Null(await Store.CheckPasswordAsync(Name("lena"), "another secret", None));
    }

    [Fact]
    public async Task A_sign_in_token_works_until_it_expires()
    {
        var id = await SignUpAsync("omar");
        var token = await Store.IssueTokenAsync(id, TimeSpan.FromHours(1), None);

        Clock.Advance(TimeSpan.FromMinutes(59));
        var caller = await Store.AuthenticateAsync(token.Secret, None);
        Assert.Equal(new Caller(id, token.Id, CredentialKind.SessionToken), caller);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromMinutes(1), token.ExpiresAt);

        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await Store.AuthenticateAsync(token.Secret, None));
    }

    [Fact]
    public async Task An_api_key_works_until_its_owner_revokes_it_and_no_one_else_can()
    {
        var id = await SignUpAsync("ana");
        var stranger = await SignUpAsync("stranger");
        var key = await Store.IssueApiKeyAsync(id, "laptop", None);
        Clock.Advance(TimeSpan.FromDays(3650));

        Assert.Equal(new Caller(id, key.Id, CredentialKind.ApiKey), await Store.AuthenticateAsync(key.Secret, None));
        Assert.False(await Store.RevokeAsync(stranger, key.Id, None));
        Assert.NotNull(await Store.AuthenticateAsync(key.Secret, None));

        Assert.True(await Store.RevokeAsync(id, key.Id, None));
        Assert.Null(await Store.AuthenticateAsync(key.Secret, None));
        Assert.False(await Store.RevokeAsync(id, key.Id, None));
    }

    [Fact]
    public async Task Listed_api_keys_are_the_valid_ones_oldest_first_without_tokens()
    {
        var id = await SignUpAsync("keys");
        var first = await Store.IssueApiKeyAsync(id, "first", None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var gone = await Store.IssueApiKeyAsync(id, "gone", None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var last = await Store.IssueApiKeyAsync(id, "last", None);
        await Store.IssueTokenAsync(id, TimeSpan.FromDays(1), None);
        await Store.RevokeAsync(id, gone.Id, None);

        var keys = await Store.ListApiKeysAsync(id, None);

        Assert.Equal([first.Id, last.Id], keys.Select(k => k.Id));
        Assert.Equal(["first", "last"], keys.Select(k => k.Name));
        Assert.Equal(Clock.GetUtcNow() - TimeSpan.FromSeconds(2), keys[0].CreatedAt);
    }

    [Fact]
    public async Task A_companion_belongs_to_the_account_that_made_it_until_it_is_forgotten()
    {
        var id = await SignUpAsync("owner");
        var stranger = await SignUpAsync("other");
        var older = Name("c-older");
        var newer = Name("c-newer");
        await Store.AddCompanionAsync(id, older, None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.AddCompanionAsync(id, newer, None);

        Assert.True(await Store.OwnsAsync(id, older, None));
        Assert.False(await Store.OwnsAsync(stranger, older, None));
        Assert.False(await Store.OwnsAsync(id, Name("c-nobody"), None));
        Assert.Equal([older, newer], await Store.ListCompanionsAsync(id, None));
        Assert.Empty(await Store.ListCompanionsAsync(stranger, None));

        await Store.RemoveCompanionAsync(stranger, older, None);
        Assert.True(await Store.OwnsAsync(id, older, None));
        await Store.RemoveCompanionAsync(id, older, None);
        Assert.False(await Store.OwnsAsync(id, older, None));
        Assert.Equal([newer], await Store.ListCompanionsAsync(id, None));
    }

    [Fact]
    public async Task A_chosen_voice_is_kept_and_goes_with_the_companion()
    {
        var id = await SignUpAsync("voice");
        var companion = Name("c-voice");
        await Store.AddCompanionAsync(id, companion, None);
        Assert.Null(await Store.GetVoiceAsync(companion, None));

        await Store.SetVoiceAsync(companion, "espeak", None);
        Assert.Equal("espeak", await Store.GetVoiceAsync(companion, None));

        await Store.RemoveCompanionAsync(id, companion, None);
        await Store.AddCompanionAsync(id, companion, None);
        Assert.Null(await Store.GetVoiceAsync(companion, None));
    }

    [Fact]
    public async Task Names_and_ids_no_account_could_have_find_nothing_rather_than_fail()
    {
        var id = await SignUpAsync("careful");

        Assert.Null(await Store.CheckPasswordAsync("bad\0name", Password, None));
        Assert.Null(await Store.CheckPasswordAsync("", Password, None));
        Assert.False(await Store.OwnsAsync(id, "c\0", None));
        Assert.False(await Store.RevokeAsync(id, "key_\0", None));
        Assert.Null(await Store.GetVoiceAsync("c\0", None));
        Assert.Null(await Store.AuthenticateAsync("kdk_\0", None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.IssueApiKeyAsync(id, "tab\tname", None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAccountAsync("x\0y", Password, None));
    }

    [Fact]
    public async Task Everything_is_there_after_the_store_is_opened_again()
    {
        var id = await SignUpAsync("durable");
        var key = await Store.IssueApiKeyAsync(id, "kept", None);
        await Store.AddCompanionAsync(id, Name("c-kept"), None);
        await Store.SetVoiceAsync(Name("c-kept"), "flite", None);

        using var again = await OpenAsync(Clock);

        Assert.Equal(id, await again.CheckPasswordAsync(Name("durable"), Password, None));
        Assert.Equal(id, (await again.AuthenticateAsync(key.Secret, None))?.AccountId);
        Assert.Equal([Name("c-kept")], await again.ListCompanionsAsync(id, None));
        Assert.Equal("flite", await again.GetVoiceAsync(Name("c-kept"), None));
    }

    [Fact]
    public async Task Two_processes_opening_a_new_database_at_once_both_get_the_whole_schema()
    {
        var open = await FreshDatabaseAsync();

        var both = await Task.WhenAll(open(), open());
        try
        {
            var id = await both[0].CreateAccountAsync(Name("first"), Password, None);
            Assert.Equal(id, await both[1].CheckPasswordAsync(Name("first"), Password, None));
        }
        finally
        {
            foreach (var store in both)
            {
                store.Dispose();
            }
        }
    }
}
