using Kindred.Memory.Vectors;

namespace Kindred.Memory.Tests.Vectors;

public sealed class VectorCodecTests
{
    [Fact]
    public void A_vector_round_trips_exactly()
    {
        float[] vector = [0f, -0f, 1.5f, -3.25e-8f, float.MaxValue, float.Epsilon];

        var decoded = VectorCodec.Decode(VectorCodec.Encode(vector));

        Assert.Equal(vector, decoded);
    }

    [Fact]
    public void The_bytes_are_little_endian_float32()
    {
        var bytes = VectorCodec.Encode([1f, -2f]);

        Assert.Equal([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0], bytes);
    }

    [Fact]
    public void A_length_that_is_not_whole_components_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => VectorCodec.Decode(new byte[7]));
    }

    [Fact]
    public void An_empty_vector_is_empty_bytes()
    {
        Assert.Empty(VectorCodec.Encode([]));
        Assert.Empty(VectorCodec.Decode([]));
    }
}
