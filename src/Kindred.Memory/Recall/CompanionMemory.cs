using Kindred.Core;
using Kindred.Memory.Recall.Words;
using Kindred.Memory.Vectors;
using Microsoft.Extensions.AI;

namespace Kindred.Memory.Recall;

/// <summary>
/// One companion's memory in this process, held by whoever owns the companion here (its life) and disposed with it:
/// its turns' vectors and word index, loaded from the store on first use, and recall's search over them (see
/// <see cref="MemoryIndex"/>). The store is the truth: before each search the index catches up with the turns and
/// vectors stored since it looked, by this object or any other.
/// </summary>
public sealed class CompanionMemory : IDisposable
{
    private const int EmbeddingBatch = 64;

    // Turns read from the store per query when the word index loads or catches up.
    private const int LoadPage = 5_000;

    private readonly MemoryIndex _index;
    private readonly Lock _gate = new();
    private Task<CompanionIndex>? _loading;

    internal CompanionMemory(string companionId, MemoryIndex index)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        CompanionId = companionId;
        _index = index;
    }

    /// <summary>Whose memory this is.</summary>
    public string CompanionId { get; }

    /// <summary>See <see cref="MemoryIndex.MinimumSimilarity"/>.</summary>
    public float MinimumSimilarity => _index.MinimumSimilarity;

    /// <summary>See <see cref="MemoryIndex.Options"/>.</summary>
    public RecallOptions Options => _index.Options;

    private IMemoryStore Store => _index.Store;

    private IEmbeddingGenerator<string, Embedding<float>> Embedder => _index.Embedder;

    /// <summary>Embeds and indexes this companion's turns (in batches), durably and in memory. Empty turns are skipped.</summary>
    public async Task IndexTurnsAsync(IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        foreach (var batch in turns.Where(t => !string.IsNullOrWhiteSpace(t.Text)).Chunk(EmbeddingBatch))
        {
            if (batch.FirstOrDefault(t => t.CompanionId != CompanionId) is { } other)
            {
                throw new ArgumentException($"Turn {other.Id} is not {CompanionId}'s.", nameof(turns));
            }

            var embeddings = await Embedder.GenerateAsync(batch.Select(t => t.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
            var rows = new List<(long, byte[])>(batch.Length);
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add((batch[i].Id, VectorCodec.Encode(embeddings[i].Vector.Span)));
            }

            await Store.SaveTurnVectorsAsync(rows, cancellationToken).ConfigureAwait(false);

            // Not loaded: the store has them now, and a load (or one under way, see CatchUpAsync) finds them there.
            if (Loaded() is { } index)
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    index.AddVector(batch[i].Id, embeddings[i].Vector.Span);
                }
            }
        }
    }

    /// <summary>
    /// Indexes turns just stored: their meaning (embedded, durably and in memory) and, when the index is loaded, their
    /// words, so the next search finds them without catching up first.
    /// </summary>
    public async Task RememberAsync(IReadOnlyList<StoredTurn> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        await IndexTurnsAsync(turns, cancellationToken).ConfigureAwait(false);
        if (Loaded() is { } index)
        {
            await CatchUpAsync(index, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Indexes what the companion has said that is not indexed yet (the turns of this session, or a whole imported
    /// history), oldest first, at most <paramref name="maxTurns"/> of them.
    /// </summary>
    /// <returns>How many turns were indexed.</returns>
    public async Task<int> IndexPendingAsync(CancellationToken cancellationToken, int maxTurns = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTurns);
        var indexed = 0;
        while (indexed < maxTurns)
        {
            var pending = await Store.GetUnindexedTurnsAsync(CompanionId, Math.Min(EmbeddingBatch * 4, maxTurns - indexed), cancellationToken).ConfigureAwait(false);
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
    public Task<IReadOnlyList<MemoryHit>> SearchAsync(string query, int limit, DateTimeOffset now, CancellationToken cancellationToken) =>
        SearchAsync(query, queryVector: null, limit, now, during: null, cancellationToken);

    /// <summary>
    /// As <see cref="SearchAsync(string, int, DateTimeOffset, CancellationToken)"/>, with the query's
    /// embedding when the caller has it (null: embedded here), and, when <paramref name="during"/> is given, only
    /// turns said within that window.
    /// </summary>
    public async Task<IReadOnlyList<MemoryHit>> SearchAsync(
        string query, ReadOnlyMemory<float>? queryVector, int limit, DateTimeOffset now, TimeWindow? during, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        while (true)
        {
            var (index, gathered) = await GatherWithoutTextAsync(query, queryVector, Math.Max(limit, Options.CandidatesPerRetriever), now, cancellationToken).ConfigureAwait(false);
            if (during is not null)
            {
                gathered = gathered with { Candidates = [.. gathered.Candidates.Where(c => during.Contains(c.Turn.At))] };
            }

            var hits = RecallRanking.Rank(gathered, Options, limit, MinimumSimilarity);
            var context = ContextOf(index, hits);

            // The text of the hits and of the turns around them only: one query for a few dozen turns.
            var wanted = hits.Select(h => h.Turn.Id).Concat(context.Values.SelectMany(c => c)).Distinct().ToList();
            var turns = (await Store.GetTurnsAsync(CompanionId, wanted, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id);
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
        string query, ReadOnlyMemory<float>? queryVector, int perRetriever, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (index, gathered) = await GatherWithoutTextAsync(query, queryVector, perRetriever, now, cancellationToken).ConfigureAwait(false);
        var turns = (await Store.GetTurnsAsync(CompanionId, [.. gathered.Candidates.Select(c => c.Turn.Id)], cancellationToken).ConfigureAwait(false))
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
        string query, ReadOnlyMemory<float>? queryVector, int perRetriever, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(perRetriever);
        var index = await IndexOfAsync(cancellationToken).ConfigureAwait(false);
        if (perRetriever == 0 || string.IsNullOrWhiteSpace(query))
        {
            return (index, new RecallCandidates(now, null, null, null, []));
        }

        await CatchUpAsync(index, cancellationToken).ConfigureAwait(false);
        var words = index.Words.Search(QueryTerms.TermsOf(query), perRetriever, now);
        var vector = queryVector ?? (await Embedder.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        var meaning = index.Vectors.Search(vector.Span, perRetriever);
        var names = await Store.GetSpeakerNamesAsync(CompanionId, cancellationToken).ConfigureAwait(false);

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
                index.RemoveVector(id);
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
    public async Task<bool> ForgetTurnAsync(long turnId, CancellationToken cancellationToken)
    {
        var forgotten = await Store.ForgetTurnAsync(CompanionId, turnId, cancellationToken).ConfigureAwait(false);
        if (forgotten && Loaded() is { } index)
        {
            ForgetVanished(index, [turnId]);
        }

        return forgotten;
    }

    /// <summary>
    /// Drops what is held in memory; the next search loads it again from the store. For a caller that deleted turns
    /// through the store directly (forgetting a person): until then those turns' terms and vectors stay in memory,
    /// though a search never returns a turn the store no longer has.
    /// </summary>
    public void Unload()
    {
        Task<CompanionIndex>? loading;
        lock (_gate)
        {
            loading = _loading;
            _loading = null;
        }

        if (loading is { IsCompletedSuccessfully: true })
        {
            loading.Result.Dispose();
        }
    }

    /// <summary>Drops what is held in memory (as <see cref="Unload"/>).</summary>
    public void Dispose() => Unload();

    private static void ForgetVanished(CompanionIndex index, IEnumerable<long> turnIds)
    {
        foreach (var id in turnIds)
        {
            index.RemoveVector(id);
            index.Words.Remove(id);
        }
    }

    /// <summary>
    /// Adds to the word index the turns stored since it last looked, and to the vectors those of its turns without one
    /// that have one in the store now (embedded by this process or another).
    /// </summary>
    private async Task CatchUpAsync(CompanionIndex index, CancellationToken cancellationToken)
    {
        await CatchUpWordsAsync(index, cancellationToken).ConfigureAwait(false);
        if (index.WithoutVector() is { Count: > 0 } missing)
        {
            foreach (var (turnId, bytes) in await Store.LoadTurnVectorsAsync(CompanionId, missing, cancellationToken).ConfigureAwait(false))
            {
                index.AddVector(turnId, VectorCodec.Decode(bytes));
            }
        }
    }

    private async Task CatchUpWordsAsync(CompanionIndex index, CancellationToken cancellationToken)
    {
        while (true)
        {
            var added = await Store.GetHistoryAsync(CompanionId, index.Words.LastId, LoadPage, cancellationToken).ConfigureAwait(false);
            index.Words.Add(added);
            index.NoteWithoutVector(added);
            if (added.Count < LoadPage)
            {
                return;
            }
        }
    }

    private CompanionIndex? Loaded()
    {
        lock (_gate)
        {
            return _loading is { IsCompletedSuccessfully: true } loaded ? loaded.Result : null;
        }
    }

    private Task<CompanionIndex> IndexOfAsync(CancellationToken cancellationToken)
    {
        Task<CompanionIndex> loading;
        lock (_gate)
        {
            // A failed load (say, a cancelled read) must not poison the companion forever: the next use loads again.
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled)
            {
                _loading = LoadAsync(CancellationToken.None);
            }

            loading = _loading;
        }

        return loading.WaitAsync(cancellationToken);
    }

    private async Task<CompanionIndex> LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await Store.LoadTurnVectorsAsync(CompanionId, cancellationToken).ConfigureAwait(false);
        var vectors = new ExactVectorIndex(_index.Dimensions, stored.Count);
        foreach (var (turnId, bytes) in stored)
        {
            vectors.Add(turnId, VectorCodec.Decode(bytes));
        }

        var index = new CompanionIndex(vectors, new WordIndex(CompanionId));
        await CatchUpWordsAsync(index, cancellationToken).ConfigureAwait(false);
        return index;
    }

    /// <summary>
    /// What is held in memory for one companion: its turns' vectors, their words and order, and which of its turns
    /// with words had no vector when last looked at.
    /// </summary>
    private sealed record CompanionIndex(ExactVectorIndex Vectors, WordIndex Words) : IDisposable
    {
        private readonly HashSet<long> _withoutVector = [];

        public void AddVector(long turnId, ReadOnlySpan<float> vector)
        {
            Vectors.Add(turnId, vector);
            lock (_withoutVector)
            {
                _withoutVector.Remove(turnId);
            }
        }

        public void RemoveVector(long turnId)
        {
            Vectors.Remove(turnId);
            lock (_withoutVector)
            {
                _withoutVector.Remove(turnId);
            }
        }

        public void NoteWithoutVector(IEnumerable<StoredTurn> turns)
        {
            var missing = Vectors.WithoutVectors(turns.Where(t => !string.IsNullOrWhiteSpace(t.Text)).Select(t => t.Id));
            if (missing.Count > 0)
            {
                lock (_withoutVector)
                {
                    _withoutVector.UnionWith(missing);
                }
            }
        }

        public List<long> WithoutVector()
        {
            lock (_withoutVector)
            {
                return [.. _withoutVector];
            }
        }

        public void Dispose()
        {
            Vectors.Dispose();
            Words.Dispose();
        }
    }
}
