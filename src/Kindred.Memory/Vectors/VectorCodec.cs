using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Kindred.Memory.Vectors;

/// <summary>
/// The byte form of a vector for storage (a SQLite BLOB): its components as IEEE 754 float32, little-endian, in
/// order, with no header, so a 384-dimensional vector takes 1,536 bytes and its length gives its dimensions.
/// </summary>
public static class VectorCodec
{
    /// <summary>The vector as little-endian float32 bytes (4 per component).</summary>
    public static byte[] Encode(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
            }
        }

        return bytes;
    }

    /// <summary>The vector that <see cref="Encode"/> wrote.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of 4.</exception>
    public static float[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new ArgumentException($"A vector takes 4 bytes per component; {bytes.Length} bytes is not a whole number of components.", nameof(bytes));
        }

        var vector = new float[bytes.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
            }
        }

        return vector;
    }
}
