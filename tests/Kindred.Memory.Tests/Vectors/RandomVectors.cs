namespace Kindred.Memory.Tests.Vectors;

/// <summary>Seeded random unit vectors, so every run sees the same data.</summary>
internal static class RandomVectors
{
    public static float[][] Unit(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (var v = 0; v < count; v++)
        {
            var vector = new float[dimensions];
            var norm = 0.0;
            for (var i = 0; i < dimensions; i++)
            {
                // Box-Muller: Gaussian components give directions spread evenly over the sphere.
                vector[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
                norm += vector[i] * vector[i];
            }

            var inverse = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < dimensions; i++)
            {
                vector[i] *= inverse;
            }

            vectors[v] = vector;
        }

        return vectors;
    }

    public static long[] BruteForceTop(float[][] vectors, float[] query, int k) =>
        [.. Enumerable.Range(0, vectors.Length)
            .Select(i => (Id: (long)i, Score: Dot(vectors[i], query)))
            .OrderByDescending(m => m.Score)
            .Take(k)
            .Select(m => m.Id)];

    public static float Dot(float[] a, float[] b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
