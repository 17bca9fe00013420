using Kindred.Models.Gguf;
using Kindred.Models.Tests.TestSupport;

namespace Kindred.Models.Tests.Gguf;

/// <summary>Synthetic files that are each broken in one way; every one must be refused cheaply and with a message that names the defect.</summary>
public sealed class GgufHostileFileTests : IDisposable
{
    // Generous for a reader that streams; a validator that trusted a declared length would allocate gigabytes.
    private const long MaxAllocatedBytes = 4 * 1024 * 1024;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void The_minimal_builder_model_is_valid(string tokenizer)
    {
        var path = temp.Write("ok.gguf", GgufBuilder.MinimalModel(tokenizer: tokenizer).Build());

        var info = GgufValidator.Validate(path);

        Assert.Equal(("llama", tokenizer, 8, 1, 2, 128L), (info.Architecture, info.TokenizerModel, info.VocabularySize, info.BosTokenId, info.EosTokenId, info.ContextLength));
    }

    [Fact]
    public void A_string_claiming_two_to_the_62_bytes_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().Raw("general.name", w => { w.Write(GgufBuilder.TypeString); w.Write(1UL << 62); }),
            "metadata key 'general.name' declares a string of 4,611,686,018,427,387,904 bytes");

    [Fact]
    public void A_key_claiming_two_to_the_62_bytes_is_refused()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("GGUF"u8);
        w.Write(3u); // version
        w.Write(0UL); // tensors
        w.Write(1UL); // metadata entries
        w.Write(1UL << 62); // length of the first key
        w.Write(new byte[64]);

        AssertRefused(stream.ToArray(), "the key of metadata entry #0 declares a string of 4,611,686,018,427,387,904 bytes");
    }

    [Fact]
    public void An_array_claiming_two_to_the_60_elements_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().Raw("tokenizer.ggml.scores", w =>
            {
                w.Write(GgufBuilder.TypeArray);
                w.Write(GgufBuilder.TypeFloat32);
                w.Write(1UL << 60);
            }),
            "metadata array 'tokenizer.ggml.scores' declares 1,152,921,504,606,846,976 Float32 elements");

    [Fact]
    public void A_string_array_claiming_two_to_the_60_elements_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().Raw("tokenizer.ggml.tokens", w =>
            {
                w.Write(GgufBuilder.TypeArray);
                w.Write(GgufBuilder.TypeString);
                w.Write(1UL << 60);
            }),
            "metadata array 'tokenizer.ggml.tokens' declares 1,152,921,504,606,846,976 String elements");

    [Fact]
    public void An_array_of_arrays_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().Raw("general.tags", w =>
            {
                w.Write(GgufBuilder.TypeArray);
                w.Write(GgufBuilder.TypeArray);
                w.Write(1UL);
            }),
            "'general.tags' is an array of arrays");

    [Fact]
    public void An_unknown_value_type_is_refused() =>
        AssertRefused(GgufBuilder.MinimalModel().Raw("general.name", w => w.Write(77u)), "metadata key 'general.name' has unknown value type 77");

    [Fact]
    public void A_tensor_with_100_dimensions_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().RawTensor(w =>
            {
                GgufBuilder.WriteString(w, "blk.0.attn_q.weight");
                w.Write(100u);
                for (var i = 0; i < 100; i++)
                {
                    w.Write(1UL);
                }
            }),
            "tensor 'blk.0.attn_q.weight' has 100 dimensions; GGUF allows 1 to 4");

    [Theory]
    [InlineData(4u)] // Q4_2, removed from ggml
    [InlineData(200u)]
    public void A_tensor_with_an_unknown_ggml_type_is_refused(uint ggmlType) =>
        AssertRefused(
            GgufBuilder.MinimalModel().RawTensor(w => GgufBuilder.WriteTensorInfo(w, "output.weight", ggmlType, [64, 8], 0)),
            $"tensor 'output.weight' uses unknown ggml type {ggmlType}");

    [Fact]
    public void Tensor_dimensions_whose_product_overflows_are_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().RawTensor(w => GgufBuilder.WriteTensorInfo(w, "huge", GgufBuilder.GgmlF32, [1UL << 40, 1UL << 40], 0)),
            "the dimensions of tensor 'huge' multiply to more elements");

    [Fact]
    public void A_tensor_at_an_unaligned_offset_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().RawTensor(w => GgufBuilder.WriteTensorInfo(w, "output_norm.weight", GgufBuilder.GgmlF32, [4], 7)),
            "tensor 'output_norm.weight' starts at offset 7, which is not a multiple of the alignment 32");

    [Fact]
    public void A_tensor_whose_data_lies_past_the_end_is_reported_as_truncated() =>
        AssertRefused(
            GgufBuilder.MinimalModel().RawTensor(w => GgufBuilder.WriteTensorInfo(w, "output.weight", GgufBuilder.GgmlF32, [4, 8], 1UL << 50)),
            "is truncated: tensor 'output.weight' needs bytes up to 1,125,899,906,84");

    [Fact]
    public void Version_99_is_refused() =>
        AssertRefused(new GgufBuilder { Version = 99 }, "uses GGUF version 99; Kindred reads GGUF versions 2 and 3");

    [Fact]
    public void A_big_endian_file_is_refused() =>
        AssertRefused(new GgufBuilder { Version = 0x0300_0000 }, "is a big-endian GGUF file");

    [Fact]
    public void Two_to_the_40_tensors_are_refused() =>
        AssertRefused(new GgufBuilder { TensorCountOverride = 1UL << 40 }, "declares 1,099,511,627,776 tensors, more than the 65,536 allowed");

    [Fact]
    public void Counts_that_cannot_fit_in_the_file_are_reported_as_truncated() =>
        AssertRefused(new GgufBuilder { MetadataCountOverride = 1_000 }, "is truncated: its header lists 0 tensors and 1,000 metadata entries");

    [Fact]
    public void A_bos_id_outside_the_vocabulary_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().UInt32("tokenizer.ggml.bos_token_id", 8),
            "tokenizer.ggml.bos_token_id is 8, but the vocabulary has only 8 tokens");

    [Fact]
    public void An_out_of_range_padding_id_is_tolerated_as_llama_cpp_does()
    {
        var path = temp.Write("pad.gguf", GgufBuilder.MinimalModel().UInt32("tokenizer.ggml.padding_token_id", uint.MaxValue).Build());

        Assert.Equal(8, GgufValidator.Validate(path).VocabularySize);
    }

    [Fact]
    public void Scores_shorter_than_the_tokens_are_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().Float32Array("tokenizer.ggml.scores", new float[7]),
            "tokenizer.ggml.scores has 7 entries, but tokenizer.ggml.tokens has 8");

    [Fact]
    public void Token_types_of_the_wrong_length_are_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().Int32Array("tokenizer.ggml.token_type", new int[9]),
            "tokenizer.ggml.token_type has 9 entries, but tokenizer.ggml.tokens has 8");

    [Fact]
    public void Scores_of_the_wrong_element_type_are_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().Int32Array("tokenizer.ggml.scores", new int[8]),
            "tokenizer.ggml.scores must be an array of Float32, but it is an array of Int32");

    [Fact]
    public void A_gpt2_tokenizer_without_merges_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel(tokenizer: "gpt2").Remove("tokenizer.ggml.merges"),
            "uses the 'gpt2' (BPE) tokenizer but has no tokenizer.ggml.merges");

    [Theory]
    [InlineData("t3")]
    [InlineData(" t3")]
    [InlineData("t3 ")]
    public void A_merge_without_a_separating_space_is_refused(string merge) =>
        AssertRefused(
            GgufBuilder.MinimalModel(tokenizer: "gpt2").StringArray("tokenizer.ggml.merges", ["t 3", merge]),
            $"merge #1 of tokenizer.ggml.merges ('{merge}') has no space separating its two parts");

    [Fact]
    public void A_model_without_a_token_array_is_refused() =>
        AssertRefused(GgufBuilder.MinimalModel().Remove("tokenizer.ggml.tokens"), "it has no vocabulary (tokenizer.ggml.tokens is missing)");

    [Fact]
    public void A_model_without_a_tokenizer_model_is_refused() =>
        AssertRefused(GgufBuilder.MinimalModel().Remove("tokenizer.ggml.model"), "it has no tokenizer.ggml.model");

    [Fact]
    public void A_model_without_an_architecture_is_refused() =>
        AssertRefused(GgufBuilder.MinimalModel().Remove("general.architecture"), "it has no general.architecture");

    [Fact]
    public void Duplicate_tokens_which_make_llama_cpp_abort_are_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().StringArray("tokenizer.ggml.tokens", ["<unk>", "<s>", "</s>", "a", "b", "a", "c", "d"]),
            "token #5 ('a') appears twice in tokenizer.ggml.tokens");

    [Fact]
    public void An_embedding_that_does_not_match_the_vocabulary_is_refused()
    {
        var builder = GgufBuilder.MinimalModel(vocabularySize: 8);
        builder.StringArray("tokenizer.ggml.tokens", ["<unk>", "<s>", "</s>", "a", "b", "c", "d"])
            .Remove("tokenizer.ggml.scores")
            .Remove("tokenizer.ggml.token_type");

        AssertRefused(builder, "tensor 'token_embd.weight' has 8 token rows, but the vocabulary has 7 tokens");
    }

    [Fact]
    public void An_alignment_that_is_not_a_power_of_two_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().UInt32("general.alignment", 24),
            "general.alignment must be a power of two stored as UINT32");

    [Fact]
    public void A_duplicate_key_is_refused()
    {
        // The value written for general.name2 is followed by a whole second entry that repeats general.name.
        var builder = GgufBuilder.MinimalModel().Raw("general.name2", w =>
        {
            w.Write(GgufBuilder.TypeUInt32);
            w.Write(0u);
            GgufBuilder.WriteString(w, "general.name");
            w.Write(GgufBuilder.TypeUInt32);
            w.Write(1u);
        });

        AssertRefused(builder.WithMetadataCount(11), "metadata key 'general.name' appears twice");
    }

    [Fact]
    public void The_name_and_chat_template_are_reported()
    {
        var template = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";
        var path = temp.Write("chat.gguf", GgufBuilder.MinimalModel().String("tokenizer.chat_template", template).Build());

        var info = GgufValidator.Validate(path);

        Assert.Equal((template, "tiny test model"), (info.ChatTemplate, info.Name));
    }

    [Fact]
    public void A_key_that_is_not_utf8_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().Raw("general.x", w =>
            {
                w.Write(GgufBuilder.TypeUInt32);
                w.Write(1u);
                w.Write(2UL);
                w.Write(new byte[] { 0xC3, 0x28 });
                w.Write(GgufBuilder.TypeUInt32);
                w.Write(1u);
            }).WithMetadataCount(11),
            "the key of metadata entry #10 is not valid UTF-8");

    [Fact]
    public void An_empty_vocabulary_is_refused() =>
        AssertRefused(
            GgufBuilder.MinimalModel().StringArray("tokenizer.ggml.tokens", []).Remove("tokenizer.ggml.scores").Remove("tokenizer.ggml.token_type"),
            "its vocabulary (tokenizer.ggml.tokens) is empty");

    [Fact]
    public void A_vocabulary_over_a_million_tokens_is_refused()
    {
        const int Count = GgufValidator.MaxVocabularySize + 1;

        // Real bytes behind the count (empty strings), so it is the cap that refuses it, not the size check.
        AssertRefused(
            GgufBuilder.MinimalModel().Raw("tokenizer.ggml.tokens", w =>
            {
                w.Write(GgufBuilder.TypeArray);
                w.Write(GgufBuilder.TypeString);
                w.Write((ulong)Count);
                w.Write(new byte[Count * 8L]);
            }),
            "tokenizer.ggml.tokens lists 1,000,001 tokens, more than the 1,000,000 a vocabulary may have");
    }

    private void AssertRefused(GgufBuilder builder, string expected) => AssertRefused(builder.Build(), expected);

    private void AssertRefused(byte[] file, string expected)
    {
        var path = temp.Write("hostile.gguf", file);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<ModelFileException>(() => GgufValidator.Validate(path));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith($"'{path}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.True(allocated < MaxAllocatedBytes, $"Validation allocated {allocated:N0} bytes.");
    }
}
