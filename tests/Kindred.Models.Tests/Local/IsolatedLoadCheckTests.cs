using System.Diagnostics;
using Kindred.Models.Gguf;
using Kindred.Models.Local;
using Kindred.Models.Tests.TestSupport;

namespace Kindred.Models.Tests.Local;

// The child here is a shell standing in for `kindred model probe`: what is under test is how the parent reads
// a child that loads, one that fails with a reason, and one that dies the way llama.cpp's abort() kills it.
public sealed class IsolatedLoadCheckTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_child_killed_by_abort_becomes_a_clear_error_and_this_process_lives_on()
    {
        var model = ModelFile();
        var check = new IsolatedLoadCheck(CacheFile(), _ => Shell("kill -ABRT $$"));

        var error = await Assert.ThrowsAsync<ModelFileException>(() => check.EnsureLoadableAsync(model, CancellationToken.None));

        Assert.Contains("crashed while loading", error.Message, StringComparison.Ordinal);
        Assert.Contains(model, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(CacheFile()));
    }

    [Fact]
    public async Task A_child_that_fails_with_a_reason_passes_the_reason_on()
    {
        var check = new IsolatedLoadCheck(CacheFile(), _ => Shell($"echo 'the vocabulary is broken'; exit {IsolatedLoadCheck.ProbeFailedExitCode}"));

        var error = await Assert.ThrowsAsync<ModelFileException>(() => check.EnsureLoadableAsync(ModelFile(), CancellationToken.None));

        Assert.Equal("the vocabulary is broken", error.Message);
    }

    [Fact]
    public async Task A_file_that_loaded_once_is_not_loaded_again_until_it_changes()
    {
        var model = ModelFile();
        var runs = 0;
        var check = new IsolatedLoadCheck(CacheFile(), _ =>
        {
            runs++;
            return runs == 1 ? Shell("exit 0") : Shell("exit 1");
        });

        await check.EnsureLoadableAsync(model, CancellationToken.None);
        await check.EnsureLoadableAsync(model, CancellationToken.None);
        Assert.Equal(1, runs);

        File.AppendAllText(model, "changed");
        await Assert.ThrowsAsync<ModelFileException>(() => check.EnsureLoadableAsync(model, CancellationToken.None));
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task A_missing_file_is_reported_without_starting_a_child()
    {
        var check = new IsolatedLoadCheck(CacheFile(), _ => throw new InvalidOperationException("no child should start"));

        var error = await Assert.ThrowsAsync<ModelFileException>(() => check.EnsureLoadableAsync(Path.Combine(_temp.Path, "gone.gguf"), CancellationToken.None));

        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    private string CacheFile() => Path.Combine(_temp.Path, "models", ".loadable");

    private string ModelFile()
    {
        var path = Path.Combine(_temp.Path, "model.gguf");
        File.WriteAllText(path, "stand-in");
        return path;
    }

    private static ProcessStartInfo Shell(string script) => new("/bin/sh") { ArgumentList = { "-c", script } };
}
