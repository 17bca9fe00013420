using System.Numerics.Tensors;
using Kindred.Models.Embeddings;
using Microsoft.Extensions.AI;

namespace Kindred.Models.Tests.Embeddings;

public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private const float Tolerance = 1e-4f;
    private readonly MiniLmEmbeddingGenerator _generator = fixture.Generator;

    [Fact]
    public async Task Vectors_have_384_dimensions_and_unit_length()
    {
        var embedding = await _generator.GenerateAsync("I adopted a puppy last week");

        Assert.Equal(384, embedding.Vector.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(embedding.Vector.Span), 1e-3f);
        Assert.Equal("all-MiniLM-L6-v2", embedding.ModelId);
    }

    [Fact]
    public async Task Related_sentences_score_higher_than_unrelated_ones()
    {
        var vectors = await _generator.GenerateAsync(["I adopted a puppy last week", "We got a new dog", "The stock market fell"]);

        var related = TensorPrimitives.CosineSimilarity(vectors[0].Vector.Span, vectors[1].Vector.Span);
        var unrelated = TensorPrimitives.CosineSimilarity(vectors[0].Vector.Span, vectors[2].Vector.Span);

        Assert.True(related > unrelated + 0.2f, $"related {related}, unrelated {unrelated}");
    }

    [Fact]
    public async Task The_same_input_gives_the_same_vector()
    {
        var first = await _generator.GenerateAsync("Remember my sister's birthday in May");
        var second = await _generator.GenerateAsync("Remember my sister's birthday in May");

        Assert.Equal(first.Vector.ToArray(), second.Vector.ToArray());
    }

    [Fact]
    public async Task A_batch_equals_one_by_one()
    {
        string[] inputs = ["short", "a somewhat longer sentence about the weather in Lisbon", "I adopted a puppy last week"];
        var batch = await _generator.GenerateAsync(inputs);

        for (var i = 0; i < inputs.Length; i++)
        {
            var single = await _generator.GenerateAsync(inputs[i]);
            AssertClose(single.Vector.Span, batch[i].Vector.Span);
        }
    }

    [Fact]
    public async Task Inputs_beyond_one_batch_are_all_embedded_in_order()
    {
        using var small = new MiniLmEmbeddingGenerator(maxBatchSize: 2);
        string[] inputs = ["one", "two", "three", "four", "five"];

        var batched = await small.GenerateAsync(inputs);
        var whole = await _generator.GenerateAsync(inputs);

        Assert.Equal(inputs.Length, batched.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            AssertClose(whole[i].Vector.Span, batched[i].Vector.Span);
        }
    }

    [Fact]
    public async Task Concurrent_calls_give_the_same_results()
    {
        string[] inputs = ["I adopted a puppy last week", "We got a new dog", "The stock market fell", "My mother lives in Porto"];
        var expected = await _generator.GenerateAsync(inputs);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var rotated = inputs.Skip(t % inputs.Length).Concat(inputs.Take(t % inputs.Length)).ToArray();
            var vectors = await _generator.GenerateAsync(rotated);
            return (Offset: t % inputs.Length, Vectors: vectors);
        })));

        foreach (var (offset, vectors) in results)
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                AssertClose(expected[(i + offset) % inputs.Length].Vector.Span, vectors[i].Vector.Span);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n")]
    public async Task Empty_or_whitespace_input_is_rejected(string input)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(["fine", input]));
    }

    [Fact]
    public async Task Long_input_is_embedded()
    {
        var longText = string.Join(' ', Enumerable.Repeat("my grandmother told me stories about the sea", 200));

        var embedding = await _generator.GenerateAsync(longText);

        Assert.Equal(1f, TensorPrimitives.Norm(embedding.Vector.Span), 1e-3f);
    }

    [Fact]
    public async Task A_cancelled_token_stops_before_any_batch()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _generator.GenerateAsync(["anything"], cancellationToken: cts.Token));
    }

    [Fact]
    public void Metadata_names_provider_model_and_dimensions()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("onnx", metadata.ProviderName);
        Assert.Equal("all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
    }

    [Fact]
    public async Task A_disposed_generator_refuses_work()
    {
        var generator = new MiniLmEmbeddingGenerator();
        generator.Dispose();
        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["anything"]));
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"component {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
