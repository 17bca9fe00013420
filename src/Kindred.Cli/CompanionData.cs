using Kindred.Cli.Configuration;
using Kindred.Core.Inner;
using Kindred.Memory;
using Kindred.Memory.Recall;
using Kindred.Models.Embeddings;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindred.Cli;

/// <summary>
/// One companion's store, opened from settings, with what commands that need no chat model build on it: long-term
/// memory and the inner life. <see cref="CompanionRuntime"/> adds the model for chat and the server.
/// </summary>
internal sealed class CompanionData : IAsyncDisposable
{
    private readonly InnerLifeOptions _inner;
    private MiniLmEmbeddingGenerator? _embedder;
    private MemoryIndex? _memory;
    private InnerLife? _life;

    private CompanionData(IFullCompanionStore store, KindredSettings settings)
    {
        Store = store;
        CompanionId = settings.CompanionId;
        _inner = settings.Inner;
    }

    /// <summary>Turns, memory, facts, people and the inner life (either provider keeps all of it).</summary>
    public IFullCompanionStore Store { get; }

    public string CompanionId { get; }

    /// <summary>Long-term memory: hybrid search over every turn. Made when first asked for, since the embedder takes a moment to load.</summary>
    public MemoryIndex Memory => _memory ??= new MemoryIndex(Store, _embedder ??= new MiniLmEmbeddingGenerator());

    /// <summary>The inner life without a model: what it keeps can be read and changed, and nothing is appraised.</summary>
    public InnerLife Life => _life ??= new InnerLife(Store, null, TimeProvider.System, _inner, NullLogger.Instance);

    /// <summary>Whether a companion can be in the configured store: PostgreSQL, or a SQLite file in the data folder.</summary>
    public static bool MayExist(KindredSettings settings, string dataDirectory) =>
        settings.Store.UsesPostgres || File.Exists(CompanionRuntime.DatabasePath(dataDirectory));

    /// <summary>The configured store (SQLite in the data folder, or PostgreSQL), made when it is not there yet.</summary>
    public static async Task<CompanionData> OpenAsync(KindredSettings settings, string dataDirectory, CancellationToken cancellationToken) =>
        new(await settings.Store.OpenAsync(CompanionRuntime.DatabasePath(dataDirectory), TimeProvider.System, cancellationToken).ConfigureAwait(false), settings);

    /// <summary>The configured store, for commands that read what is there.</summary>
    /// <exception cref="ArgumentException">SQLite is configured and no companion has woken in the data folder yet.</exception>
    public static async Task<CompanionData> OpenExistingAsync(KindredSettings settings, string dataDirectory, CancellationToken cancellationToken)
    {
        if (!MayExist(settings, dataDirectory))
        {
            throw new ArgumentException($"No companion has woken in {dataDirectory} yet; start one with 'kindred chat'.");
        }

        return await OpenAsync(settings, dataDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The configured store, for commands about the configured companion's inner life.</summary>
    /// <exception cref="ArgumentException">That companion has not woken yet.</exception>
    public static async Task<CompanionData> OpenCompanionAsync(KindredSettings settings, string dataDirectory, CancellationToken cancellationToken)
    {
        var data = await OpenExistingAsync(settings, dataDirectory, cancellationToken).ConfigureAwait(false);
        if (await data.Store.FindCompanionAsync(settings.CompanionId, cancellationToken).ConfigureAwait(false) is null)
        {
            await data.DisposeAsync().ConfigureAwait(false);
            throw new ArgumentException($"There is no companion '{settings.CompanionId}' in {dataDirectory}; start one with 'kindred chat'.");
        }

        return data;
    }

    /// <summary>The person's time zone, from the outreach policy.</summary>
    public async Task<TimeZoneInfo> ZoneAsync(CancellationToken cancellationToken) =>
        (await Life.GetPolicyAsync(CompanionId, cancellationToken).ConfigureAwait(false)).Validate();

    public async ValueTask DisposeAsync()
    {
        _memory?.Dispose();
        _embedder?.Dispose();
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}
