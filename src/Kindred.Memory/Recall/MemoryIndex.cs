using System.Collections.Concurrent;
using Kindred.Core;
using Kindred.Memory.Vectors;
using Microsoft.Extensions.AI;

namespace Kindred.Memory.Recall;

/// <summary>
/// Hybrid search over everything a companion and its person have said: full text (FTS5, BM25) and meaning
/// (embeddings, exact search), fused by reciprocal rank. Each companion's vectors are loaded into memory on first
/// use; the store keeps them durably.
/// </summary>
public sealed class MemoryIndex : IDisposable
{
    /// <summary>How many candidates each retriever offers the fusion (default 50).</summary>
    public const int CandidatesPerRetriever = 50;

    // Reciprocal-rank fusion constant; 60 is the usual choice (Cormack et al., 2009) and rewards agreement.
    private const int FusionK = 60;
    private const int EmbeddingBatch = 64;

    private readonly IMemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly int _dimensions;
    private readonly ConcurrentDictionary<string, Lazy<Task<ExactVectorIndex>>> _indexes = new(StringComparer.Ordinal);

    /// <summary>
    /// Cosine similarity below which a turn found by meaning alone is not a memory worth bringing up (default 0.2:
    /// all-MiniLM-L6-v2 puts unrelated sentences below about 0.15). Turns that also share words always count.
    /// </summary>
    public float MinimumSimilarity { get; init; } = 0.2f;

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

    /// <summary>Embeds and indexes turns (in batches), durably and in memory. Empty turns are skipped.</summary>
    public async Task IndexTurnsAsync(IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        foreach (var batch in turns.Where(t => !string.IsNullOrWhiteSpace(t.Text)).Chunk(EmbeddingBatch))
        {
            var embeddings = await _embedder.GenerateAsync(batch.Select(t => t.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
            var rows = new List<(long, byte[])>(batch.Length);
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add((batch[i].Id, VectorCodec.Encode(embeddings[i].Vector.Span)));
            }

            await _store.SaveTurnVectorsAsync(rows, cancellationToken).ConfigureAwait(false);
            foreach (var group in batch.Select((turn, i) => (turn, i)).GroupBy(x => x.turn.CompanionId, StringComparer.Ordinal))
            {
                var index = await IndexOfAsync(group.Key, cancellationToken).ConfigureAwait(false);
                foreach (var (turn, i) in group)
                {
                    index.Add(turn.Id, embeddings[i].Vector.Span);
                }
            }
        }
    }

    /// <summary>
    /// Indexes what the companion has said that is not indexed yet (the turns of this session, or a whole imported
    /// history), oldest first, at most <paramref name="maxTurns"/> of them.
    /// </summary>
    /// <returns>How many turns were indexed.</returns>
    public async Task<int> IndexPendingAsync(string companionId, CancellationToken cancellationToken, int maxTurns = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTurns);
        var indexed = 0;
        while (indexed < maxTurns)
        {
            var pending = await _store.GetUnindexedTurnsAsync(companionId, Math.Min(EmbeddingBatch * 4, maxTurns - indexed), cancellationToken).ConfigureAwait(false);
            if (pending.Count == 0)
            {
                break;
            }

            await IndexTurnsAsync(pending, cancellationToken).ConfigureAwait(false);
            indexed += pending.Count;
        }

        return indexed;
    }

    /// <summary>
    /// The turns that best match <paramref name="query"/>, best first. Only turns said at or before
    /// <paramref name="now"/> count: memory does not know the future of the moment it is asked about.
    /// </summary>
    public async Task<IReadOnlyList<MemoryHit>> SearchAsync(string companionId, string query, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0 || string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var pool = Math.Max(limit, CandidatesPerRetriever);
        var words = await _store.SearchTurnsAsync(companionId, query, pool, cancellationToken).ConfigureAwait(false);
        var index = await IndexOfAsync(companionId, cancellationToken).ConfigureAwait(false);
        var queryVector = (await _embedder.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        var meaning = index.Search(queryVector.Span, pool).Where(m => m.Score >= MinimumSimilarity).ToList();

        var fused = new Dictionary<long, (double Score, bool Words, bool Meaning)>();
        for (var rank = 0; rank < words.Count; rank++)
        {
            var current = fused.GetValueOrDefault(words[rank].TurnId);
            fused[words[rank].TurnId] = (current.Score + (1.0 / (FusionK + rank + 1)), true, current.Meaning);
        }

        for (var rank = 0; rank < meaning.Count; rank++)
        {
            var current = fused.GetValueOrDefault(meaning[rank].Id);
            fused[meaning[rank].Id] = (current.Score + (1.0 / (FusionK + rank + 1)), current.Words, true);
        }

        var turns = await _store.GetTurnsAsync(companionId, fused.Keys, cancellationToken).ConfigureAwait(false);
        return [.. turns
            .Where(t => t.At <= now)
            .Select(t => (Turn: t, Match: fused[t.Id]))
            .OrderByDescending(x => x.Match.Score)
            .ThenByDescending(x => x.Turn.Id)
            .Take(limit)
            .Select(x => new MemoryHit(x.Turn, x.Match.Score, Why(x.Match.Words, x.Match.Meaning)))];
    }

    /// <summary>Forgets a turn everywhere: the store (text, full-text index, vector) and this index.</summary>
    public async Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken)
    {
        var forgotten = await _store.ForgetTurnAsync(companionId, turnId, cancellationToken).ConfigureAwait(false);
        if (forgotten && _indexes.TryGetValue(companionId, out var loaded) && loaded.IsValueCreated)
        {
            (await loaded.Value.ConfigureAwait(false)).Remove(turnId);
        }

        return forgotten;
    }

    /// <summary>Forgets a companion and everything it remembers, in the store and in this index.</summary>
    public async Task<bool> ForgetCompanionAsync(string companionId, CancellationToken cancellationToken)
    {
        var forgotten = await _store.ForgetCompanionAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (_indexes.TryRemove(companionId, out var loaded) && loaded.IsValueCreated && loaded.Value.IsCompletedSuccessfully)
        {
            loaded.Value.Result.Dispose();
        }

        return forgotten;
    }

    public void Dispose()
    {
        foreach (var loaded in _indexes.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            loaded.Value.Result.Dispose();
        }

        _indexes.Clear();
    }

    private static string Why(bool words, bool meaning) => (words, meaning) switch
    {
        (true, true) => "shares words and meaning with the question",
        (true, false) => "shares words with the question",
        _ => "close in meaning to the question",
    };

    private Task<ExactVectorIndex> IndexOfAsync(string companionId, CancellationToken cancellationToken)
    {
        var lazy = _indexes.GetOrAdd(companionId, id => new Lazy<Task<ExactVectorIndex>>(() => LoadAsync(id, CancellationToken.None)));
        var task = lazy.Value;
        if (task.IsFaulted)
        {
            // A failed load (say, a cancelled read) must not poison the companion forever.
            _indexes.TryRemove(new KeyValuePair<string, Lazy<Task<ExactVectorIndex>>>(companionId, lazy));
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<ExactVectorIndex> LoadAsync(string companionId, CancellationToken cancellationToken)
    {
        var stored = await _store.LoadTurnVectorsAsync(companionId, cancellationToken).ConfigureAwait(false);
        var index = new ExactVectorIndex(_dimensions, stored.Count);
        foreach (var (turnId, bytes) in stored)
        {
            index.Add(turnId, VectorCodec.Decode(bytes));
        }

        return index;
    }
}
