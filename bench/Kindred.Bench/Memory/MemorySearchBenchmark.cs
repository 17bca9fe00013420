using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Kindred.Core;
using Kindred.Memory;
using Kindred.Memory.Recall;
using Kindred.Memory.Recall.Words;
using Kindred.Memory.Vectors;
using Kindred.Models.Embeddings;

namespace Kindred.Bench.Memory;

/// <summary>
/// Whole-store recall for one person at 10k, 100k and 1M memories: what <see cref="MemoryIndex.SearchAsync(string, string,
/// ReadOnlyMemory{float}?, int, DateTimeOffset, TimeWindow?, CancellationToken)"/> costs end to end (full text, vectors,
/// fusion, neighbours, context turns) with the query already embedded, beside its two retrievers alone in the same run;
/// bytes on disk and in memory; and ingestion with real MiniLM embeddings against appending alone.
/// </summary>
/// <remarks>
/// The texts are synthetic (Zipf-distributed words, as in real speech) and so are the stored vectors (random unit
/// vectors): embedding a million turns with MiniLM would take hours on this machine, and a scan costs the same
/// whatever the vectors hold. Ingestion is measured with real embeddings, on fewer turns.
/// </remarks>
internal static class MemorySearchBenchmark
{
    private const string CompanionId = "bench";
    private const int Dimensions = MiniLmEmbeddingGenerator.Dimensions;
    private const int Queries = 200;
    // Untimed searches first: the JIT recompiles hot methods (tiered compilation) over the first few dozen calls,
    // and a long-running server has long since done so.
    private const int WarmUp = 100;

    private const int Limit = 10;
    private const int TurnsPerSession = 24;
    private const int VocabularySize = 20_000;

    // Words everyday speech is built on, most common first; the rest of the vocabulary is a long tail of rarer words.
    private static readonly string[] CommonWords =
    [
        "i", "the", "to", "and", "a", "you", "it", "of", "that", "in", "my", "was", "so", "is", "we", "for", "me", "with",
        "just", "but", "on", "really", "have", "this", "about", "like", "be", "at", "all", "going", "went", "last", "been",
        "time", "love", "great", "think", "good", "kids", "work", "family", "day", "week", "new", "friends", "feel", "fun",
        "amazing", "painting", "trip", "dog", "weekend", "music", "book", "school", "garden", "sister", "camping", "beach",
        "birthday", "dinner", "class", "game", "photo", "city", "home", "job", "summer", "park", "race", "concert", "art",
    ];

    public static void Run(TextWriter output, int[]? sizes = null, int ingestTurns = 1_000)
    {
        sizes ??= [10_000, 100_000, 1_000_000];
        var vocabulary = Vocabulary();
        var folder = Path.Combine(Path.GetTempPath(), "kindred-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var embedder = new MiniLmEmbeddingGenerator();
            output.WriteLine($"whole-store recall, one person, top-{Limit}, {Queries} queries, {Environment.ProcessorCount} cores; synthetic texts and vectors (see the remarks)");
            output.WriteLine("Whole search = MemoryIndex.SearchAsync (words and vectors in memory, hits' text from the store).");
            output.WriteLine("CPU ms are per search, all threads (a full vector scan uses both cores from 32k vectors; from 50k the sign prefilter runs on one): steadier than wall time on a busy machine.");
            output.WriteLine("Word index alone = the in-memory BM25 index that whole search uses. Search KB = bytes allocated per search (what makes the collector run).");
            output.WriteLine("     size | build turns/s | load s | search p50 ms | search p99 ms | search CPU ms | search KB | word index p50/p99 ms | word index CPU ms | vectors alone p50/p99 ms | vectors CPU ms | search p99 / 10 ms target | disk bytes per 100k | memory bytes per 100k");
            foreach (var size in sizes)
            {
                output.WriteLine(MeasureSearch(Path.Combine(folder, $"search-{size}.db"), size, vocabulary, embedder));
            }

            output.WriteLine(MeasureIngestion(Path.Combine(folder, "ingest.db"), ingestTurns, vocabulary, embedder));
            output.WriteLine(MeasureQueryEmbedding(embedder));
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder; untidy, not wrong.
            }
        }
    }

    private static string MeasureSearch(string path, int size, string[] vocabulary, MiniLmEmbeddingGenerator embedder)
    {
        var ct = CancellationToken.None;
        var random = new Random(size);
        var build = Stopwatch.StartNew();
        using (var writer = SqliteCompanionStore.OpenAsync(path, TimeProvider.System, ct).GetAwaiter().GetResult())
        {
            writer.CreateCompanionAsync(new CompanionIdentity(CompanionId, "Wren", Start, "", []), ct).GetAwaiter().GetResult();
            writer.SetPersonNameAsync(CompanionId, "Alex", ct).GetAwaiter().GetResult();
            const int Batch = 10_000;
            for (var from = 0; from < size; from += Batch)
            {
                var turns = Enumerable.Range(from, Math.Min(Batch, size - from)).Select(i => Turn(i, random, vocabulary)).ToList();
                var stored = writer.AppendTurnsAsync(turns, ct).GetAwaiter().GetResult();
                writer.SaveTurnVectorsAsync([.. stored.Select(t => (t.Id, VectorCodec.Encode(RandomUnit(random))))], ct).GetAwaiter().GetResult();
            }
        }

        build.Stop();
        var diskBytes = Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*").Sum(f => new FileInfo(f).Length);
        using var store = SqliteCompanionStore.OpenAsync(path, TimeProvider.System, ct).GetAwaiter().GetResult();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var memory = new MemoryIndex(store, embedder);
        var load = Stopwatch.StartNew();
        memory.GatherAsync(CompanionId, "hello", RandomUnit(random), 1, DateTimeOffset.MaxValue, ct).GetAwaiter().GetResult();
        load.Stop();
        var memoryBytes = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;

        var queries = Enumerable.Range(0, Queries + WarmUp).Select(_ => (Text: Question(random, vocabulary), Vector: RandomUnit(random))).ToArray();
        var now = Start.AddDays(size);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var whole = Time(queries, q => memory.SearchAsync(CompanionId, q.Text, q.Vector, Limit, now, null, ct).GetAwaiter().GetResult());
        var allocatedPerSearch = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)queries.Length;
        var wordIndex = new WordIndex(CompanionId);
        for (IReadOnlyList<StoredTurn> page; (page = store.GetHistoryAsync(CompanionId, wordIndex.LastId, 10_000, ct).GetAwaiter().GetResult()).Count > 0;)
        {
            wordIndex.Add(page);
        }

        var wordsInMemory = Time(queries, q => wordIndex.Search(QueryTerms.TermsOf(q.Text), memory.Options.CandidatesPerRetriever, now));
        wordIndex.Dispose();
        var index = new ExactVectorIndex(Dimensions, size);
        var vectorRandom = new Random(size + 1);
        for (var i = 0; i < size; i++)
        {
            index.Add(i, RandomUnit(vectorRandom));
        }

        var vectors = Time(queries, q => index.Search(q.Vector, memory.Options.CandidatesPerRetriever));
        index.Dispose();
        return string.Create(CultureInfo.InvariantCulture,
            $"{size,9:N0} | {size / build.Elapsed.TotalSeconds,13:F0} | {load.Elapsed.TotalSeconds,6:F1} | {whole.P50,13:F2} | {whole.P99,13:F2} | {whole.CpuMean,13:F2} | {allocatedPerSearch / 1024,9:F0} | {wordsInMemory.P50,13:F2} / {wordsInMemory.P99,8:F2} | {wordsInMemory.CpuMean,14:F2} | {vectors.P50,12:F2} / {vectors.P99,9:F2} | {vectors.CpuMean,14:F2} | {whole.P99 / 10,25:F2} | {diskBytes * 100_000.0 / size,19:N0} | {memoryBytes * 100_000.0 / size,21:N0}");
    }

    private static string MeasureIngestion(string path, int count, string[] vocabulary, MiniLmEmbeddingGenerator embedder)
    {
        var ct = CancellationToken.None;
        var random = new Random(7);
        using var store = SqliteCompanionStore.OpenAsync(path, TimeProvider.System, ct).GetAwaiter().GetResult();
        store.CreateCompanionAsync(new CompanionIdentity(CompanionId, "Wren", Start, "", []), ct).GetAwaiter().GetResult();
        using var memory = new MemoryIndex(store, embedder);
        memory.IndexTurnsAsync(store.AppendTurnsAsync([Turn(0, random, vocabulary)], ct).GetAwaiter().GetResult(), ct).GetAwaiter().GetResult();

        // Baseline: appending alone (durably), then the same number of turns appended and embedded.
        var plain = Stopwatch.StartNew();
        store.AppendTurnsAsync([.. Enumerable.Range(1, count).Select(i => Turn(i, random, vocabulary))], ct).GetAwaiter().GetResult();
        plain.Stop();
        var embedded = Stopwatch.StartNew();
        const int Batch = 256;
        for (var from = 0; from < count; from += Batch)
        {
            var stored = store.AppendTurnsAsync([.. Enumerable.Range(count + from, Math.Min(Batch, count - from)).Select(i => Turn(i, random, vocabulary))], ct).GetAwaiter().GetResult();
            memory.IndexTurnsAsync(stored, ct).GetAwaiter().GetResult();
        }

        embedded.Stop();
        var withEmbedding = count / embedded.Elapsed.TotalSeconds;
        var appendOnly = count / plain.Elapsed.TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"ingestion ({count:N0} turns, batches of {Batch}): {withEmbedding:F0} turns/s with MiniLM embedding; {appendOnly:F0} turns/s appending alone (baseline); ratio {withEmbedding / appendOnly:F3}");
    }

    private static string MeasureQueryEmbedding(MiniLmEmbeddingGenerator embedder)
    {
        string[] texts = ["When did Alex go camping in June?", "what did I say about the trip to Lisbon", "how is my dog doing", "who is Catherine"];
        var times = new double[60];
        for (var i = -5; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            embedder.GenerateAsync([texts[(i + 5) % texts.Length]]).GetAwaiter().GetResult();
            if (i >= 0)
            {
                times[i] = watch.Elapsed.TotalMilliseconds;
            }
        }

        Array.Sort(times);
        return string.Create(CultureInfo.InvariantCulture,
            $"query embedding (MiniLM, one question, {times.Length} runs, not included above): p50 {Percentile(times, 0.50):F2} ms, p99 {Percentile(times, 0.99):F2} ms");
    }

    private static readonly DateTimeOffset Start = new(2020, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private static NewTurn Turn(int i, Random random, string[] vocabulary)
    {
        var words = new string[8 + random.Next(18)];
        for (var w = 0; w < words.Length; w++)
        {
            words[w] = vocabulary[Zipf(random, vocabulary.Length)];
        }

        // A session a day, turns a minute apart, the two speakers taking turns.
        var session = i / TurnsPerSession;
        return new NewTurn(CompanionId, $"s{session}", i % 2 == 0 ? Speaker.Person : Speaker.Companion, string.Join(' ', words),
            Start.AddDays(session).AddMinutes(i % TurnsPerSession));
    }

    private static string Question(Random random, string[] vocabulary)
    {
        string[] openings = ["What did Alex say about", "When did Alex go to the", "How was the", "Tell me about the", "Did Wren like the"];
        var topic = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => vocabulary[20 + Zipf(random, vocabulary.Length - 20)]);
        var time = random.Next(4) == 0 ? " last week" : "";
        return $"{openings[random.Next(openings.Length)]} {string.Join(' ', topic)}{time}?";
    }

    private static string[] Vocabulary()
    {
        var words = new List<string>(CommonWords);
        var random = new Random(1);
        const string Letters = "abcdefghijklmnopqrstuvwxyz";
        while (words.Count < VocabularySize)
        {
            words.Add(new string([.. Enumerable.Range(0, 4 + random.Next(6)).Select(_ => Letters[random.Next(Letters.Length)])]));
        }

        return [.. words];
    }

    // Word rank r drawn with probability about 1/r (Zipf's law for word frequencies).
    private static int Zipf(Random random, int n) => Math.Min(n - 1, (int)Math.Floor(Math.Exp(random.NextDouble() * Math.Log(n + 1))) - 1);

    private static float[] RandomUnit(Random random)
    {
        var vector = new float[Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() - 0.5);
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    private static (double P50, double P99, double CpuMean) Time<T>((string Text, float[] Vector)[] queries, Func<(string Text, float[] Vector), T> search)
    {
        // Wall time suffers when others share the machine; CPU time per search (all threads, so a parallel scan counts
        // twice) does not, and is reported beside it.
        var times = new double[queries.Length - WarmUp];
        var cpu = TimeSpan.Zero;
        for (var i = 0; i < queries.Length; i++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            search(queries[i]);
            if (i >= WarmUp)
            {
                times[i - WarmUp] = watch.Elapsed.TotalMilliseconds;
                cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            }
        }

        Array.Sort(times);
        return (Percentile(times, 0.50), Percentile(times, 0.99), cpu.TotalMilliseconds / times.Length);
    }

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
}
