namespace Kindred.Models.Gguf;

/// <summary>The storage layout of one ggml tensor type: how many elements share a block and how many bytes a block takes.</summary>
internal readonly record struct GgmlTypeInfo(string Name, int BlockSize, int TypeSize);

/// <summary>
/// The ggml tensor types a GGUF file may use, keyed by their numeric id in <c>enum ggml_type</c> (ggml.h).
/// Sizes follow ggml's <c>type_traits</c> / gguf-py's <c>GGML_QUANT_SIZES</c>.
/// </summary>
internal static class GgmlTypes
{
    // Ids 4-5 (Q4_2, Q4_3), 31-33 (Q4_0_4_4 ...) and 36-38 (IQ4_NL_4_4 ...) were removed from ggml; llama.cpp
    // refuses files that use them, so they are deliberately missing here.
    private static readonly Dictionary<uint, GgmlTypeInfo> Table = new()
    {
        [0] = new("F32", 1, 4),
        [1] = new("F16", 1, 2),
        [2] = new("Q4_0", 32, 18),
        [3] = new("Q4_1", 32, 20),
        [6] = new("Q5_0", 32, 22),
        [7] = new("Q5_1", 32, 24),
        [8] = new("Q8_0", 32, 34),
        [9] = new("Q8_1", 32, 36),
        [10] = new("Q2_K", 256, 84),
        [11] = new("Q3_K", 256, 110),
        [12] = new("Q4_K", 256, 144),
        [13] = new("Q5_K", 256, 176),
        [14] = new("Q6_K", 256, 210),
        [15] = new("Q8_K", 256, 292),
        [16] = new("IQ2_XXS", 256, 66),
        [17] = new("IQ2_XS", 256, 74),
        [18] = new("IQ3_XXS", 256, 98),
        [19] = new("IQ1_S", 256, 50),
        [20] = new("IQ4_NL", 32, 18),
        [21] = new("IQ3_S", 256, 110),
        [22] = new("IQ2_S", 256, 82),
        [23] = new("IQ4_XS", 256, 136),
        [24] = new("I8", 1, 1),
        [25] = new("I16", 1, 2),
        [26] = new("I32", 1, 4),
        [27] = new("I64", 1, 8),
        [28] = new("F64", 1, 8),
        [29] = new("IQ1_M", 256, 56),
        [30] = new("BF16", 1, 2),
        [34] = new("TQ1_0", 256, 54),
        [35] = new("TQ2_0", 256, 66),
        [39] = new("MXFP4", 32, 17),
        // Newer than the llama.cpp inside LLamaSharp 0.30; listed so the size check stays right and the
        // loader, not this validator, says whether it can run them.
        [40] = new("NVFP4", 64, 36),
        [41] = new("Q1_0", 128, 18),
    };

    public static bool TryGet(uint id, out GgmlTypeInfo info) => Table.TryGetValue(id, out info);
}
