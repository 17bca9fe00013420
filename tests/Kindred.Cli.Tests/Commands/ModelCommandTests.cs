using Kindred.Testing;
using Kindred.Cli.Tests.TestSupport;
using Kindred.Models.Catalog;

namespace Kindred.Cli.Tests;

public sealed class ModelCommandTests
{
    [Fact]
    public async Task Model_list_shows_the_default_model_and_what_is_on_disk()
    {
        using var data = new DataDirectory();
        Directory.CreateDirectory(data.File("models"));
        File.Copy(SharedModels.Stories260K, Path.Combine(data.File("models"), "stories260K.gguf"));

        var run = await KindredProcess.RunAsync("", "model", "list", "--data-dir", data.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(ModelCatalog.Default.Name, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("(default)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("stories260K", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_on_disk_is_found_by_name_in_the_models_folder()
    {
        using var data = new DataDirectory();
        Directory.CreateDirectory(data.File("models"));
        File.Copy(SharedModels.Stories260K, Path.Combine(data.File("models"), "stories260K.gguf"));

        var run = await KindredProcess.RunAsync("/quit\n", "chat", "--model", "stories260K", "--data-dir", data.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("What's your name?", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_downloaded_model_and_with_downloads_off_chat_says_how_to_get_one()
    {
        using var data = new DataDirectory();
        data.WriteConfig("""{ "DownloadDefaultModel": false }""");
        var run = await KindredProcess.RunAsync("hi\n", "chat", "--data-dir", data.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("kindred model pull", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--model", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pulling_an_unknown_model_names_the_known_ones()
    {
        using var data = new DataDirectory();
        var run = await KindredProcess.RunAsync("", "model", "pull", "no-such-model", "--data-dir", data.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(ModelCatalog.Default.Name, run.Stderr, StringComparison.Ordinal);
    }
}
