using Kindred.Models.Embeddings;

namespace Kindred.Models.Tests.Embeddings;

/// <summary>Loads the model once per test class: loading takes a moment.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Generator { get; } = new();

    public void Dispose() => Generator.Dispose();
}
