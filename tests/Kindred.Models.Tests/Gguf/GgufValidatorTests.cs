using Kindred.Testing;
using Kindred.Models.Gguf;
using Kindred.Models.Tests.TestSupport;

namespace Kindred.Models.Tests.Gguf;

public sealed class GgufValidatorTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Stories260K_validates_with_the_values_it_was_converted_with()
    {
        var info = GgufValidator.Validate(SharedModels.Stories260K);

        Assert.Equal(Path.GetFullPath(SharedModels.Stories260K), info.Path);
        Assert.Equal(1_185_376, info.FileSize);
        Assert.Equal(3, info.Version);
        Assert.Equal(48, info.TensorCount);
        Assert.Equal(19, info.MetadataCount);
        Assert.Equal("llama", info.Architecture);
        Assert.Equal("llama", info.Name);
        Assert.Equal("llama", info.TokenizerModel);
        Assert.Equal(512, info.VocabularySize);
        Assert.Equal(2048, info.ContextLength);
        Assert.Null(info.ChatTemplate);
        Assert.Equal(1, info.BosTokenId);
        Assert.Equal(2, info.EosTokenId);
    }

    [Fact]
    public void A_missing_file_is_reported_as_not_found()
    {
        var path = temp.File("nowhere.gguf");

        var ex = Assert.Throws<ModelFileException>(() => GgufValidator.Validate(path));

        Assert.Equal($"Model file not found: {path}", ex.Message);
    }

    [Fact]
    public void A_folder_is_not_a_model_file()
    {
        var ex = Assert.Throws<ModelFileException>(() => GgufValidator.Validate(temp.Path));

        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_file_renamed_to_gguf_names_its_first_bytes()
    {
        var path = temp.Write("notes.gguf", "hello, this is not a model\n"u8.ToArray());

        var ex = Assert.Throws<ModelFileException>(() => GgufValidator.Validate(path));

        Assert.Equal($"'{path}' is not a GGUF model file (it starts with 'hell', not 'GGUF').", ex.Message);
    }

    [Fact]
    public void Binary_that_is_not_gguf_is_described_in_hex()
    {
        var path = temp.Write("image.gguf", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);

        var ex = Assert.Throws<ModelFileException>(() => GgufValidator.Validate(path));

        Assert.Contains("starts with bytes 89504E47", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_reported_as_empty()
    {
        var path = temp.Write("empty.gguf", []);

        var ex = Assert.Throws<ModelFileException>(() => GgufValidator.Validate(path));

        Assert.Contains("is empty (0 bytes)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)] // inside the magic
    [InlineData(12)] // inside the header counts
    [InlineData(3_000)] // inside the token array
    [InlineData(10_800)] // inside general.name
    [InlineData(12_000)] // inside the tensor infos
    [InlineData(600_000)] // in the middle of the tensor data
    [InlineData(1_185_375)] // one byte short
    public void The_real_model_cut_short_is_reported_as_truncated(int keptBytes)
    {
        var bytes = File.ReadAllBytes(SharedModels.Stories260K)[..keptBytes];
        var path = temp.Write("cut.gguf", bytes);

        var ex = Assert.Throws<ModelFileException>(() => GgufValidator.Validate(path));

        Assert.True(
            ex.Message.Contains("truncated", StringComparison.Ordinal) || ex.Message.Contains("only 2 bytes long", StringComparison.Ordinal),
            ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Truncated_tensor_data_names_the_tensor_and_the_sizes()
    {
        var bytes = File.ReadAllBytes(SharedModels.Stories260K)[..1_000_000];
        var path = temp.Write("cut.gguf", bytes);

        var ex = Assert.Throws<ModelFileException>(() => GgufValidator.Validate(path));

        Assert.Equal($"'{path}' is truncated: tensor 'blk.4.ffn_norm.weight' needs bytes up to 1,185,376 but the file has 1,000,000.", ex.Message);
    }
}
