using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Memory;
using Kindred.Memory.Postgres;
using Kindred.Memory.Recall;
using Kindred.Memory.Tests.Contract;
using Kindred.Models.Embeddings;
using Kindred.Models.Local;
using Kindred.Server.Tests.TestSupport;
using Kindred.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Kindred.Server.Tests;

/// <summary>
/// Two Kindred hosts in one test, each with its own ports, model, store connection and data folder, clustered through
/// Orleans' ADO.NET provider on a real PostgreSQL (the tables made by Kindred's own set-up) and sharing the PostgreSQL
/// store, accounts included: a companion is active on exactly one silo, a turn sent through either host reaches it, a
/// live conversation on either host hears what she says unprompted, and an account made through one host signs in
/// through the other.
/// </summary>
public sealed class TwoSiloTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_companion_is_active_on_one_silo_and_a_turn_through_either_host_reaches_it()
    {
        var database = await postgres.CreateDatabaseAsync("t_two_silos");
        var cluster = "two-silos-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await SiloHost.StartAsync(database, cluster);
        await using var second = await SiloHost.StartAsync(database, cluster);
        await first.WaitForActiveSilosAsync(2);

        using var client = await SignedInClientAsync(first.Http);
        var created = await client.PostAsync(new Uri(first.Address, "/api/companions"), null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var companionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("companionId").GetString()!;

        using var throughFirst = client.WithBase(first.Address);
        using var throughSecond = client.WithBase(second.Address);
        var (_, firstEvents) = await throughFirst.SayAsync(companionId, "Once upon a time there was a dog");
        var (_, secondEvents) = await throughSecond.SayAsync(companionId, "Once upon a time there was a cat");
        Assert.Equal("done", firstEvents[^1]);
        Assert.Equal("done", secondEvents[^1]);

        var history = await throughSecond.GetFromJsonAsync<JsonElement>($"/api/companions/{companionId}/history");
        var said = history.GetProperty("turns").EnumerateArray()
            .Where(turn => turn.GetProperty("speaker").GetString() == "person")
            .Select(turn => turn.GetProperty("text").GetString())
            .ToList();
        Assert.Equal(["Once upon a time there was a dog", "Once upon a time there was a cat"], said);

        var activations = await first.ActivationsOfAsync(companionId);
        Assert.Single(activations);
        Assert.Equal(activations, await second.ActivationsOfAsync(companionId));
    }

    [Fact]
    public async Task An_account_made_through_one_silo_signs_in_through_the_other_with_no_shared_data_folder()
    {
        var database = await postgres.CreateDatabaseAsync("t_two_silo_accounts");
        var cluster = "two-silo-accounts-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await SiloHost.StartAsync(database, cluster);
        await using var second = await SiloHost.StartAsync(database, cluster);
        var credentials = new { username = "Ines", password = "correct horse battery" };

        Assert.Equal(HttpStatusCode.Created, (await first.Http.PostAsJsonAsync("/api/accounts", credentials)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await second.Http.PostAsJsonAsync("/api/accounts", credentials with { username = "INES" })).StatusCode);
        var signIn = await second.Http.PostAsJsonAsync("/api/sessions", credentials with { username = "ines" });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var badName = await second.Http.PostAsJsonAsync("/api/sessions", credentials with { username = "in\u0000es" });
        Assert.Equal(HttpStatusCode.Unauthorized, badName.StatusCode);

        // The token from the second silo works on the first; a key made on the first is revoked through the second.
        using var throughFirst = Bearer(first.Address, token);
        using var throughSecond = Bearer(second.Address, token);
        var key = await throughFirst.PostAsJsonAsync("/api/keys", new { name = "laptop" });
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        var keyBody = await key.Content.ReadFromJsonAsync<JsonElement>();
        using var withKey = Bearer(second.Address, keyBody.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await throughSecond.DeleteAsync($"/api/keys/{keyBody.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/keys")).StatusCode);

        // Signing out through one silo ends the token on the other at once.
        Assert.Equal(HttpStatusCode.NoContent, (await throughFirst.DeleteAsync("/api/sessions/current")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await throughSecond.GetAsync("/api/keys")).StatusCode);

        Assert.False(File.Exists(Path.Combine(first.DataDirectory, "accounts.db")));
        Assert.False(File.Exists(Path.Combine(second.DataDirectory, "accounts.db")));
    }

    [Fact]
    public async Task A_conversation_on_one_silo_hears_the_outreach_of_a_companion_whose_grain_is_on_the_other()
    {
        var database = await postgres.CreateDatabaseAsync("t_two_silo_outreach");
        var cluster = "two-silo-outreach-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await SiloHost.StartAsync(database, cluster);
        await using var second = await SiloHost.StartAsync(database, cluster);
        await first.WaitForActiveSilosAsync(2);
        using var client = await SignedInClientAsync(first.Http);
        var created = await client.PostAsync(new Uri(first.Address, "/api/companions"), null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var companionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("companionId").GetString()!;

        // Creating it woke its grain on one silo; the person connects to the other.
        var home = Assert.Single(await first.ActivationsOfAsync(companionId));
        var away = first.SiloAddress == home ? second : first;
        using var socket = await away.ConnectLiveAsync(client, companionId);
        Assert.Equal("ready", (await socket.ReceiveAsync()).GetProperty("type").GetString());

        // Something comes due, and the silo her grain is on (not the person's) is told: it wakes her grain, which tells
        // the conversation on the other silo (no recheck in time: it is a day here).
        var now = TimeProvider.System.GetUtcNow();
        var item = await away.Store.AddOutreachAsync(
            new NewOutreach(companionId, OutreachKind.Reminder, "You asked me to remind you: water the plants.", now - TimeSpan.FromSeconds(1), now, null), CancellationToken.None);
        var atHome = away == first ? second : first;
        using var throughHome = client.WithBase(atHome.Address);
        (await throughHome.PutAsJsonAsync($"/api/companions/{companionId}/outreach-settings", new { })).EnsureSuccessStatusCode();

        var outreach = await socket.ReceiveAsync();
        Assert.Equal("outreach", outreach.GetProperty("type").GetString());
        Assert.Equal(item.Id, outreach.GetProperty("id").GetInt64());
        Assert.Equal("You asked me to remind you: water the plants.", outreach.GetProperty("text").GetString());
        Assert.Equal([home], await away.ActivationsOfAsync(companionId));
        var history = await throughHome.GetStringAsync($"/api/companions/{companionId}/history");
        Assert.Contains("water the plants", history, StringComparison.Ordinal);
    }

    private static HttpClient Bearer(Uri address, string secret)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }

    private static async Task<HttpClient> SignedInClientAsync(HttpClient http)
    {
        var credentials = new { username = "two-silos", password = "correct horse battery" };
        (await http.PostAsJsonAsync("/api/accounts", credentials)).EnsureSuccessStatusCode();
        var signIn = await http.PostAsJsonAsync("/api/sessions", credentials);
        signIn.EnsureSuccessStatusCode();
        var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        return client;
    }

    /// <summary>One silo: its own model, embedder, store connection and data folder; accounts are in the PostgreSQL store.</summary>
    private sealed class SiloHost : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly PostgresCompanionStore _store;
        private readonly MemoryIndex _memory;
        private readonly MiniLmEmbeddingGenerator _embedder;
        private readonly LocalModel _model;

        private SiloHost(WebApplication app, PostgresCompanionStore store, MemoryIndex memory, MiniLmEmbeddingGenerator embedder, LocalModel model, string dataDirectory)
        {
            DataDirectory = dataDirectory;
            _app = app;
            _store = store;
            _memory = memory;
            _embedder = embedder;
            _model = model;
            Address = app.ListeningAddress();
            Http = new HttpClient { BaseAddress = Address };
        }

        public Uri Address { get; }

        public HttpClient Http { get; }

        public string DataDirectory { get; }

        /// <summary>The store this silo's companions keep their state in (shared with the other silo).</summary>
        public PostgresCompanionStore Store => _store;

        /// <summary>This silo's address, as <see cref="ActivationsOfAsync"/> names silos.</summary>
        public string SiloAddress => _app.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

        /// <summary>Opens a live conversation through this silo's host.</summary>
        public async Task<ClientWebSocket> ConnectLiveAsync(HttpClient client, string companionId)
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", client.DefaultRequestHeaders.Authorization!.ToString());
            await socket.ConnectAsync(new UriBuilder(Address) { Scheme = "ws", Path = $"/api/companions/{companionId}/live" }.Uri, CancellationToken.None);
            return socket;
        }

        public static async Task<SiloHost> StartAsync(string database, string cluster)
        {
            var dataDirectory = Directory.CreateTempSubdirectory("kindred-silo-").FullName;
            var store = await PostgresCompanionStore.OpenAsync(database, TimeProvider.System, CancellationToken.None);
            var embedder = new MiniLmEmbeddingGenerator(threadsPerCall: 1);
            var memory = new MemoryIndex(store, embedder);
            var model = LocalModel.Load(new LocalModelOptions { ModelPath = SharedModels.Stories260K, MaxConcurrentSequences = 1, ContextLength = 512, Threads = 1 });
            var backend = new CompanionBackend(store, memory, model.AsChatClient(), model, "test-model", dataDirectory, new CompanionOptions { MaxReplyTokens = 16 }, model.Scheduler,
                StoreSettings: new StoreOptions { Provider = StoreOptions.PostgresProvider, ConnectionString = database });
            var options = new ServerOptions
            {
                Port = 0,
                SiloPort = FreePort(),
                GatewayPort = FreePort(),
                ClusterId = cluster,
                ServiceId = "kindred-two-silos",
                Clustering = "postgres",
                ClusteringConnectionString = database,
                SignInsPerMinute = 1000,
                OutreachRecheckSeconds = 86_400,
            };
            var app = await KindredServer.BuildAsync(options, backend, null, CancellationToken.None);
            await app.StartAsync();
            return new SiloHost(app, store, memory, embedder, model, dataDirectory);
        }

        /// <summary>Waits (on membership updates, not a clock) until the cluster has this many active silos.</summary>
        public async Task WaitForActiveSilosAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var membership = _app.Services.GetRequiredService<IClusterMembershipService>();
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(timeout.Token))
            {
                if (snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) >= count)
                {
                    return;
                }
            }
        }

        /// <summary>The silos where this companion's grain is active, as this silo's management grain sees the cluster.</summary>
        public async Task<List<string>> ActivationsOfAsync(string companionId)
        {
            var management = _app.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
            var statistics = await management.GetDetailedGrainStatistics();
            return [.. statistics.Where(s => s.GrainId.Key.ToString() == companionId).Select(s => s.SiloAddress.ToString())];
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            _memory.Dispose();
            _embedder.Dispose();
            _model.Dispose();
            await _store.DisposeAsync();
            Directory.Delete(DataDirectory, recursive: true);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

internal static class ClientAddress
{
    /// <summary>A client that sends the same credentials to another host.</summary>
    public static HttpClient WithBase(this HttpClient client, Uri address)
    {
        var copy = new HttpClient { BaseAddress = address };
        copy.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        return copy;
    }
}
