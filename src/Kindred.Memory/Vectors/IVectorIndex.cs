namespace Kindred.Memory.Vectors;

/// <summary>A match from <see cref="IVectorIndex.Search"/>: the vector's id and its score (higher is closer).</summary>
public readonly record struct VectorMatch(long Id, float Score);

/// <summary>
/// An in-memory nearest-neighbour index over fixed-length vectors, keyed by the caller's ids. The seam lets an
/// approximate index replace the exact one when a person's memories outgrow exact search (about 1M vectors).
/// </summary>
public interface IVectorIndex
{
    /// <summary>Components per vector, fixed when the index is made.</summary>
    int Dimensions { get; }

    /// <summary>Vectors held now.</summary>
    int Count { get; }

    /// <summary>Adds a vector, or replaces the one already held under <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="Dimensions"/>, or it holds NaN or infinity.</exception>
    void Add(long id, ReadOnlySpan<float> vector);

    /// <summary>Removes a vector and erases its bytes from the index's memory; false when the id is not held.</summary>
    bool Remove(long id);

    /// <summary>The <paramref name="k"/> vectors with the highest dot product with <paramref name="query"/>, best
    /// first (cosine similarity for unit vectors); fewer when the index holds fewer; equal scores in id order.</summary>
    /// <exception cref="ArgumentException">The query's length is not <see cref="Dimensions"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative.</exception>
    IReadOnlyList<VectorMatch> Search(ReadOnlySpan<float> query, int k);
}
