using Kindred.Memory.Vectors;

namespace Kindred.Memory.Tests.Vectors;

public sealed class Int8KernelTests
{
    [Theory]
    [InlineData(384)]
    [InlineData(96)]
    [InlineData(40)]
    [InlineData(17)]
    [InlineData(3)]
    public void ScanDot_is_the_exact_integer_dot_product_at_every_length(int length)
    {
        var random = new Random(length);
        for (var trial = 0; trial < 50; trial++)
        {
            var row = new sbyte[length];
            var query = new float[length];
            for (var i = 0; i < length; i++)
            {
                row[i] = (sbyte)random.Next(-127, 128);
                query[i] = (float)(random.NextDouble() - 0.5);
            }

            var codes = new sbyte[length];
            Int8Kernel.QuantizeScanQuery(query, codes);

            Assert.Equal(ScalarDot(row, codes), Int8Kernel.ScanDot(row, codes, Int8Kernel.BiasOf(codes)));
        }
    }

    [Fact]
    public void ScanDot_does_not_saturate_at_the_extremes_of_both_ranges()
    {
        // The largest products of the unsigned trick: every stored code at ±127 against every query code at ±63.
        foreach (var (stored, asked) in new (sbyte, float)[] { (127, 1f), (-127, 1f), (127, -1f), (-127, -1f) })
        {
            var row = Enumerable.Repeat(stored, 384).ToArray();
            var codes = new sbyte[384];
            Int8Kernel.QuantizeScanQuery(Enumerable.Repeat(asked, 384).ToArray(), codes);

            Assert.Equal(ScalarDot(row, codes), Int8Kernel.ScanDot(row, codes, Int8Kernel.BiasOf(codes)));
            Assert.Equal(384 * stored * 63 * (int)asked, Int8Kernel.ScanDot(row, codes, Int8Kernel.BiasOf(codes)));
        }
    }

    private static int ScalarDot(sbyte[] row, sbyte[] query)
    {
        var sum = 0;
        for (var i = 0; i < row.Length; i++)
        {
            sum += row[i] * query[i];
        }

        return sum;
    }
}
