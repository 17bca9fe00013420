using System.Buffers;
using Kindred.Core;

namespace Kindred.Memory.Recall.Words;

/// <summary>A turn <see cref="WordIndex.Search"/> found: its id and its BM25 score (higher is better).</summary>
internal readonly record struct WordMatch(long TurnId, double Score);

/// <summary>
/// One companion's turns in memory, by word and in order: an inverted index ranked by BM25 (as FTS5 ranks, with
/// this companion's own word statistics), and each turn's session and time, so recall finds a turn's neighbours and
/// leaves out the future without a query per candidate. Holds no text: terms (stemmed words) and turn ids only.
/// </summary>
/// <remarks>
/// About 32 bytes per turn plus 6 per word said (a turn of 16 words: about 130 bytes, 13 MB per 100k turns).
/// Turns are added in id order (the store's ids only grow); a removed turn leaves a tombstone in the order arrays and
/// nothing in the postings. Thread-safe: searches run concurrently; adds and removes are exclusive.
/// </remarks>
internal sealed class WordIndex : IDisposable
{
    // FTS5's bm25() defaults.
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int Removed = -1;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, Postings> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sessions = new(StringComparer.Ordinal);
    private readonly List<string> _sessionIds = [];
    private readonly string _companionId;
    private long[] _ids = new long[64];
    private int[] _sessionOf = new int[64];
    private long[] _atTicks = new long[64];
    private int[] _lengths = new int[64];
    private byte[] _speakers = new byte[64];
    private byte[] _statuses = new byte[64];
    private int _slots;
    private int _live;
    private long _totalLength;

    // The latest time any turn held was said: a search as of then or later need not look at times at all.
    private long _latestTicks = long.MinValue;

    /// <summary>Makes an empty index of one companion's turns.</summary>
    public WordIndex(string companionId) => _companionId = companionId;

    /// <summary>The highest turn id added (0 for none): turns after it are the ones still to add.</summary>
    public long LastId { get; private set; }

    /// <summary>Turns held now.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _live;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Adds turns newer than <see cref="LastId"/>, in id order; older ones are already held and are skipped.</summary>
    public void Add(IReadOnlyList<StoredTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);

        // Tokenise outside the lock: that is the expensive part, and searches need not wait for it.
        var tokenized = new List<(StoredTurn Turn, Dictionary<string, int> Counts, int Length)>(turns.Count);
        foreach (var turn in turns)
        {
            var terms = WordTokenizer.Terms(turn.Text);
            var counts = new Dictionary<string, int>(terms.Count, StringComparer.Ordinal);
            foreach (var term in terms)
            {
                counts[term] = counts.GetValueOrDefault(term) + 1;
            }

            tokenized.Add((turn, counts, terms.Count));
        }

        _lock.EnterWriteLock();
        try
        {
            foreach (var (turn, counts, length) in tokenized)
            {
                if (turn.Id <= LastId)
                {
                    continue;
                }

                var slot = NewSlot();
                _ids[slot] = turn.Id;
                _atTicks[slot] = turn.At.UtcTicks;
                _latestTicks = Math.Max(_latestTicks, turn.At.UtcTicks);
                _lengths[slot] = length;
                _speakers[slot] = (byte)turn.Speaker;
                _statuses[slot] = (byte)turn.Status;
                if (!_sessions.TryGetValue(turn.SessionId, out var session))
                {
                    session = _sessions.Count;
                    _sessions.Add(turn.SessionId, session);
                    _sessionIds.Add(turn.SessionId);
                }

                _sessionOf[slot] = session;
                foreach (var (term, count) in counts)
                {
                    if (!_postings.TryGetValue(term, out var postings))
                    {
                        postings = new Postings();
                        _postings.Add(term, postings);
                    }

                    postings.Append(slot, count);
                }

                LastId = turn.Id;
                _live++;
                _totalLength += length;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a turn: its postings, and a term that only it used. False when it is not held.</summary>
    public bool Remove(long turnId)
    {
        _lock.EnterWriteLock();
        try
        {
            var slot = SlotOf(turnId);
            if (slot < 0)
            {
                return false;
            }

            // Which terms it used is not kept (that would double the index), so every postings list is asked; each
            // is sorted by slot, so that is one binary search per term. Forgetting is rare; searching is not.
            List<string>? emptied = null;
            foreach (var (term, postings) in _postings)
            {
                if (postings.Remove(slot) && postings.Count == 0)
                {
                    (emptied ??= []).Add(term);
                }
            }

            foreach (var term in emptied ?? [])
            {
                _postings.Remove(term);
            }

            _live--;
            _totalLength -= _lengths[slot];
            _lengths[slot] = Removed;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The <paramref name="limit"/> turns said at or before <paramref name="notAfter"/> that best match any of the
    /// query's words (<see cref="QueryTerms.TermsOf"/>), by BM25, best first; equal scores newest first.
    /// </summary>
    public IReadOnlyList<WordMatch> Search(IReadOnlyList<string> words, int limit, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(words);
        var terms = words.Select(w => WordTokenizer.Term(w)).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 || limit <= 0)
        {
            return [];
        }

        var notAfterTicks = notAfter.UtcTicks;
        _lock.EnterReadLock();
        try
        {
            if (_live == 0)
            {
                return [];
            }

            // Rented arrays hold whatever their last user left; zeroing the scores costs about 50 µs per 100k turns.
            // Nothing here grows or is allocated per posting: a search of common words touches tens of thousands.
            var scores = ArrayPool<double>.Shared.Rent(_slots);
            var touched = ArrayPool<int>.Shared.Rent(_slots);
            Array.Clear(scores, 0, _slots);
            try
            {
                var touchedCount = 0;
                var anyLater = notAfterTicks < _latestTicks;
                var averageLength = Math.Max(1e-9, (double)_totalLength / _live);
                foreach (var term in terms)
                {
                    if (!_postings.TryGetValue(term, out var postings))
                    {
                        continue;
                    }

                    // FTS5's IDF, floored as it floors it, so a word in most turns still counts a little.
                    var idf = Math.Max(1e-6, Math.Log((_live - postings.Count + 0.5) / (postings.Count + 0.5)));
                    var slots = postings.Slots;
                    var counts = postings.Counts;
                    for (var i = 0; i < postings.Count; i++)
                    {
                        var slot = slots[i];
                        if (anyLater && _atTicks[slot] > notAfterTicks)
                        {
                            continue;
                        }

                        double tf = counts[i];
                        var score = idf * tf * (K1 + 1) / (tf + (K1 * (1 - B + (B * _lengths[slot] / averageLength))));
                        if (scores[slot] == 0)
                        {
                            touched[touchedCount++] = slot;
                        }

                        scores[slot] += score;
                    }
                }

                return Best(scores, touched.AsSpan(0, touchedCount), limit);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(scores);
                ArrayPool<int>.Shared.Return(touched);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The ids of the turns just before and just after <paramref name="turnId"/> in the same session (null where the
    /// session begins or ends, or the turn is not held).
    /// </summary>
    public (long? Before, long? After) Adjacent(long turnId)
    {
        _lock.EnterReadLock();
        try
        {
            var slot = SlotOf(turnId);
            if (slot < 0)
            {
                return (null, null);
            }

            var before = slot - 1;
            while (before >= 0 && _lengths[before] == Removed)
            {
                before--;
            }

            var after = slot + 1;
            while (after < _slots && _lengths[after] == Removed)
            {
                after++;
            }

            return (
                before >= 0 && _sessionOf[before] == _sessionOf[slot] ? _ids[before] : null,
                after < _slots && _sessionOf[after] == _sessionOf[slot] ? _ids[after] : null);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The turn as held here: everything but its text, which stays in the store (<see cref="StoredTurn.Text"/> is
    /// empty). Null when it is not held.
    /// </summary>
    public StoredTurn? WithoutText(long turnId)
    {
        _lock.EnterReadLock();
        try
        {
            var slot = SlotOf(turnId);
            return slot < 0
                ? null
                : new StoredTurn(
                    turnId, _companionId, _sessionIds[_sessionOf[slot]], (Speaker)_speakers[slot], string.Empty,
                    new DateTimeOffset(_atTicks[slot], TimeSpan.Zero), (TurnStatus)_statuses[slot]);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Whether any turn held uses <paramref name="term"/>, for tests that check forgetting leaves none behind.</summary>
    internal bool HoldsTermForTests(string term)
    {
        _lock.EnterReadLock();
        try
        {
            return _postings.ContainsKey(term);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private List<WordMatch> Best(double[] scores, ReadOnlySpan<int> touched, int limit)
    {
        // A min-heap of the best kept so far, worst at the root: most touched turns lose one comparison to the root
        // and cost nothing more.
        var heap = new int[Math.Min(limit, touched.Length)];
        var kept = 0;
        foreach (var slot in touched)
        {
            if (kept < heap.Length)
            {
                heap[kept++] = slot;
                SiftUp(scores, heap, kept - 1);
            }
            else if (Better(scores, slot, heap[0]))
            {
                heap[0] = slot;
                SiftDown(scores, heap, kept);
            }
        }

        var best = heap.AsSpan(0, kept).ToArray();
        Array.Sort(best, (x, y) => Better(scores, x, y) ? -1 : Better(scores, y, x) ? 1 : 0);
        var matches = new List<WordMatch>(best.Length);
        foreach (var slot in best)
        {
            matches.Add(new WordMatch(_ids[slot], scores[slot]));
        }

        return matches;
    }

    // Higher score first; equal scores, the newer turn (slots follow ids).
    private static bool Better(double[] scores, int x, int y) => scores[x] > scores[y] || (scores[x] == scores[y] && x > y);

    private static void SiftUp(double[] scores, int[] heap, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(scores, heap[parent], heap[i]))
            {
                return;
            }

            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private static void SiftDown(double[] scores, int[] heap, int count)
    {
        var i = 0;
        while (true)
        {
            var worst = i;
            var left = (2 * i) + 1;
            var right = left + 1;
            if (left < count && Better(scores, heap[worst], heap[left]))
            {
                worst = left;
            }

            if (right < count && Better(scores, heap[worst], heap[right]))
            {
                worst = right;
            }

            if (worst == i)
            {
                return;
            }

            (heap[worst], heap[i]) = (heap[i], heap[worst]);
            i = worst;
        }
    }

    private int SlotOf(long turnId)
    {
        var slot = Array.BinarySearch(_ids, 0, _slots, turnId);
        return slot >= 0 && _lengths[slot] != Removed ? slot : -1;
    }

    private int NewSlot()
    {
        if (_slots == _ids.Length)
        {
            var capacity = _ids.Length * 2;
            Array.Resize(ref _ids, capacity);
            Array.Resize(ref _sessionOf, capacity);
            Array.Resize(ref _atTicks, capacity);
            Array.Resize(ref _lengths, capacity);
            Array.Resize(ref _speakers, capacity);
            Array.Resize(ref _statuses, capacity);
        }

        return _slots++;
    }

    /// <summary>The turns (slots, ascending) a term is said in, and how often in each.</summary>
    private sealed class Postings
    {
        public int[] Slots { get; private set; } = new int[2];

        public ushort[] Counts { get; private set; } = new ushort[2];

        public int Count { get; private set; }

        public void Append(int slot, int count)
        {
            if (Count == Slots.Length)
            {
                var capacity = Count * 2;
                var slots = Slots;
                var counts = Counts;
                Array.Resize(ref slots, capacity);
                Array.Resize(ref counts, capacity);
                Slots = slots;
                Counts = counts;
            }

            Slots[Count] = slot;
            Counts[Count] = (ushort)Math.Min(count, ushort.MaxValue);
            Count++;
        }

        public bool Remove(int slot)
        {
            var i = Array.BinarySearch(Slots, 0, Count, slot);
            if (i < 0)
            {
                return false;
            }

            Array.Copy(Slots, i + 1, Slots, i, Count - i - 1);
            Array.Copy(Counts, i + 1, Counts, i, Count - i - 1);
            Count--;
            Slots[Count] = 0;
            Counts[Count] = 0;
            return true;
        }
    }
}
