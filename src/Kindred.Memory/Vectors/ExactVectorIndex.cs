using System.Buffers;

namespace Kindred.Memory.Vectors;

/// <summary>
/// Exact (brute-force) search over int8-quantised vectors held in one contiguous buffer, scanned with SIMD. Fine to
/// about 1M vectors: a 384-dimensional vector costs 384 code bytes + a 4-byte scale + an 8-byte id + about 28
/// bytes of id lookup, about 424 bytes (float32 would take 1,536 + 40), and a search scans the codes once.
/// </summary>
/// <remarks>
/// Scores are the dot product of the query and the dequantised vector; for unit vectors this is cosine similarity
/// to within about 0.001. Quantisation is per vector (scale = max |component| / 127), so any vector length works.
/// Thread-safe: searches run concurrently with each other; adds and removes are exclusive.
/// Removal moves the last vector into the freed slot and zeroes the last slot, so no copy of a removed vector stays
/// in the index's memory; buffers left behind by growth are zeroed too.
/// </remarks>
public sealed class ExactVectorIndex : IVectorIndex, IDisposable
{
    private const int MinimumCapacity = 16;

    // Below this many vectors a scan takes well under a millisecond, less than handing work to another thread costs.
    private const int ParallelScanThreshold = 32_768;
    private const int MaxScanParts = 8;

    // How many more candidates the fast scan keeps than a search returns, to rescore exactly: twice as many, and at
    // least 16 more for a small k.
    private const int ScanOversampling = 2;
    private const int ScanMargin = 16;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<long, int> _slotOf = [];
    private readonly int _signWords;
    private sbyte[] _codes;
    private float[] _scales;

    // One bit per component, set where it is positive: 48 bytes for a 384-dimensional vector, an eighth of its codes.
    private ulong[] _signs;
    private long[] _ids;
    private int _count;

    /// <summary>Makes an empty index.</summary>
    /// <param name="dimensions">Components per vector, 1 or more (384 for MiniLM).</param>
    /// <param name="initialCapacity">Vectors to make room for up front (default 0: grows by doubling from 16).
    /// Capacity × dimensions may not exceed <see cref="Array.MaxLength"/>.</param>
    public ExactVectorIndex(int dimensions, int initialCapacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        Dimensions = dimensions;
        var capacity = Math.Max(MinimumCapacity, initialCapacity);
        _codes = new sbyte[checked(capacity * dimensions)];
        _scales = new float[capacity];
        _signWords = (dimensions + 63) / 64;
        _signs = new ulong[checked(capacity * _signWords)];
        _ids = new long[capacity];
    }

    /// <inheritdoc />
    public int Dimensions { get; }

    /// <summary>
    /// From this many vectors on (default 50,000), a search reads each vector's sign bits, an eighth of its codes, to
    /// choose a <see cref="PrefilterShare"/> of them as candidates, and scores only those exactly; below it, every vector is
    /// scored. A full scan is bound by memory bandwidth (about 4 ms per 100k vectors on a 2-core VM), so this is what
    /// keeps recall within its budget at 100k and 1M memories. What it can miss is measured in bench/ (`-- vectors`),
    /// against the full scan, on real MiniLM embeddings. <see cref="int.MaxValue"/> scores every vector always.
    /// </summary>
    public int PrefilterFrom { get; init; } = 50_000;

    /// <summary>
    /// The share of the index the sign bits choose for exact scoring (default 0.04: 4,000 of 100k vectors, 40,000 of
    /// 1M), and never fewer than 4 per result asked for. A share, not a count, so what the prefilter misses stays the
    /// same as memories grow: measured on real sentences at 4%, it returns 99% of the full scan's top 10.
    /// </summary>
    public double PrefilterShare
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1);
            field = value;
        }
    } = 0.04;

    /// <inheritdoc />
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Those of <paramref name="ids"/> the index holds no vector for.</summary>
    public List<long> WithoutVectors(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        List<long> missing;
        _lock.EnterReadLock();
        try
        {
            missing = [.. ids.Where(id => !_slotOf.ContainsKey(id))];
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return missing;
    }

    /// <inheritdoc />
    public void Add(long id, ReadOnlySpan<float> vector)
    {
        CheckLength(vector.Length, nameof(vector));
        var codes = new sbyte[Dimensions];
        var scale = Int8Kernel.QuantizeInt8(vector, codes);

        _lock.EnterWriteLock();
        try
        {
            if (!_slotOf.TryGetValue(id, out var slot))
            {
                if (_count == _ids.Length)
                {
                    Grow();
                }

                slot = _count++;
                _slotOf.Add(id, slot);
                _ids[slot] = id;
            }

            codes.CopyTo(Row(slot));
            _scales[slot] = scale;
            SignsOf(codes, Signs(slot));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <inheritdoc />
    public bool Remove(long id)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slotOf.Remove(id, out var slot))
            {
                return false;
            }

            var last = --_count;
            if (slot != last)
            {
                Row(last).CopyTo(Row(slot));
                _scales[slot] = _scales[last];
                Signs(last).CopyTo(Signs(slot));
                _ids[slot] = _ids[last];
                _slotOf[_ids[slot]] = slot;
            }

            Row(last).Clear();
            _scales[last] = 0f;
            Signs(last).Clear();
            _ids[last] = 0;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<VectorMatch> Search(ReadOnlySpan<float> query, int k)
    {
        CheckLength(query.Length, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k == 0)
        {
            return [];
        }

        var rented = ArrayPool<short>.Shared.Rent(Dimensions);
        try
        {
            var queryCodes = rented.AsSpan(0, Dimensions);
            var queryScale = Int8Kernel.QuantizeQuery(query, queryCodes);

            _lock.EnterReadLock();
            try
            {
                return _count >= PrefilterFrom
                    ? Prefiltered(query, queryCodes, queryScale, k)
                    : Scan(query, queryCodes, queryScale, k);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
        finally
        {
            ArrayPool<short>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The scores of the given ids against <paramref name="query"/> (as <see cref="Search"/> would score them), for
    /// ids held; ids not held are left out. Lets a caller judge by meaning a turn another retriever found.
    /// </summary>
    /// <exception cref="ArgumentException">The query's length is not <see cref="Dimensions"/>.</exception>
    public IReadOnlyDictionary<long, float> Score(ReadOnlySpan<float> query, IEnumerable<long> ids)
    {
        CheckLength(query.Length, nameof(query));
        ArgumentNullException.ThrowIfNull(ids);
        var rented = ArrayPool<short>.Shared.Rent(Dimensions);
        try
        {
            var queryCodes = rented.AsSpan(0, Dimensions);
            var queryScale = Int8Kernel.QuantizeQuery(query, queryCodes);
            var scores = new Dictionary<long, float>();
            _lock.EnterReadLock();
            try
            {
                foreach (var id in ids)
                {
                    if (_slotOf.TryGetValue(id, out var slot))
                    {
                        scores[id] = Int8Kernel.Dot(Row(slot), queryCodes) * queryScale * _scales[slot];
                    }
                }
            }
            finally
            {
                _lock.ExitReadLock();
            }

            return scores;
        }
        finally
        {
            ArrayPool<short>.Shared.Return(rented);
        }
    }

    /// <summary>Releases the lock's resources. The index must not be used afterwards.</summary>
    public void Dispose() => _lock.Dispose();

    /// <summary>The raw code buffer, for tests that check removed vectors leave no bytes behind.</summary>
    internal ReadOnlySpan<sbyte> CodesForTests => _codes;

    /// <summary>The raw scale buffer, for the same tests.</summary>
    internal ReadOnlySpan<float> ScalesForTests => _scales;

    /// <summary>The raw sign-bit buffer, for the same tests.</summary>
    internal ReadOnlySpan<ulong> SignsForTests => _signs;

    /// <summary>
    /// The k best by the int16 query's scores. The scan itself ranks by the faster seven-bit query, whose error (up to
    /// about 0.002) could reorder near neighbours, so it keeps <see cref="ScanOversampling"/> times as many and
    /// rescores those; a vector outside that wider set would have to be out of place by dozens of ranks.
    /// </summary>
    private List<VectorMatch> Scan(ReadOnlySpan<float> query, ReadOnlySpan<short> queryCodes, float queryScale, int k)
    {
        // Only a full scan needs the seven-bit query; the prefilter never reads it.
        var scanCodes = new sbyte[Dimensions];
        var scanScale = Int8Kernel.QuantizeScanQuery(query, scanCodes);
        var bias = Int8Kernel.BiasOf(scanCodes);
        var keep = Math.Min(k, Math.Max(1, _count));
        var gather = Math.Min(Math.Max(k * ScanOversampling, k + ScanMargin), Math.Max(1, _count));
        var parts = _count >= ParallelScanThreshold ? Math.Min(Environment.ProcessorCount, MaxScanParts) : 1;
        TopK[] tops;
        if (parts == 1)
        {
            tops = [ScanRange(scanCodes, bias, scanScale, gather, 0, _count)];
        }
        else
        {
            // One slice of the buffer per core: a scan is memory-bound, and each core streams its own slice.
            tops = new TopK[parts];
            var perPart = (_count + parts - 1) / parts;
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            {
                var start = part * perPart;
                tops[part] = ScanRange(scanCodes, bias, scanScale, gather, start, Math.Min(_count, start + perPart));
            });
        }

        var matches = new List<VectorMatch>(gather * parts);
        foreach (var top in tops)
        {
            for (var i = 0; i < top.Count; i++)
            {
                var slot = top[i].Slot;
                matches.Add(new VectorMatch(_ids[slot], Int8Kernel.Dot(Row(slot), queryCodes) * queryScale * _scales[slot]));
            }
        }

        matches.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Id.CompareTo(b.Id));
        if (matches.Count > keep)
        {
            matches.RemoveRange(keep, matches.Count - keep);
        }

        return matches;
    }

    /// <summary>
    /// Candidates by the Hamming distance between sign bits (a cheap stand-in for the angle between two vectors), then
    /// the k best of them by exact score. Distances are small integers, so the nearest are found by counting, not sorting.
    /// </summary>
    private List<VectorMatch> Prefiltered(ReadOnlySpan<float> query, ReadOnlySpan<short> queryCodes, float queryScale, int k)
    {
        var keep = Math.Min(k, _count);
        Span<ulong> querySigns = stackalloc ulong[_signWords];
        querySigns.Clear();
        for (var i = 0; i < query.Length; i++)
        {
            if (query[i] > 0)
            {
                querySigns[i >> 6] |= 1UL << (i & 63);
            }
        }

        var distances = ArrayPool<ushort>.Shared.Rent(_count);
        var histogram = new int[(_signWords * 64) + 1];
        try
        {
            var signs = _signs.AsSpan();
            for (var slot = 0; slot < _count; slot++)
            {
                var row = signs.Slice(slot * _signWords, _signWords);
                var distance = 0;
                for (var w = 0; w < row.Length; w++)
                {
                    distance += System.Numerics.BitOperations.PopCount(row[w] ^ querySigns[w]);
                }

                distances[slot] = (ushort)distance;
                histogram[distance]++;
            }

            // The distance at which the nearest candidates are reached; those farther are not scored.
            var wanted = Math.Min(_count, Math.Max((int)Math.Ceiling(PrefilterShare * _count), 4 * k));
            var cutoff = 0;
            for (var seen = histogram[0]; seen < wanted; seen += histogram[cutoff])
            {
                cutoff++;
            }

            var atCutoff = wanted;
            for (var distance = 0; distance < cutoff; distance++)
            {
                atCutoff -= histogram[distance];
            }

            var top = new TopK(keep);
            for (var slot = 0; slot < _count; slot++)
            {
                var distance = distances[slot];
                if (distance > cutoff || (distance == cutoff && atCutoff-- <= 0))
                {
                    continue;
                }

                top.Offer(Int8Kernel.Dot(Row(slot), queryCodes) * queryScale * _scales[slot], slot);
            }

            var matches = new List<VectorMatch>(top.Count);
            for (var i = 0; i < top.Count; i++)
            {
                var (score, slot) = top[i];
                matches.Add(new VectorMatch(_ids[slot], score));
            }

            matches.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Id.CompareTo(b.Id));
            return matches;
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(distances);
        }
    }

    private TopK ScanRange(ReadOnlySpan<sbyte> queryCodes, int bias, float queryScale, int keep, int from, int to)
    {
        var top = new TopK(keep);
        var codes = _codes.AsSpan();
        var dimensions = Dimensions;
        for (var slot = from; slot < to; slot++)
        {
            var dot = Int8Kernel.ScanDot(codes.Slice(slot * dimensions, dimensions), queryCodes, bias);
            var score = dot * queryScale * _scales[slot];
            if (score >= top.Threshold)
            {
                top.Offer(score, slot);
            }
        }

        return top;
    }

    private Span<sbyte> Row(int slot) => _codes.AsSpan(slot * Dimensions, Dimensions);

    private Span<ulong> Signs(int slot) => _signs.AsSpan(slot * _signWords, _signWords);

    private static void SignsOf(ReadOnlySpan<sbyte> codes, Span<ulong> signs)
    {
        signs.Clear();
        for (var i = 0; i < codes.Length; i++)
        {
            if (codes[i] > 0)
            {
                signs[i >> 6] |= 1UL << (i & 63);
            }
        }
    }

    private void Grow()
    {
        var capacity = (int)Math.Min((long)_ids.Length * 2, Array.MaxLength / Dimensions);
        if (capacity <= _ids.Length)
        {
            throw new InvalidOperationException($"The index is full at {_ids.Length} vectors of {Dimensions} dimensions.");
        }

        var codes = new sbyte[capacity * Dimensions];
        _codes.CopyTo(codes, 0);

        // The old buffer lingers until collected; zero it so later removals leave no copy behind.
        Array.Clear(_codes);
        _codes = codes;
        Array.Resize(ref _scales, capacity);
        var signs = new ulong[capacity * _signWords];
        _signs.CopyTo(signs, 0);
        Array.Clear(_signs);
        _signs = signs;
        Array.Resize(ref _ids, capacity);
    }

    private void CheckLength(int length, string name)
    {
        if (length != Dimensions)
        {
            throw new ArgumentException($"The index holds {Dimensions}-dimensional vectors; this one has {length}.", name);
        }
    }
}
