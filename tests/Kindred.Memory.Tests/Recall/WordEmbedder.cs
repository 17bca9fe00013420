using Microsoft.Extensions.AI;

namespace Kindred.Memory.Tests.Recall;

/// <summary>
/// A deterministic stand-in for MiniLM in unit tests: each word lands in a bucket, and words listed as synonyms
/// share one, so "puppy" is close in meaning to "dog" while sharing no letters with it.
/// </summary>
internal sealed class WordEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 64;

    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["puppy"] = "dog",
        ["hound"] = "dog",
        ["kitten"] = "cat",
    };

    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in values)
        {
            var vector = new float[Dimensions];
            foreach (var word in text.Split([' ', ',', '.', '?', '!', '"', ':'], StringSplitOptions.RemoveEmptyEntries))
            {
                var canonical = Synonyms.GetValueOrDefault(word, word.ToLowerInvariant());
                vector[(int)((uint)StableHash(canonical) % Dimensions)] += 1;
            }

            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            embeddings.Add(new Embedding<float>(norm == 0 ? vector : vector.Select(v => v / norm).ToArray()));
        }

        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, "words", Dimensions) : null;

    public void Dispose()
    {
    }

    private static int StableHash(string word)
    {
        var hash = 17;
        foreach (var c in word)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
