using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using Kindred.Core;
using Kindred.Memory;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Recall;
using Kindred.Models.Embeddings;
using Kindred.Models.Local;
using Kindred.Server.Accounts;
using Kindred.Server.Companions;
using Kindred.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;

namespace Kindred.Server.Tests.TestSupport;

/// <summary>
/// A real Kindred server on 127.0.0.1 with its own free ports and its own data folder, over the real store, the
/// real MiniLM embeddings and (unless a test brings its own chat client) the real stories260K model.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IFullCompanionStore _store;
    private readonly MemoryIndex _memory;
    private readonly MiniLmEmbeddingGenerator _embedder;
    private readonly bool _ownsDataDirectory;

    private TestServer(WebApplication app, IFullCompanionStore store, MemoryIndex memory, MiniLmEmbeddingGenerator embedder, LocalModel? model, string dataDirectory, bool ownsDataDirectory)
    {
        _app = app;
        _store = store;
        _memory = memory;
        _embedder = embedder;
        Model = model;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        BaseAddress = app.ListeningAddress();
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>The server's store, for arranging what a test needs (facts, people) directly.</summary>
    public IFullCompanionStore Store => _store;

    public LocalModel? Model { get; }

    public string DataDirectory { get; }

    /// <param name="chat">A chat client of the test's own; null loads stories260K.</param>
    /// <param name="dataDirectory">An existing data folder to reuse (a restart); null makes a fresh one, removed at the end.</param>
    /// <param name="store">The store to serve (the server disposes it); null opens SQLite in the data folder.</param>
    /// <param name="extractor">How the server learns facts and people after a turn; null keeps its default (the built-in rules).</param>
    public static async Task<TestServer> StartAsync(
        Action<ServerOptions>? configure = null,
        IChatClient? chat = null,
        string? dataDirectory = null,
        int sequences = 4,
        int queued = 16,
        int contextLength = 0,
        TimeProvider? clock = null,
        string timeZone = "UTC",
        IFullCompanionStore? store = null,
        IKnowledgeExtractor? extractor = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("kindred-server-test-").FullName;
        store ??= await SqliteCompanionStore.OpenAsync(Path.Combine(dataDirectory, "kindred.db"), TimeProvider.System, CancellationToken.None);
        var embedder = new MiniLmEmbeddingGenerator(threadsPerCall: 1);
        var memory = new MemoryIndex(store, embedder);
        LocalModel? model = null;
        ITokenCounter tokens;
        if (chat is null)
        {
            model = LocalModel.Load(new LocalModelOptions
            {
                ModelPath = SharedModels.Stories260K,
                MaxConcurrentSequences = sequences,
                MaxQueuedRequests = queued,
                ContextLength = contextLength > 0 ? contextLength : 512 * sequences,
                Threads = 1,
            });
            chat = model.AsChatClient();
            tokens = model;
        }
        else
        {
            tokens = new WordCounter();
        }

        var companion = new CompanionOptions { MaxReplyTokens = 24 };
        var backend = new CompanionBackend(store, memory, chat, tokens, "test-model", dataDirectory, companion, model?.Scheduler, clock, new Kindred.Core.Inner.InnerLifeOptions { TimeZoneId = timeZone }, extractor);

        // A free port can be taken by another test process between finding it and binding it: try fresh ones.
        for (var attempt = 1; ; attempt++)
        {
            var options = new ServerOptions { Port = 0, SiloPort = FreePort(), GatewayPort = FreePort(), ServiceId = "kindred-test", SignInsPerMinute = 1000 };
            configure?.Invoke(options);
            var app = await KindredServer.BuildAsync(options, backend, null, CancellationToken.None);
            try
            {
                await app.StartAsync();
                return new TestServer(app, store, memory, embedder, model, dataDirectory, owns);
            }
            catch (Microsoft.AspNetCore.Connections.AddressInUseException) when (attempt < 5 && options.SiloPort != 0)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>Signs up a new account and signs it in; the client sends its token.</summary>
    public async Task<HttpClient> SignedInClientAsync(string? username = null)
    {
        username ??= "person-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "correct horse battery";
        (await Http.PostAsJsonAsync("/api/accounts", new { username, password })).EnsureSuccessStatusCode();
        var signIn = await Http.PostAsJsonAsync("/api/sessions", new { username, password });
        signIn.EnsureSuccessStatusCode();
        var token = (await signIn.Content.ReadFromJsonAsync<TokenIssued>())!.Token;
        return ClientWith(token);
    }

    public HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public static async Task<CompanionCreated> CreateCompanionAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/companions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CompanionCreated>())!;
    }

    public async Task<ClientWebSocket> ConnectLiveAsync(HttpClient client, string companionId)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", client.DefaultRequestHeaders.Authorization!.ToString());
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(BaseAddress) { Scheme = "ws", Path = $"/api/companions/{companionId}/live" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    public Uri WebSocketUri(string companionId) => new UriBuilder(BaseAddress) { Scheme = "ws", Path = $"/api/companions/{companionId}/live" }.Uri;

    /// <summary>The running server's services.</summary>
    public IServiceProvider Services => _app.Services;

    public Microsoft.AspNetCore.Routing.EndpointDataSource Endpoints =>
        (Microsoft.AspNetCore.Routing.EndpointDataSource)_app.Services.GetService(typeof(Microsoft.AspNetCore.Routing.EndpointDataSource))!;

    /// <summary>Stops the server, keeping the data folder when it was handed in.</summary>
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _memory.Dispose();
        _embedder.Dispose();
        Model?.Dispose();
        await _store.DisposeAsync();
        if (_ownsDataDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    // Orleans' listener sets ReuseAddress, so two silos on one port would clash silently: every host gets its own.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class WordCounter : ITokenCounter
    {
        public int ContextLength => 4096;

        public int CountTokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length + 1;
    }
}
