using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kindred.Core;
using Kindred.Memory;
using Kindred.Server.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace Kindred.Bench.Load;

/// <summary>One simulated person: an account, an API key, and one companion.</summary>
internal sealed record Person(string Username, string ApiKey, string CompanionId);

/// <summary>
/// Creates the simulated people once and keeps them in people.json in the data folder, so later runs start at once.
/// The first ten sign up, get a key and wake their companion through the API as a person would. The rest are
/// written in bulk before the server starts: accounts and keys into accounts.db in one transaction, all sharing one
/// password hash computed by the production hasher (PBKDF2, 100,000 iterations), and companions through the store's
/// own CreateCompanionAsync with a ready name. Thousands of sign-ups would otherwise spend many minutes hashing and
/// asking the model for names; the server's own hashing and waking are left exactly as they are.
/// </summary>
internal static class People
{
    private const string Password = "load-harness-password";
    private const int ThroughApi = 10;

    /// <summary>
    /// Before the server starts: the people beyond the first few, written in bulk (accounts, keys, and companions
    /// through the real store's own CreateCompanionAsync). Kept in people.json; nothing is done when it has enough.
    /// </summary>
    public static async Task SeedAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var people = await LoadAsync(options, cancellationToken);
        var missing = options.Accounts - people.Count - Math.Max(0, ThroughApi - people.Count);
        if (missing <= 0 || options.Url is not null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.DataDirectory);
        var accountsDb = Path.Combine(options.DataDirectory, "accounts.db");
        using (await AccountStore.OpenAsync(accountsDb, TimeProvider.System, cancellationToken))
        {
            // Opened only to create or update its schema.
        }

        var first = Math.Max(people.Count, ThroughApi);
        var seeded = SeedAccounts(accountsDb, first, missing);
        var companion = new CompanionOptions();
        await using (var store = await SqliteCompanionStore.OpenAsync(Path.Combine(options.DataDirectory, "kindred.db"), TimeProvider.System, cancellationToken))
        {
            foreach (var person in seeded)
            {
                var identity = new CompanionIdentity(person.CompanionId, Names[person.CompanionId[^1] % Names.Length], DateTimeOffset.UtcNow, companion.DefaultPersona, [.. companion.DefaultTraits]);
                await store.CreateCompanionAsync(identity, cancellationToken);
            }
        }

        // The API-made people come first in the file; bulk ones are appended after them once they exist.
        var pending = Path.Combine(options.DataDirectory, "people-bulk.json");
        await File.WriteAllTextAsync(pending, JsonSerializer.Serialize(seeded), cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {missing} people written in bulk in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>After the server starts: the first few people sign up and create their companion through the API.</summary>
    public static async Task<List<Person>> EnsureAsync(LoadOptions options, Uri server, CancellationToken cancellationToken)
    {
        var people = await LoadAsync(options, cancellationToken);
        var file = Path.Combine(options.DataDirectory, "people.json");
        var pending = Path.Combine(options.DataDirectory, "people-bulk.json");
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(10) };
        var viaApi = options.Url is null ? Math.Max(0, Math.Min(ThroughApi, options.Accounts) - people.Count) : options.Accounts - people.Count;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < viaApi; i++)
        {
            var (username, key) = await SignUpAsync(http, Username(people.Count), cancellationToken);
            people.Add(new Person(username, key, await CreateCompanionAsync(http, key, cancellationToken)));
        }

        if (viaApi > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {viaApi} people signed up and woke their companion through the API in {clock.Elapsed.TotalSeconds:F1} s"));
        }

        if (File.Exists(pending))
        {
            people.AddRange(JsonSerializer.Deserialize<List<Person>>(await File.ReadAllTextAsync(pending, cancellationToken)) ?? []);
            File.Delete(pending);
        }

        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(people), cancellationToken);
        return people;
    }

    private static readonly string[] Names = ["Wren", "Juniper", "Sol", "Ada", "Iris", "Milo", "Nova", "Rowan"];

    private static async Task<List<Person>> LoadAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var file = Path.Combine(options.DataDirectory, "people.json");
        return File.Exists(file) ? JsonSerializer.Deserialize<List<Person>>(await File.ReadAllTextAsync(file, cancellationToken)) ?? [] : [];
    }

    private static string Username(int index) => string.Create(CultureInfo.InvariantCulture, $"load{index:D6}");

    private static async Task<(string, string)> SignUpAsync(HttpClient http, string username, CancellationToken cancellationToken)
    {
        var credentials = new { username, password = Password };
        (await http.PostAsJsonAsync("api/accounts", credentials, cancellationToken)).EnsureSuccessStatusCode();
        using var signIn = await http.PostAsJsonAsync("api/sessions", credentials, cancellationToken);
        signIn.EnsureSuccessStatusCode();
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/keys") { Content = JsonContent.Create(new { name = "load" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var key = await http.SendAsync(request, cancellationToken);
        key.EnsureSuccessStatusCode();
        return (username, (await key.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString()!);
    }

    // The bulk path: the same rows sign-up and key creation write, in one transaction.
    private static List<Person> SeedAccounts(string accountsDb, int first, int count)
    {
        var hash = new PasswordHasher<string>().HashPassword("", Password);
        var now = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture);
        var keys = new List<Person>(count);
        using var connection = new SqliteConnection($"Data Source={accountsDb};Foreign Keys=True");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var account = connection.CreateCommand();
        account.CommandText = "INSERT INTO accounts (id, username, password_hash, created_at) VALUES ($id, $u, $h, $at);";
        using var credential = connection.CreateCommand();
        credential.CommandText = "INSERT INTO credentials (id, account_id, kind, name, secret_hash, created_at) VALUES ($id, $a, 1, 'load', $h, $at);";
        using var owner = connection.CreateCommand();
        owner.CommandText = "INSERT INTO companion_owners (companion_id, account_id, created_at) VALUES ($c, $a, $at);";
        for (var i = 0; i < count; i++)
        {
            var accountId = "acc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var username = Username(first + i);
            account.Parameters.Clear();
            account.Parameters.AddWithValue("$id", accountId);
            account.Parameters.AddWithValue("$u", username);
            account.Parameters.AddWithValue("$h", hash);
            account.Parameters.AddWithValue("$at", now);
            account.ExecuteNonQuery();

            var secret = "kdk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            credential.Parameters.Clear();
            credential.Parameters.AddWithValue("$id", "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
            credential.Parameters.AddWithValue("$a", accountId);
            credential.Parameters.AddWithValue("$h", SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
            credential.Parameters.AddWithValue("$at", now);
            credential.ExecuteNonQuery();

            var companionId = "c" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            owner.Parameters.Clear();
            owner.Parameters.AddWithValue("$c", companionId);
            owner.Parameters.AddWithValue("$a", accountId);
            owner.Parameters.AddWithValue("$at", now);
            owner.ExecuteNonQuery();
            keys.Add(new Person(username, secret, companionId));
        }

        transaction.Commit();
        return keys;
    }

    private static async Task<string> CreateCompanionAsync(HttpClient http, string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/companions") { Content = JsonContent.Create(new { }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("companionId").GetString()!;
        }
    }
}
