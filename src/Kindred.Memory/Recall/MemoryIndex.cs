using System.Collections.Concurrent;
using Kindred.Core;
using Microsoft.Extensions.AI;

namespace Kindred.Memory.Recall;

/// <summary>
/// Hybrid search over everything a companion and its person have said: full text (BM25, in memory) and meaning
/// (embeddings, exact search), fused, then weighed by who the question names, the time it names and each hit's
/// neighbours (<see cref="RecallRanking"/>). Each companion's vectors are loaded into memory on first
/// use; the store keeps them durably.
/// </summary>
/// <remarks>
/// The owner of a companion (its life) holds that companion's memory itself (<see cref="Open"/>). The id-keyed methods
/// here are for callers that own no companion (the CLI's commands, evaluation; the server's memory routes go through
/// the life, so the server uses none of them): they share one <see cref="CompanionMemory"/> per companion, kept until
/// <see cref="Unload"/>. Both catch up from the store before each search, so each sees what the other remembered.
/// </remarks>
public sealed class MemoryIndex : IDisposable
{
    private readonly IMemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly int _dimensions;
    private readonly ConcurrentDictionary<string, CompanionMemory> _shared = new(StringComparer.Ordinal);

    /// <summary>
    /// Cosine similarity below which a turn found by meaning alone is not a memory worth bringing up (default 0.2:
    /// all-MiniLM-L6-v2 puts unrelated sentences below about 0.15). Turns that also share words always count.
    /// </summary>
    public float MinimumSimilarity { get; init; } = DefaultMinimumSimilarity;

    /// <summary>The default of <see cref="MinimumSimilarity"/>.</summary>
    public const float DefaultMinimumSimilarity = 0.2f;

    /// <summary>The weights of recall's signals (default <see cref="RecallOptions.Default"/>).</summary>
    public RecallOptions Options
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            field = value;
        }
    } = RecallOptions.Default;

    /// <exception cref="ArgumentException">The embedder does not say how many dimensions its vectors have.</exception>
    public MemoryIndex(IMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> embedder)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(embedder);
        _store = store;
        _embedder = embedder;
        _dimensions = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions
            ?? throw new ArgumentException("The embedding generator must report its dimensions in its metadata.", nameof(embedder));
    }

    /// <summary>A new memory of one companion, for its owner to hold and dispose.</summary>
    public CompanionMemory Open(string companionId) =>
        new(companionId, this);

    internal IMemoryStore Store => _store;

    internal IEmbeddingGenerator<string, Embedding<float>> Embedder => _embedder;

    internal int Dimensions => _dimensions;

    /// <summary>Embeds and indexes turns (in batches, per companion), durably and in memory. Empty turns are skipped.</summary>
    public async Task IndexTurnsAsync(IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        foreach (var group in turns.GroupBy(t => t.CompanionId, StringComparer.Ordinal))
        {
            await Shared(group.Key).IndexTurnsAsync([.. group], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="CompanionMemory.RememberAsync"/>
    public Task RememberAsync(string companionId, IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken) =>
        Shared(companionId).RememberAsync(turns, cancellationToken);

    /// <inheritdoc cref="CompanionMemory.IndexPendingAsync"/>
    public Task<int> IndexPendingAsync(string companionId, CancellationToken cancellationToken, int maxTurns = int.MaxValue) =>
        Shared(companionId).IndexPendingAsync(cancellationToken, maxTurns);

    /// <inheritdoc cref="CompanionMemory.SearchAsync(string, int, DateTimeOffset, CancellationToken)"/>
    public Task<IReadOnlyList<MemoryHit>> SearchAsync(string companionId, string query, int limit, DateTimeOffset now, CancellationToken cancellationToken) =>
        Shared(companionId).SearchAsync(query, limit, now, cancellationToken);

    /// <inheritdoc cref="CompanionMemory.SearchAsync(string, ReadOnlyMemory{float}?, int, DateTimeOffset, TimeWindow?, CancellationToken)"/>
    public Task<IReadOnlyList<MemoryHit>> SearchAsync(
        string companionId, string query, ReadOnlyMemory<float>? queryVector, int limit, DateTimeOffset now, TimeWindow? during, CancellationToken cancellationToken) =>
        Shared(companionId).SearchAsync(query, queryVector, limit, now, during, cancellationToken);

    /// <inheritdoc cref="CompanionMemory.GatherAsync"/>
    public Task<RecallCandidates> GatherAsync(
        string companionId, string query, ReadOnlyMemory<float>? queryVector, int perRetriever, DateTimeOffset now, CancellationToken cancellationToken) =>
        Shared(companionId).GatherAsync(query, queryVector, perRetriever, now, cancellationToken);

    /// <inheritdoc cref="CompanionMemory.ForgetTurnAsync"/>
    public Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken) =>
        Shared(companionId).ForgetTurnAsync(turnId, cancellationToken);

    /// <summary>Forgets a companion and everything it remembers, in the store and in this index.</summary>
    public async Task<bool> ForgetCompanionAsync(string companionId, CancellationToken cancellationToken)
    {
        var forgotten = await _store.ForgetCompanionAsync(companionId, cancellationToken).ConfigureAwait(false);
        Unload(companionId);
        return forgotten;
    }

    /// <summary>
    /// Drops what is held in memory here for a companion; its next search loads it again from the store. For a caller
    /// that deleted turns through the store directly (forgetting a person): until then those turns' terms and vectors
    /// stay in memory, though a search never returns a turn the store no longer has.
    /// </summary>
    public void Unload(string companionId)
    {
        if (_shared.TryRemove(companionId, out var memory))
        {
            memory.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var memory in _shared.Values)
        {
            memory.Dispose();
        }

        _shared.Clear();
    }

    /// <summary>The memory of a companion this index shares among callers that own none.</summary>
    internal CompanionMemory Shared(string companionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _shared.GetOrAdd(companionId, Open);
    }
}
