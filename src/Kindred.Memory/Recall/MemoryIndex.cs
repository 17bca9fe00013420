using System.Collections.Concurrent;
using Kindred.Core;
using Kindred.Memory.Recall.Words;
using Kindred.Memory.Vectors;
using Microsoft.Extensions.AI;

namespace Kindred.Memory.Recall;

/// <summary>
/// Hybrid search over everything a companion and its person have said: full text (BM25, in memory) and meaning
/// (embeddings, exact search), fused, then weighed by who the question names, the time it names and each hit's
/// neighbours (<see cref="RecallRanking"/>). Each companion's vectors are loaded into memory on first
/// use; the store keeps them durably.
/// </summary>
public sealed class MemoryIndex : IDisposable
{
    private const int EmbeddingBatch = 64;

    // Turns read from the store per query when the word index loads or catches up.
    private const int LoadPage = 5_000;

    private readonly IMemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly int _dimensions;
    private readonly ConcurrentDictionary<string, Lazy<Task<CompanionIndex>>> _indexes = new(StringComparer.Ordinal);

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
                    index.Vectors.Add(turn.Id, embeddings[i].Vector.Span);
                }
            }
        }
    }

    /// <summary>
    /// Indexes turns just stored: their meaning (embedded, durably and in memory) and, when the companion's index is
    /// loaded, their words, so the next search finds them without catching up first.
    /// </summary>
    public async Task RememberAsync(string companionId, IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(turns);
        await IndexTurnsAsync(turns, cancellationToken).ConfigureAwait(false);
        if (_indexes.TryGetValue(companionId, out var loaded) && loaded.IsValueCreated && loaded.Value.IsCompletedSuccessfully)
        {
            await CatchUpAsync(companionId, loaded.Value.Result.Words, cancellationToken).ConfigureAwait(false);
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
        while (true)
        {
            var (index, gathered) = await GatherWithoutTextAsync(companionId, query, queryVector, Math.Max(limit, Options.CandidatesPerRetriever), now, cancellationToken).ConfigureAwait(false);
            if (during is not null)
            {
                gathered = gathered with { Candidates = [.. gathered.Candidates.Where(c => during.Contains(c.Turn.At))] };
            }

            var hits = RecallRanking.Rank(gathered, Options, limit, MinimumSimilarity);
            var context = ContextOf(index, hits);

            // The text of the hits and of the turns around them only: one query for a few dozen turns.
            var wanted = hits.Select(h => h.Turn.Id).Concat(context.Values.SelectMany(c => c)).Distinct().ToList();
            var turns = (await _store.GetTurnsAsync(companionId, wanted, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id);
            var vanished = hits.Where(h => !turns.ContainsKey(h.Turn.Id)).Select(h => h.Turn.Id).ToList();
            if (vanished.Count > 0)
            {
                // Deleted through the store behind this index's back (a person forgotten): forget them here, search again.
                ForgetVanished(index, vanished);
                continue;
            }

            return [.. hits.Select(h => h with
            {
                Turn = turns[h.Turn.Id],
                Context = [.. context[h.Turn.Id].Where(turns.ContainsKey).Select(id => turns[id])],
            })];
        }
    }

    /// <summary>
    /// Everything recall weighs for a question, before weighing: each retriever's candidates (at most
    /// <paramref name="perRetriever"/> each, said at or before <paramref name="now"/>) with both scores, their
    /// neighbours, the speaker the question names and the time it names. <see cref="RecallRanking.Rank"/> weighs it.
    /// </summary>
    public async Task<RecallCandidates> GatherAsync(
        string companionId, string query, ReadOnlyMemory<float>? queryVector, int perRetriever, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (index, gathered) = await GatherWithoutTextAsync(companionId, query, queryVector, perRetriever, now, cancellationToken).ConfigureAwait(false);
        var turns = (await _store.GetTurnsAsync(companionId, [.. gathered.Candidates.Select(c => c.Turn.Id)], cancellationToken).ConfigureAwait(false))
            .ToDictionary(t => t.Id);
        ForgetVanished(index, gathered.Candidates.Select(c => c.Turn.Id).Where(id => !turns.ContainsKey(id)));
        return gathered with { Candidates = [.. gathered.Candidates.Where(c => turns.ContainsKey(c.Turn.Id)).Select(c => c with { Turn = turns[c.Turn.Id] })] };
    }

    /// <summary>
    /// <see cref="GatherAsync"/> from memory alone: both retrievers and the neighbour lookups run on this index
    /// (<see cref="WordIndex"/>, <see cref="ExactVectorIndex"/>), and the candidates' turns come without their text
    /// (<see cref="WordIndex.WithoutText"/>). The store is asked only for turns added since the last search and for
    /// the two names.
    /// </summary>
    private async Task<(CompanionIndex Index, RecallCandidates Gathered)> GatherWithoutTextAsync(
        string companionId, string query, ReadOnlyMemory<float>? queryVector, int perRetriever, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(perRetriever);
        var index = await IndexOfAsync(companionId, cancellationToken).ConfigureAwait(false);
        if (perRetriever == 0 || string.IsNullOrWhiteSpace(query))
        {
            return (index, new RecallCandidates(now, null, null, null, []));
        }

        await CatchUpAsync(companionId, index.Words, cancellationToken).ConfigureAwait(false);
        var words = index.Words.Search(QueryTerms.TermsOf(query), perRetriever, now);
        var vector = queryVector ?? (await _embedder.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        var meaning = index.Vectors.Search(vector.Span, perRetriever);
        var names = await _store.GetSpeakerNamesAsync(companionId, cancellationToken).ConfigureAwait(false);

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
        var ids = wordsOf.Keys.Union(meaningOf.Keys).ToList();
        var cosines = index.Vectors.Score(vector.Span, ids.Where(id => !meaningOf.ContainsKey(id)));
        var candidates = new List<RecallCandidate>(ids.Count + 40);
        foreach (var id in ids)
        {
            if (index.Words.WithoutText(id) is not { } turn)
            {
                // A vector whose turn is gone (deleted through the store directly).
                index.Vectors.Remove(id);
                continue;
            }

            if (turn.At > now)
            {
                continue;
            }

            var (wordsScore, wordsRank) = wordsOf.TryGetValue(id, out var w) ? (w.Score, w.Rank) : ((double?)null, -1);
            float? cosine = meaningOf.TryGetValue(id, out var m) ? m.Score : cosines.TryGetValue(id, out var c) ? c : null;
            var (before, after) = index.Words.Adjacent(id);
            candidates.Add(new RecallCandidate(turn, wordsScore, wordsRank, cosine, meaningOf.ContainsKey(id) ? m.Rank : -1, before, after));
        }

        candidates.AddRange(NeighboursOfBest(candidates, vector, index, now));
        var (speaker, namedAs) = QuestionSubject.Find(query, names.CompanionName, names.PersonName);
        return (index, new RecallCandidates(now, speaker, namedAs, TimeExpressions.Find(query, now), candidates));
    }

    /// <summary>The neighbours of each retriever's best turns that neither retriever offered, as candidates.</summary>
    private List<RecallCandidate> NeighboursOfBest(List<RecallCandidate> candidates, ReadOnlyMemory<float> vector, CompanionIndex index, DateTimeOffset now)
    {
        var best = Options.NeighboursOfBest;
        var known = candidates.Select(c => c.Turn.Id).ToHashSet();
        var ids = candidates
            .Where(c => (c.WordsRank >= 0 && c.WordsRank < best) || (c.MeaningRank >= 0 && c.MeaningRank < best))
            .SelectMany(c => new[] { c.Before, c.After })
            .OfType<long>()
            .Where(id => !known.Contains(id))
            .Distinct()
            .Order()
            .ToList();
        var cosines = index.Vectors.Score(vector.Span, ids);
        var neighbours = new List<RecallCandidate>(ids.Count);
        foreach (var id in ids)
        {
            if (index.Words.WithoutText(id) is { } turn && turn.At <= now)
            {
                var (before, after) = index.Words.Adjacent(id);
                neighbours.Add(new RecallCandidate(turn, null, -1, cosines.TryGetValue(id, out var cosine) ? cosine : null, -1, before, after, NeighbourOnly: true));
            }
        }

        return neighbours;
    }

    /// <summary>For each hit, the turns around it in its session, as far as <see cref="RecallOptions.ContextTurns"/>, in order.</summary>
    private Dictionary<long, List<long>> ContextOf(CompanionIndex index, IReadOnlyList<MemoryHit> hits)
    {
        var context = new Dictionary<long, List<long>>(hits.Count);
        foreach (var hit in hits)
        {
            var around = new List<long>(2 * Options.ContextTurns);
            long? before = hit.Turn.Id;
            long? after = hit.Turn.Id;
            for (var step = 0; step < Options.ContextTurns; step++)
            {
                before = before is { } b ? index.Words.Adjacent(b).Before : null;
                after = after is { } a ? index.Words.Adjacent(a).After : null;
                if (before is { } nb)
                {
                    around.Add(nb);
                }

                if (after is { } na)
                {
                    around.Add(na);
                }
            }

            around.Sort();
            context[hit.Turn.Id] = around;
        }

        return context;
    }

    /// <summary>Forgets a turn everywhere: the store (text and vector) and this index.</summary>
    public async Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken)
    {
        var forgotten = await _store.ForgetTurnAsync(companionId, turnId, cancellationToken).ConfigureAwait(false);
        if (forgotten && _indexes.TryGetValue(companionId, out var loaded) && loaded.IsValueCreated)
        {
            ForgetVanished(await loaded.Value.ConfigureAwait(false), [turnId]);
        }

        return forgotten;
    }

    /// <summary>Forgets a companion and everything it remembers, in the store and in this index.</summary>
    public async Task<bool> ForgetCompanionAsync(string companionId, CancellationToken cancellationToken)
    {
        var forgotten = await _store.ForgetCompanionAsync(companionId, cancellationToken).ConfigureAwait(false);
        Unload(companionId);
        return forgotten;
    }

    /// <summary>
    /// Drops what is held in memory for a companion; its next search loads it again from the store. For a caller
    /// that deleted turns through the store directly (forgetting a person): until then those turns' terms and vectors
    /// stay in memory, though a search never returns a turn the store no longer has.
    /// </summary>
    public void Unload(string companionId)
    {
        if (_indexes.TryRemove(companionId, out var loaded) && loaded.IsValueCreated && loaded.Value.IsCompletedSuccessfully)
        {
            loaded.Value.Result.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var loaded in _indexes.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            loaded.Value.Result.Dispose();
        }

        _indexes.Clear();
    }

    private static void ForgetVanished(CompanionIndex index, IEnumerable<long> turnIds)
    {
        foreach (var id in turnIds)
        {
            index.Vectors.Remove(id);
            index.Words.Remove(id);
        }
    }

    /// <summary>Adds to the word index the turns stored since it last looked (by this process or another).</summary>
    private async Task CatchUpAsync(string companionId, WordIndex words, CancellationToken cancellationToken)
    {
        while (true)
        {
            var added = await _store.GetHistoryAsync(companionId, words.LastId, LoadPage, cancellationToken).ConfigureAwait(false);
            words.Add(added);
            if (added.Count < LoadPage)
            {
                return;
            }
        }
    }

    private Task<CompanionIndex> IndexOfAsync(string companionId, CancellationToken cancellationToken)
    {
        var lazy = _indexes.GetOrAdd(companionId, id => new Lazy<Task<CompanionIndex>>(() => LoadAsync(id, CancellationToken.None)));
        var task = lazy.Value;
        if (task.IsFaulted)
        {
            // A failed load (say, a cancelled read) must not poison the companion forever.
            _indexes.TryRemove(new KeyValuePair<string, Lazy<Task<CompanionIndex>>>(companionId, lazy));
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<CompanionIndex> LoadAsync(string companionId, CancellationToken cancellationToken)
    {
        var stored = await _store.LoadTurnVectorsAsync(companionId, cancellationToken).ConfigureAwait(false);
        var vectors = new ExactVectorIndex(_dimensions, stored.Count);
        foreach (var (turnId, bytes) in stored)
        {
            vectors.Add(turnId, VectorCodec.Decode(bytes));
        }

        var words = new WordIndex(companionId);
        await CatchUpAsync(companionId, words, cancellationToken).ConfigureAwait(false);
        return new CompanionIndex(vectors, words);
    }

    /// <summary>What is held in memory for one companion: its turns' vectors, and their words and order.</summary>
    private sealed record CompanionIndex(ExactVectorIndex Vectors, WordIndex Words) : IDisposable
    {
        public void Dispose()
        {
            Vectors.Dispose();
            Words.Dispose();
        }
    }
}
