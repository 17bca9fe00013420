using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace Kindred.Bench.Load;

/// <summary>One simulated person: an account, an API key, and one companion.</summary>
internal sealed record Person(string Username, string ApiKey, string CompanionId);

/// <summary>
/// Creates the simulated people once and keeps them in people.json in the data folder, so later runs start at once.
/// A few sign up through the API as a person would. The rest are written into accounts.db in one transaction, all
/// sharing one password hash computed by the production hasher (PBKDF2, 100,000 iterations): thousands of sign-ups
/// would otherwise spend minutes hashing, and the server's own hashing is left exactly as it is.
/// </summary>
internal static class People
{
    private const string Password = "load-harness-password";
    private const int ThroughApi = 10;

    public static async Task<List<Person>> EnsureAsync(LoadOptions options, Uri server, bool serverIsOurs, CancellationToken cancellationToken)
    {
        var file = Path.Combine(options.DataDirectory, "people.json");
        var people = File.Exists(file) ? JsonSerializer.Deserialize<List<Person>>(await File.ReadAllTextAsync(file, cancellationToken)) ?? [] : [];
        if (people.Count >= options.Accounts)
        {
            return people;
        }

        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };
        var missing = options.Accounts - people.Count;
        var viaApi = serverIsOurs ? Math.Min(missing, ThroughApi) : missing;
        var keys = new List<(string Username, string Key)>();
        for (var i = 0; i < viaApi; i++)
        {
            keys.Add(await SignUpAsync(http, Username(people.Count + i), cancellationToken));
        }

        if (missing > viaApi)
        {
            // SQLite in WAL mode: the running server sees these rows at once.
            keys.AddRange(SeedAccounts(Path.Combine(options.DataDirectory, "accounts.db"), people.Count + viaApi, missing - viaApi));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {missing} accounts ({viaApi} through the API) in {clock.Elapsed.TotalSeconds:F1} s; creating their companions"));
        var created = new Person[keys.Count];
        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < keys.Count)
            {
                created[i] = new Person(keys[i].Username, keys[i].Key, await CreateCompanionAsync(http, keys[i].Key, cancellationToken));
            }
        });
        await Task.WhenAll(workers);
        people.AddRange(created);
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(people), cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {missing} people ready in {clock.Elapsed.TotalSeconds:F1} s (kept in {file})"));
        return people;
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
    private static List<(string, string)> SeedAccounts(string accountsDb, int first, int count)
    {
        var hash = new PasswordHasher<string>().HashPassword("", Password);
        var now = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture);
        var keys = new List<(string, string)>(count);
        using var connection = new SqliteConnection($"Data Source={accountsDb};Foreign Keys=True");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var account = connection.CreateCommand();
        account.CommandText = "INSERT INTO accounts (id, username, password_hash, created_at) VALUES ($id, $u, $h, $at);";
        using var credential = connection.CreateCommand();
        credential.CommandText = "INSERT INTO credentials (id, account_id, kind, name, secret_hash, created_at) VALUES ($id, $a, 1, 'load', $h, $at);";
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
            keys.Add((username, secret));
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
