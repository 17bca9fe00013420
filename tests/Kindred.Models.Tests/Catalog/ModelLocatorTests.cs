using Kindred.Models.Catalog;
using Kindred.Models.Gguf;
using Kindred.Models.Tests.TestSupport;

namespace Kindred.Models.Tests.Catalog;

public sealed class ModelLocatorTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void An_existing_file_path_wins()
    {
        var path = temp.Write("mine.bin", [1, 2, 3]);

        Assert.Equal(path, ModelLocator.Resolve(path, temp.Path));
    }

    [Theory]
    [InlineData("missing/model.gguf")]
    [InlineData("missing-model.gguf")]
    [InlineData("MISSING.GGUF")]
    public void A_path_that_does_not_exist_is_reported_as_not_found(string model)
    {
        var ex = Assert.Throws<ModelFileException>(() => ModelLocator.Resolve(model, temp.Path));

        Assert.Equal($"Model file not found: {Path.GetFullPath(model)}", ex.Message);
    }

    [Fact]
    public void A_folder_path_is_not_a_model()
    {
        var folder = Path.Combine(temp.Path, "sub") + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(folder);

        var ex = Assert.Throws<ModelFileException>(() => ModelLocator.Resolve(folder, temp.Path));

        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_downloaded_catalog_model_resolves_to_the_models_folder_whatever_the_case()
    {
        var path = temp.Write(ModelCatalog.Default.FileName, [1]);

        Assert.Equal(path, ModelLocator.Resolve("QWEN2.5-1.5B-Instruct", temp.Path));
    }

    [Fact]
    public void A_catalog_model_not_downloaded_yet_says_how_to_pull_it()
    {
        var ex = Assert.Throws<ModelFileException>(() => ModelLocator.Resolve("qwen2.5-1.5b-instruct", temp.Path));

        Assert.Equal(
            "Model 'qwen2.5-1.5b-instruct' is not downloaded yet. Run `kindred model pull qwen2.5-1.5b-instruct` to download it " +
            "(1,117 MB), or pass a local GGUF file with --model /path/to/model.gguf.",
            ex.Message);
    }

    [Fact]
    public void A_partly_downloaded_catalog_model_says_so()
    {
        temp.Write(ModelCatalog.Default.FileName + ".part", [1]);

        var ex = Assert.Throws<ModelFileException>(() => ModelLocator.Resolve(ModelCatalog.Default.Name, temp.Path));

        Assert.Contains("is only partly downloaded. Run `kindred model pull", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_name_finds_a_gguf_file_of_that_name_in_the_models_folder()
    {
        var path = temp.Write("my-finetune.gguf", [1]);

        Assert.Equal(path, ModelLocator.Resolve("my-finetune", temp.Path));
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var ex = Assert.Throws<ModelFileException>(() => ModelLocator.Resolve("gpt-17", temp.Path));

        Assert.Equal(
            "Unknown model 'gpt-17'. Known models: qwen2.5-1.5b-instruct, qwen2.5-0.5b-instruct, qwen2.5-3b-instruct; " +
            "or pass the path of a GGUF file with --model /path/to/model.gguf.",
            ex.Message);
    }

    [Fact]
    public void Listing_a_missing_folder_shows_the_catalog_with_nothing_installed()
    {
        var models = ModelLocator.ListInstalled(temp.File("absent"));

        Assert.Equal(ModelCatalog.All.Select(e => e.Name), models.Select(m => m.Name));
        Assert.All(models, m => Assert.False(m.IsInstalled));
        Assert.Equal(ModelCatalog.Default.SizeBytes, models[0].SizeBytes);
        Assert.True(models[0].IsDefault);
    }

    [Fact]
    public void Listing_shows_installed_catalog_models_and_other_gguf_files_with_their_sizes()
    {
        temp.Write(ModelCatalog.Default.FileName, new byte[10]);
        temp.Write("zeta.gguf", new byte[3]);
        temp.Write("alpha.gguf", new byte[5]);
        temp.Write("notes.txt", [1]);
        temp.Write("qwen2.5-3b-instruct-q4_k_m.gguf.part", [1]);

        var models = ModelLocator.ListInstalled(temp.Path);

        Assert.Equal(
            [
                ("qwen2.5-1.5b-instruct", true, 10L, true),
                ("qwen2.5-0.5b-instruct", false, 491_400_032L, true),
                ("qwen2.5-3b-instruct", false, 2_104_932_768L, true),
                ("alpha", true, 5L, false),
                ("zeta", true, 3L, false),
            ],
            models.Select(m => (m.Name, m.IsInstalled, m.SizeBytes, m.CatalogEntry is not null)));
        Assert.Equal(temp.File("alpha.gguf"), models[3].Path);
    }
}
