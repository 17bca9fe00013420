using System.Collections.Concurrent;
using Kindred.Core;
using Kindred.Memory.Vectors;
using Microsoft.Extensions.AI;

namespace Kindred.Memory.Recall;

/// <summary>
/// Hybrid search over everything a companion and its person have said: full text (FTS5, BM25) and meaning
/// (embeddings, exact search), fused, then weighed by who the question names, the time it names and each hit's
/// neighbours (<see cref="RecallRanking"/>). Each companion's vectors are loaded into memory on first
/// use; the store keeps them durably.
/// </summary>
public sealed class MemoryIndex : IDisposable
{
    private const int EmbeddingBatch = 64;

    private readonly IMemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly int _dimensions;
    private readonly ConcurrentDictionary<string, Lazy<Task<ExactVectorIndex>>> _indexes = new(StringComparer.Ordinal);

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
    /// <paramref name="now"/> count: memory does not know the future of the moment it is asked about. A time the
    /// query names ("last week", "in June") is read relative to <paramref name="now"/> and favours turns said then.
    /// </summary>
    public Task<IReadOnlyList<MemoryHit>> SearchAsync(string companionId, string query, int limit, DateTimeOffset now, CancellationToken cancellationToken) =>
        SearchAsync(companionId, query, queryVector: null, limit, now, during: null, cancellationToken);

    /// <summary>
    /// As <see cref="SearchAsync(string, string, int, DateTimeOffset, CancellationToken)"/>, with the query's
    /// embedding when the caller has it (null: embedded here), and, when <paramref name="during"/> is given, only
    /// turns said within that window.
    /// </summary>
    public async Task<IReadOnlyList<MemoryHit>> SearchAsync(
        string companionId, string query, ReadOnlyMemory<float>? queryVector, int limit, DateTimeOffset now, TimeWindow? during, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var gathered = await GatherAsync(companionId, query, queryVector, Math.Max(limit, Options.CandidatesPerRetriever), now, cancellationToken).ConfigureAwait(false);
        if (during is not null)
        {
            gathered = gathered with { Candidates = [.. gathered.Candidates.Where(c => during.Contains(c.Turn.At))] };
        }

        var hits = RecallRanking.Rank(gathered, Options, limit, MinimumSimilarity);
        return Options.ContextTurns == 0 ? hits : await WithContextAsync(companionId, hits, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Everything recall weighs for a question, before weighing: each retriever's candidates (at most
    /// <paramref name="perRetriever"/> each, said at or before <paramref name="now"/>) with both scores, their
    /// neighbours, the speaker the question names and the time it names. <see cref="RecallRanking.Rank"/> weighs it.
    /// </summary>
    public async Task<RecallCandidates> GatherAsync(
        string companionId, string query, ReadOnlyMemory<float>? queryVector, int perRetriever, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(perRetriever);
        if (perRetriever == 0 || string.IsNullOrWhiteSpace(query))
        {
            return new RecallCandidates(now, null, null, null, []);
        }

        var words = await _store.SearchTurnsAsync(companionId, query, perRetriever, cancellationToken).ConfigureAwait(false);
        var index = await IndexOfAsync(companionId, cancellationToken).ConfigureAwait(false);
        var vector = queryVector ?? (await _embedder.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        var meaning = index.Search(vector.Span, perRetriever);

        var wordsOf = new Dictionary<long, (double Score, int Rank)>(words.Count);
        for (var rank = 0; rank < words.Count; rank++)
        {
            wordsOf.TryAdd(words[rank].TurnId, (words[rank].Score, rank));
        }

        var meaningOf = new Dictionary<long, (float Score, int Rank)>(meaning.Count);
        for (var rank = 0; rank < meaning.Count; rank++)
        {
            meaningOf[meaning[rank].Id] = (meaning[rank].Score, rank);
        }

        // A turn full text found but meaning did not rank still has a similarity: score it exactly, it is cheap.
        var cosines = index.Score(vector.Span, wordsOf.Keys.Where(id => !meaningOf.ContainsKey(id)));
        var ids = wordsOf.Keys.Union(meaningOf.Keys).ToList();
        var turns = await _store.GetTurnsAsync(companionId, ids, cancellationToken).ConfigureAwait(false);
        var adjacent = await _store.GetAdjacentTurnIdsAsync(companionId, ids, cancellationToken).ConfigureAwait(false);
        var names = await _store.GetSpeakerNamesAsync(companionId, cancellationToken).ConfigureAwait(false);

        var candidates = new List<RecallCandidate>(turns.Count);
        foreach (var turn in turns.Where(t => t.At <= now))
        {
            var (wordsScore, wordsRank) = wordsOf.TryGetValue(turn.Id, out var w) ? (w.Score, w.Rank) : ((double?)null, -1);
            float? cosine = meaningOf.TryGetValue(turn.Id, out var m) ? m.Score : cosines.TryGetValue(turn.Id, out var c) ? c : null;
            var (before, after) = adjacent.GetValueOrDefault(turn.Id);
            candidates.Add(new RecallCandidate(turn, wordsScore, wordsRank, cosine, meaningOf.ContainsKey(turn.Id) ? m.Rank : -1, before, after));
        }

        candidates.AddRange(await NeighboursOfBestAsync(companionId, candidates, vector, index, now, cancellationToken).ConfigureAwait(false));
        var (speaker, namedAs) = QuestionSubject.Find(query, names.CompanionName, names.PersonName);
        return new RecallCandidates(now, speaker, namedAs, TimeExpressions.Find(query, now), candidates);
    }

    /// <summary>The neighbours of each retriever's best turns that neither retriever offered, as candidates.</summary>
    private async Task<IReadOnlyList<RecallCandidate>> NeighboursOfBestAsync(
        string companionId, List<RecallCandidate> candidates, ReadOnlyMemory<float> vector, ExactVectorIndex index, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var best = Options.NeighboursOfBest;
        var known = candidates.Select(c => c.Turn.Id).ToHashSet();
        var ids = candidates
            .Where(c => (c.WordsRank >= 0 && c.WordsRank < best) || (c.MeaningRank >= 0 && c.MeaningRank < best))
            .SelectMany(c => new[] { c.Before, c.After })
            .OfType<long>()
            .Where(id => !known.Contains(id))
            .Distinct()
            .ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var turns = await _store.GetTurnsAsync(companionId, ids, cancellationToken).ConfigureAwait(false);
        var adjacent = await _store.GetAdjacentTurnIdsAsync(companionId, ids, cancellationToken).ConfigureAwait(false);
        var cosines = index.Score(vector.Span, ids);
        return [.. turns
            .Where(t => t.At <= now)
            .Select(t =>
            {
                var (before, after) = adjacent.GetValueOrDefault(t.Id);
                return new RecallCandidate(t, null, -1, cosines.TryGetValue(t.Id, out var cosine) ? cosine : null, -1, before, after, NeighbourOnly: true);
            })];
    }

    private async Task<IReadOnlyList<MemoryHit>> WithContextAsync(string companionId, IReadOnlyList<MemoryHit> hits, CancellationToken cancellationToken)
    {
        if (hits.Count == 0)
        {
            return hits;
        }

        // Walk out from the hits one turn at a time, as far as ContextTurns; each step is one query for all hits.
        var context = hits.ToDictionary(h => h.Turn.Id, _ => new SortedSet<long>());
        var frontier = hits.ToDictionary(h => h.Turn.Id, h => (Before: (long?)h.Turn.Id, After: (long?)h.Turn.Id));
        for (var step = 0; step < Options.ContextTurns; step++)
        {
            var asked = frontier.Values.SelectMany(f => new[] { f.Before, f.After }).OfType<long>().Distinct().ToList();
            if (asked.Count == 0)
            {
                break;
            }

            var adjacent = await _store.GetAdjacentTurnIdsAsync(companionId, asked, cancellationToken).ConfigureAwait(false);
            foreach (var (hitId, (before, after)) in frontier.ToList())
            {
                var nextBefore = before is { } b ? adjacent.GetValueOrDefault(b).Before : null;
                var nextAfter = after is { } a ? adjacent.GetValueOrDefault(a).After : null;
                if (nextBefore is { } nb)
                {
                    context[hitId].Add(nb);
                }

                if (nextAfter is { } na)
                {
                    context[hitId].Add(na);
                }

                frontier[hitId] = (nextBefore, nextAfter);
            }
        }

        var turns = (await _store.GetTurnsAsync(companionId, [.. context.Values.SelectMany(c => c).Distinct()], cancellationToken).ConfigureAwait(false))
            .ToDictionary(t => t.Id);
        return [.. hits.Select(h => h with { Context = [.. context[h.Turn.Id].Where(turns.ContainsKey).Select(id => turns[id])] })];
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
