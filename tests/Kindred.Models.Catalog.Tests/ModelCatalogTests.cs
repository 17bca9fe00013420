using System.Text.RegularExpressions;

namespace Kindred.Models.Catalog.Tests;

public sealed partial class ModelCatalogTests
{
    [Fact]
    public void The_default_is_the_first_catalog_entry()
    {
        Assert.Same(ModelCatalog.Default, ModelCatalog.All[0]);
        Assert.Equal("qwen2.5-1.5b-instruct", ModelCatalog.Default.Name);
    }

    [Theory]
    [InlineData("qwen2.5-1.5b-instruct")]
    [InlineData("Qwen2.5-1.5B-Instruct")]
    [InlineData(" qwen2.5-1.5b-instruct ")]
    public void Find_ignores_case_and_surrounding_spaces(string name) => Assert.Same(ModelCatalog.Default, ModelCatalog.Find(name));

    [Fact]
    public void Find_returns_null_for_an_unknown_name() => Assert.Null(ModelCatalog.Find("nope"));

    [Fact]
    public void Every_entry_is_pinned_and_well_formed()
    {
        Assert.Equal(ModelCatalog.All.Count, ModelCatalog.All.Select(e => e.Name.ToUpperInvariant()).Distinct().Count());
        Assert.All(ModelCatalog.All, entry =>
        {
            Assert.Matches(Sha256Pattern(), entry.Sha256);
            Assert.Matches(PinnedUrlPattern(), entry.Url.ToString());
            Assert.EndsWith("/" + entry.FileName, entry.Url.AbsolutePath, StringComparison.Ordinal);
            Assert.Equal(entry.FileName, Path.GetFileName(entry.FileName));
            Assert.EndsWith(".gguf", entry.FileName, StringComparison.Ordinal);
            Assert.InRange(entry.SizeBytes, 100_000_000, 10_000_000_000);
            Assert.False(string.IsNullOrWhiteSpace(entry.Licence));
            Assert.False(string.IsNullOrWhiteSpace(entry.Description));
        });
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex("^https://huggingface\\.co/[^/]+/[^/]+/resolve/[0-9a-f]{40}/[^/]+\\.gguf$")]
    private static partial Regex PinnedUrlPattern();
}
