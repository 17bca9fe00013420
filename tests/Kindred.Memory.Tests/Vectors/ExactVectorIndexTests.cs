using Kindred.Memory.Vectors;

namespace Kindred.Memory.Tests.Vectors;

public sealed class ExactVectorIndexTests
{
    private const int Dimensions = 384;

    [Fact]
    public void Top_10_agrees_with_a_float_brute_force_ranking()
    {
        var vectors = RandomVectors.Unit(5_000, Dimensions, seed: 1);
        using var index = Build(vectors);
        var queries = RandomVectors.Unit(50, Dimensions, seed: 2);

        var found = 0;
        foreach (var query in queries)
        {
            var expected = RandomVectors.BruteForceTop(vectors, query, 10);
            var actual = index.Search(query, 10);
            Assert.Equal(10, actual.Count);
            found += actual.Count(m => expected.Contains(m.Id));
            Assert.True(actual.Zip(actual.Skip(1)).All(p => p.First.Score >= p.Second.Score), "results are best first");
        }

        var recall = found / (10.0 * queries.Length);
        Assert.True(recall >= 0.95, $"recall@10 {recall}");
    }

    [Fact]
    public void Scores_approximate_the_float_dot_product()
    {
        var vectors = RandomVectors.Unit(200, Dimensions, seed: 3);
        using var index = Build(vectors);
        var query = RandomVectors.Unit(1, Dimensions, seed: 4)[0];

        foreach (var match in index.Search(query, 200))
        {
            Assert.Equal(RandomVectors.Dot(vectors[match.Id], query), match.Score, 0.002f);
        }
    }

    [Fact]
    public void A_planted_duplicate_of_the_query_is_always_first()
    {
        var vectors = RandomVectors.Unit(20_000, Dimensions, seed: 5);
        using var index = Build(vectors);

        foreach (var query in RandomVectors.Unit(20, Dimensions, seed: 6))
        {
            var id = 1_000_000L + index.Count;
            index.Add(id, query);

            var top = index.Search(query, 1);

            Assert.Equal(id, Assert.Single(top).Id);
            Assert.Equal(1f, top[0].Score, 0.002f);
        }
    }

    [Fact]
    public void A_removed_vector_is_gone_and_its_bytes_are_zeroed()
    {
        var vectors = RandomVectors.Unit(100, Dimensions, seed: 7);
        using var index = Build(vectors);

        Assert.True(index.Remove(42));

        Assert.Equal(99, index.Count);
        Assert.DoesNotContain(index.Search(vectors[42], 100), m => m.Id == 42);
        Assert.All(index.CodesForTests[(99 * Dimensions)..].ToArray(), b => Assert.Equal(0, b));
        Assert.All(index.ScalesForTests[99..].ToArray(), s => Assert.Equal(0f, s));
        Assert.False(index.Remove(42));
    }

    [Fact]
    public void The_vector_moved_into_a_freed_slot_is_still_found()
    {
        var vectors = RandomVectors.Unit(10, Dimensions, seed: 8);
        using var index = Build(vectors);

        index.Remove(0);

        Assert.Equal(9, index.Search(vectors[9], 1)[0].Id);
    }

    [Fact]
    public void Adding_an_existing_id_replaces_its_vector()
    {
        var vectors = RandomVectors.Unit(3, Dimensions, seed: 9);
        using var index = new ExactVectorIndex(Dimensions);
        index.Add(1, vectors[0]);

        index.Add(1, vectors[1]);

        Assert.Equal(1, index.Count);
        Assert.Equal(1f, index.Search(vectors[1], 1)[0].Score, 0.002f);
    }

    [Fact]
    public void A_vector_of_the_wrong_length_is_rejected()
    {
        using var index = new ExactVectorIndex(Dimensions);

        Assert.Throws<ArgumentException>(() => index.Add(1, new float[Dimensions - 1]));
        Assert.Throws<ArgumentException>(() => index.Search(new float[Dimensions + 1], 5));
    }

    [Fact]
    public void A_vector_with_nan_is_rejected()
    {
        using var index = new ExactVectorIndex(4);

        Assert.Throws<ArgumentException>(() => index.Add(1, [1f, float.NaN, 0f, 0f]));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void K_beyond_the_count_returns_every_vector()
    {
        var vectors = RandomVectors.Unit(7, Dimensions, seed: 10);
        using var index = Build(vectors);

        var matches = index.Search(vectors[3], 50);

        Assert.Equal(7, matches.Count);
        Assert.Equal(3, matches[0].Id);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), matches.Select(m => m.Id).Order());
    }

    [Fact]
    public void An_empty_index_returns_nothing()
    {
        using var index = new ExactVectorIndex(Dimensions);

        Assert.Empty(index.Search(new float[Dimensions], 10));
        Assert.Empty(index.Search(RandomVectors.Unit(1, Dimensions, 11)[0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[Dimensions], -1));
    }

    [Fact]
    public void Growth_keeps_every_vector()
    {
        var vectors = RandomVectors.Unit(1_000, 8, seed: 12);
        using var index = new ExactVectorIndex(8);
        for (var i = 0; i < vectors.Length; i++)
        {
            index.Add(i, vectors[i]);
        }

        for (var i = 0; i < vectors.Length; i += 97)
        {
            Assert.Equal(i, index.Search(vectors[i], 1)[0].Id);
        }
    }

    [Fact]
    public async Task Concurrent_searches_during_adds_and_removes_never_return_removed_ids()
    {
        var vectors = RandomVectors.Unit(4_000, Dimensions, seed: 13);
        using var index = Build(vectors[..2_000]);
        var removed = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
        using var done = new CancellationTokenSource();

        var writer = Task.Run(() =>
        {
            for (var i = 2_000; i < 4_000; i++)
            {
                index.Add(i, vectors[i]);
                var victim = i - 2_000;
                index.Remove(victim);
                removed[victim] = true;
            }

            done.Cancel();
        });

        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            var searches = 0;
            while (!done.IsCancellationRequested || searches == 0)
            {
                var goneBefore = removed.Keys.ToHashSet();
                var query = vectors[(r * 997 + searches * 31) % vectors.Length];
                var matches = index.Search(query, 10);
                Assert.Equal(10, matches.Count);
                Assert.DoesNotContain(matches, m => goneBefore.Contains(m.Id));
                searches++;
            }
        })).ToArray();

        await Task.WhenAll([writer, .. readers]);
        Assert.Equal(2_000, index.Count);
        Assert.DoesNotContain(index.Search(vectors[0], 2_000), m => m.Id < 2_000);
    }

    private static ExactVectorIndex Build(float[][] vectors)
    {
        var index = new ExactVectorIndex(Dimensions);
        for (var i = 0; i < vectors.Length; i++)
        {
            index.Add(i, vectors[i]);
        }

        return index;
    }

    [Fact]
    public void The_sign_prefilter_finds_what_the_full_scan_finds_at_its_candidate_share()
    {
        var vectors = RandomVectors.Unit(20_000, Dimensions, seed: 11);
        using var full = Build(vectors);
        using var prefiltered = new ExactVectorIndex(Dimensions) { PrefilterFrom = 0, PrefilterShare = 0.1 };
        for (var i = 0; i < vectors.Length; i++)
        {
            prefiltered.Add(i, vectors[i]);
        }

        var found = 0;
        var queries = RandomVectors.Unit(30, Dimensions, seed: 12);
        foreach (var query in queries)
        {
            var expected = full.Search(query, 10);
            var actual = prefiltered.Search(query, 10);
            Assert.Equal(10, actual.Count);
            Assert.True(actual.Zip(actual.Skip(1)).All(p => p.First.Score >= p.Second.Score), "results are best first");
            found += actual.Count(m => expected.Any(e => e.Id == m.Id && Math.Abs(e.Score - m.Score) < 1e-6f));
        }

        // Random vectors are the prefilter's worst case (no structure for the sign bits to follow); 10% of them scored.
        Assert.True(found / (10.0 * queries.Length) >= 0.9, $"agreement@10 {found / (10.0 * queries.Length)}");
    }

    [Fact]
    public void The_sign_prefilter_always_finds_a_planted_duplicate_and_forgets_removed_signs()
    {
        var vectors = RandomVectors.Unit(5_000, Dimensions, seed: 13);
        using var index = new ExactVectorIndex(Dimensions) { PrefilterFrom = 0, PrefilterShare = 0.01 };
        for (var i = 0; i < vectors.Length; i++)
        {
            index.Add(i, vectors[i]);
        }

        Assert.Equal(77, Assert.Single(index.Search(vectors[77], 1)).Id);
        Assert.True(index.Remove(4_999));
        Assert.All(index.SignsForTests[(4_999 * 6)..].ToArray(), word => Assert.Equal(0UL, word));
        Assert.DoesNotContain(index.Search(vectors[4_999], 10), m => m.Id == 4_999);
    }
}
