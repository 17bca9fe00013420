using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Kindred.Memory.Vectors;
using Kindred.Models.Embeddings;

namespace Kindred.Bench.Vectors;

/// <summary>
/// Exact vector search at memory-store sizes: build time, bytes per vector in memory and top-k search latency of
/// <see cref="ExactVectorIndex"/> (int8), against a float32 brute-force scan measured in the same run; then the
/// time to embed one query with MiniLM, reported separately because recall pays it once per turn.
/// </summary>
internal static class VectorSearchBenchmark
{
    private const int Dimensions = MiniLmEmbeddingGenerator.Dimensions;

    /// <param name="sizes">Vector counts (default 10k, 100k, 1M).</param>
    /// <param name="queries">Timed searches per size (default 200), after 10 untimed ones.</param>
    /// <param name="k">Results per search (default 10).</param>
    /// <param name="baselineUpTo">Largest size that also runs the float32 baseline (default 100k; it holds 1.5 KB per vector).</param>
    /// <param name="embedding">Whether to time MiniLM query embedding (default true).</param>
    /// <param name="locomoFile">A LoCoMo file whose turns and questions, embedded with MiniLM, measure what the sign
    /// prefilter misses on real sentences (null: not measured).</param>
    public static void Run(TextWriter output, int[]? sizes = null, int queries = 200, int k = 10, int baselineUpTo = 100_000, bool embedding = true, string? locomoFile = null)
    {
        sizes ??= [10_000, 100_000, 1_000_000];
        var random = new Random(42);
        var queryVectors = Enumerable.Range(0, queries + 10).Select(_ => RandomUnit(random)).ToArray();

        output.WriteLine($"exact search, {Dimensions} dimensions, top-{k}, {queries} queries, {Environment.ProcessorCount} cores");
        output.WriteLine($"int8 = the index as recall uses it (from {new ExactVectorIndex(Dimensions).PrefilterFrom:N0} vectors: sign-bit prefilter, then exact scores); full scan = every vector scored (baseline); agreement = share of the full scan's top-100 that int8 returns.");
        output.WriteLine("     size | build s | bytes/vector | int8 p50 ms | int8 p99 ms | full scan p50/p99 ms | agreement@100 | float32 p50 ms | float32 p99 ms | p50 speed-up");
        foreach (var size in sizes)
        {
            output.WriteLine(MeasureSize(size, queryVectors, k, size <= baselineUpTo));
        }

        if (locomoFile is not null)
        {
            output.WriteLine(MeasureRealAgreement(locomoFile));
        }

        if (embedding)
        {
            output.WriteLine(MeasureEmbedding(queries));
        }
    }

    private static string MeasureSize(int size, float[][] queryVectors, int k, bool baseline)
    {
        var random = new Random(size);
        var vector = new float[Dimensions];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        using var index = new ExactVectorIndex(Dimensions);
        for (var id = 0; id < size; id++)
        {
            FillUnit(random, vector);
            index.Add(id, vector);
        }

        build.Stop();
        var bytesPerVector = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)size;
        var (p50, p99) = Time(queryVectors, q => index.Search(q, k));
        var fullColumns = "                   - |             -";
        if (size >= index.PrefilterFrom)
        {
            using var full = new ExactVectorIndex(Dimensions, size) { PrefilterFrom = int.MaxValue };
            random = new Random(size);
            for (var id = 0; id < size; id++)
            {
                FillUnit(random, vector);
                full.Add(id, vector);
            }

            var (s50, s99) = Time(queryVectors, q => full.Search(q, k));
            var agreement = queryVectors.Average(q => Agreement(full.Search(q, 100), index.Search(q, 100)));
            fullColumns = string.Create(CultureInfo.InvariantCulture, $"{s50,9:F2} / {s99,8:F2} | {agreement,13:P1}");
        }

        var floatColumns = "              - |              - |            -";
        if (baseline)
        {
            var flat = new float[(long)size * Dimensions];
            random = new Random(size);
            for (var id = 0; id < size; id++)
            {
                FillUnit(random, flat.AsSpan(id * Dimensions, Dimensions));
            }

            var (f50, f99) = Time(queryVectors, q => FloatTopK(flat, q, k));
            floatColumns = string.Create(CultureInfo.InvariantCulture, $"{f50,15:F2} | {f99,14:F2} | {f50 / p50,11:F1}x");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{size,9:N0} | {build.Elapsed.TotalSeconds,7:F2} | {bytesPerVector,12:F0} | {p50,11:F2} | {p99,11:F2} | {fullColumns} | {floatColumns}");
    }

    private static double Agreement(IReadOnlyList<VectorMatch> expected, IReadOnlyList<VectorMatch> actual)
    {
        var wanted = expected.Select(m => m.Id).ToHashSet();
        return expected.Count == 0 ? 1 : actual.Count(m => wanted.Contains(m.Id)) / (double)expected.Count;
    }

    /// <summary>
    /// The prefilter on real sentences: every turn of a LoCoMo file and every question, embedded with MiniLM, the
    /// prefilter taking the default share of the index as candidates.
    /// </summary>
    private static string MeasureRealAgreement(string locomoFile)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(locomoFile));
        var turns = new List<string>();
        var questions = new List<string>();
        foreach (var sample in document.RootElement.EnumerateArray())
        {
            foreach (var session in sample.GetProperty("conversation").EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Array))
            {
                turns.AddRange(session.Value.EnumerateArray().Select(t => t.GetProperty("text").GetString() ?? ""));
            }

            questions.AddRange(sample.GetProperty("qa").EnumerateArray().Select(q => q.GetProperty("question").GetString() ?? ""));
        }

        using var generator = new MiniLmEmbeddingGenerator();
        const double share = 0.04;
        using var full = new ExactVectorIndex(Dimensions) { PrefilterFrom = int.MaxValue };
        using var prefiltered = new ExactVectorIndex(Dimensions) { PrefilterFrom = 0, PrefilterShare = share };
        foreach (var (batch, start) in turns.Chunk(64).Select((b, i) => (b, i * 64)))
        {
            var embeddings = generator.GenerateAsync(batch).GetAwaiter().GetResult();
            for (var i = 0; i < batch.Length; i++)
            {
                full.Add(start + i, embeddings[i].Vector.Span);
                prefiltered.Add(start + i, embeddings[i].Vector.Span);
            }
        }

        var at10 = new List<double>();
        var at25 = new List<double>();
        foreach (var batch in questions.Chunk(64))
        {
            foreach (var embedding in generator.GenerateAsync(batch).GetAwaiter().GetResult())
            {
                at10.Add(Agreement(full.Search(embedding.Vector.Span, 10), prefiltered.Search(embedding.Vector.Span, 10)));
                at25.Add(Agreement(full.Search(embedding.Vector.Span, 25), prefiltered.Search(embedding.Vector.Span, 25)));
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"sign prefilter on real sentences ({Path.GetFileName(locomoFile)}: {turns.Count:N0} turns, {questions.Count:N0} questions, MiniLM; the same {share:P0} share of candidates as the default): agreement with the full scan's top-10 {at10.Average():P1}, top-25 {at25.Average():P1}");
    }

    private static string MeasureEmbedding(int queries)
    {
        using var generator = new MiniLmEmbeddingGenerator();
        string[] texts = ["when is my sister's birthday", "what did I say about the trip to Lisbon", "how is my dog doing", "who is Catherine"];
        for (var i = 0; i < 5; i++)
        {
            generator.GenerateAsync([texts[i % texts.Length]]).GetAwaiter().GetResult();
        }

        var times = new double[Math.Max(20, queries / 4)];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            generator.GenerateAsync([texts[i % texts.Length]]).GetAwaiter().GetResult();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return string.Create(CultureInfo.InvariantCulture,
            $"query embedding (MiniLM, one short query, {times.Length} runs): p50 {Percentile(times, 0.50):F2} ms, p99 {Percentile(times, 0.99):F2} ms");
    }

    private static (double P50, double P99) Time(float[][] queryVectors, Action<float[]> search)
    {
        const int warmUp = 10;
        var times = new double[queryVectors.Length - warmUp];
        for (var i = 0; i < queryVectors.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            search(queryVectors[i]);
            if (i >= warmUp)
            {
                times[i - warmUp] = watch.Elapsed.TotalMilliseconds;
            }
        }

        Array.Sort(times);
        return (Percentile(times, 0.50), Percentile(times, 0.99));
    }

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

    // The baseline a float32 store would run: TensorPrimitives.Dot per row, then a sort of the best k.
    private static long[] FloatTopK(float[] flat, float[] query, int k)
    {
        var count = flat.Length / Dimensions;
        var best = new List<(float Score, long Id)>(k + 1);
        var threshold = float.NegativeInfinity;
        for (var id = 0; id < count; id++)
        {
            var score = TensorPrimitives.Dot(flat.AsSpan(id * Dimensions, Dimensions), query);
            if (best.Count < k || score > threshold)
            {
                best.Add((score, id));
                if (best.Count > k)
                {
                    best.Sort(static (a, b) => b.Score.CompareTo(a.Score));
                    best.RemoveAt(k);
                    threshold = best[^1].Score;
                }
            }
        }

        return [.. best.Select(b => b.Id)];
    }

    private static float[] RandomUnit(Random random)
    {
        var vector = new float[Dimensions];
        FillUnit(random, vector);
        return vector;
    }

    private static void FillUnit(Random random, Span<float> vector)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        var norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, norm, vector);
    }
}
