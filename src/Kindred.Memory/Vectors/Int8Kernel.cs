using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kindred.Memory.Vectors;

/// <summary>
/// Quantisation and the integer dot product behind <see cref="ExactVectorIndex"/>. Stored vectors are int8 with one
/// float scale each (symmetric: code = round(x / scale), scale = max|x| / 127). The query is quantised to int16,
/// which makes its own error negligible, so ranking error comes only from the stored side.
/// </summary>
internal static class Int8Kernel
{
    /// <summary>Quantises <paramref name="vector"/> into <paramref name="codes"/>; returns the scale (0 for a zero vector).</summary>
    public static float QuantizeInt8(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var scale = MaxAbs(vector) / 127f;
        if (scale == 0f)
        {
            codes.Clear();
            return 0f;
        }

        var inverse = 1f / scale;
        for (var i = 0; i < vector.Length; i++)
        {
            codes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * inverse), -127f, 127f);
        }

        return scale;
    }

    /// <summary>Quantises a query to int16 with a range chosen so a full dot product cannot overflow int32.</summary>
    public static float QuantizeQuery(ReadOnlySpan<float> query, Span<short> codes)
    {
        var range = (float)Math.Min(short.MaxValue, int.MaxValue / (127L * Math.Max(1, query.Length)));
        var scale = MaxAbs(query) / range;
        if (scale == 0f)
        {
            codes.Clear();
            return 0f;
        }

        var inverse = 1f / scale;
        for (var i = 0; i < query.Length; i++)
        {
            codes[i] = (short)Math.Clamp(MathF.Round(query[i] * inverse), -range, range);
        }

        return scale;
    }

    /// <summary>The exact integer dot product of an int8 row and an int16 query of the same length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(query);
        var n = row.Length;
        var i = 0;
        var sum = 0;

        if (Avx2.IsSupported && n >= 32)
        {
            // vpmovsxbw widens 16 codes to int16; vpmaddwd multiplies pairs and adds adjacent products into int32.
            var acc0 = Vector256<int>.Zero;
            var acc1 = Vector256<int>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var r0 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)i));
                var r1 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)(i + 16)));
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(r0, Vector256.LoadUnsafe(ref q, (nuint)i)));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(r1, Vector256.LoadUnsafe(ref q, (nuint)(i + 16))));
            }

            sum = Vector256.Sum(Avx2.Add(acc0, acc1));
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var acc = Vector128<int>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var (r0, r1) = Vector128.Widen(Vector128.LoadUnsafe(ref r, (nuint)i));
                acc += WidenedProduct(r0, Vector128.LoadUnsafe(ref q, (nuint)i));
                acc += WidenedProduct(r1, Vector128.LoadUnsafe(ref q, (nuint)(i + 8)));
            }

            sum = Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref r, i) * Unsafe.Add(ref q, i);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> WidenedProduct(Vector128<short> a, Vector128<short> b)
    {
        var (a0, a1) = Vector128.Widen(a);
        var (b0, b1) = Vector128.Widen(b);
        return (a0 * b0) + (a1 * b1);
    }

    private static float MaxAbs(ReadOnlySpan<float> vector)
    {
        var max = 0f;
        foreach (var x in vector)
        {
            if (!float.IsFinite(x))
            {
                throw new ArgumentException("A vector component is NaN or infinite.", nameof(vector));
            }

            max = Math.Max(max, Math.Abs(x));
        }

        return max;
    }
}
