using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kindred.Memory.Vectors;

/// <summary>
/// Quantisation and the integer dot product behind <see cref="ExactVectorIndex"/>. Stored vectors are int8 with one
/// float scale each (symmetric: code = round(x / scale), scale = max|x| / 127). Scores come from an int16 query
/// (<see cref="Dot"/>), whose own error is negligible, so ranking error comes only from the stored side. A full scan
/// first picks candidates with a seven-bit query (<see cref="ScanDot"/>), about twice as fast, then rescores them.
/// </summary>
internal static class Int8Kernel
{
    /// <summary>Quantises <paramref name="vector"/> into <paramref name="codes"/>; returns the scale (0 for a zero vector).</summary>
    public static float QuantizeInt8(ReadOnlySpan<float> vector, Span<sbyte> codes) => Quantize(vector, codes, 127f);

    /// <summary>Quantises a query to int16 with a range chosen so a full dot product cannot overflow int32.</summary>
    public static float QuantizeQuery(ReadOnlySpan<float> query, Span<short> codes) =>
        Quantize(query, codes, (float)Math.Min(short.MaxValue, int.MaxValue / (127L * Math.Max(1, query.Length))));

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

    /// <summary>
    /// The largest query code. Seven bits, not eight, so that the AVX2 kernel can multiply an unsigned stored byte by a
    /// signed query byte (vpmaddubsw) and add two products without saturating int16: 2 × 255 × 63 = 32,130. The
    /// query's rounding then moves a unit-vector cosine by up to about 0.002: good enough to choose candidates, which
    /// <see cref="Dot"/> then scores.
    /// </summary>
    private const int ScanQueryRange = 63;

    /// <summary>Quantises a query for <see cref="ScanDot"/>; returns the scale (0 for a zero vector).</summary>
    public static float QuantizeScanQuery(ReadOnlySpan<float> query, Span<sbyte> codes) => Quantize(query, codes, ScanQueryRange);

    /// <summary>
    /// What <see cref="ScanDot"/> must subtract for a query: the AVX2 path reads stored codes as unsigned (code + 128),
    /// which adds 128 × the sum of the query codes it covers. Computed once per query, not once per row.
    /// </summary>
    public static int BiasOf(ReadOnlySpan<sbyte> query)
    {
        if (!Avx2.IsSupported)
        {
            return 0;
        }

        var sum = 0;
        for (var i = 0; i < query.Length - (query.Length % 32); i++)
        {
            sum += query[i];
        }

        return 128 * sum;
    }

    /// <summary>The exact integer dot product of an int8 row and a query from <see cref="QuantizeScanQuery"/>, whose <see cref="BiasOf"/> is <paramref name="bias"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ScanDot(ReadOnlySpan<sbyte> row, ReadOnlySpan<sbyte> query, int bias)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(query);
        var n = row.Length;
        var i = 0;
        var sum = 0;

        if (Avx2.IsSupported && n >= 32)
        {
            // Flipping the top bit reads a signed code c as the unsigned c + 128; vpmaddubsw multiplies those by the
            // signed query bytes and adds neighbouring pairs into int16; vpmaddwd by ones widens the pairs into int32.
            // Half the work of sign-extending both to int16 first, and none of it on the shuffle port.
            var flip = Vector256.Create((byte)0x80);
            var ones = Vector256.Create((short)1);
            var acc0 = Vector256<int>.Zero;
            var acc1 = Vector256<int>.Zero;
            ref var bytes = ref Unsafe.As<sbyte, byte>(ref r);
            for (; i <= n - 64; i += 64)
            {
                var p0 = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref bytes, (nuint)i) ^ flip, Vector256.LoadUnsafe(ref q, (nuint)i));
                var p1 = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref bytes, (nuint)(i + 32)) ^ flip, Vector256.LoadUnsafe(ref q, (nuint)(i + 32)));
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(p0, ones));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(p1, ones));
            }

            for (; i <= n - 32; i += 32)
            {
                var p0 = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref bytes, (nuint)i) ^ flip, Vector256.LoadUnsafe(ref q, (nuint)i));
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(p0, ones));
            }

            sum = Vector256.Sum(Avx2.Add(acc0, acc1)) - bias;
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var acc = Vector128<int>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var (r0, r1) = Vector128.Widen(Vector128.LoadUnsafe(ref r, (nuint)i));
                var (q0, q1) = Vector128.Widen(Vector128.LoadUnsafe(ref q, (nuint)i));
                acc += WidenedProduct(r0, q0);
                acc += WidenedProduct(r1, q1);
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

    /// <summary>Symmetric quantisation: code = round(x / scale) within ±<paramref name="range"/>, scale = max|x| / range.</summary>
    private static float Quantize<T>(ReadOnlySpan<float> values, Span<T> codes, float range)
        where T : System.Numerics.INumberBase<T>
    {
        var scale = MaxAbs(values) / range;
        if (scale == 0f)
        {
            codes.Clear();
            return 0f;
        }

        var inverse = 1f / scale;
        for (var i = 0; i < values.Length; i++)
        {
            codes[i] = T.CreateTruncating(Math.Clamp(MathF.Round(values[i] * inverse), -range, range));
        }

        return scale;
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
