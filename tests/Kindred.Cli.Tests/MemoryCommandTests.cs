using System.Text.RegularExpressions;
using Kindred.Cli.Tests.TestSupport;
using Kindred.Testing;

namespace Kindred.Cli.Tests;

public sealed class MemoryCommandTests
{
    [Fact]
    public async Task What_was_said_can_be_searched_and_forgotten_for_good()
    {
        using var data = new DataDirectory();
        await KindredProcess.RunAsync("Sam\nMy sister Amelia moved to Lisbon in June\n/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);

        var search = await KindredProcess.RunAsync("", "memory", "search", "where did Amelia move", "--data-dir", data.Path);
        Assert.Equal(0, search.ExitCode);
        Assert.Contains("My sister Amelia moved to Lisbon in June", search.Stdout, StringComparison.Ordinal);

        var turnId = Regex.Match(search.Stdout, @"(\d+)\s*│[^\n]*My sister Amelia").Groups[1].Value;
        var forget = await KindredProcess.RunAsync("", "memory", "forget", turnId, "--yes", "--data-dir", data.Path);
        Assert.Equal(0, forget.ExitCode);

        var after = await KindredProcess.RunAsync("", "memory", "search", "Amelia Lisbon", "--data-dir", data.Path);
        Assert.DoesNotContain("Amelia moved to Lisbon", after.Stdout, StringComparison.Ordinal);
        var history = await KindredProcess.RunAsync("", "history", "--data-dir", data.Path);
        Assert.DoesNotContain("Amelia", history.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Amelia", File.ReadAllText(data.File("kindred.db"), System.Text.Encoding.Latin1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forgetting_a_turn_that_does_not_exist_is_a_clear_error()
    {
        using var data = new DataDirectory();
        await KindredProcess.RunAsync("/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);

        var forget = await KindredProcess.RunAsync("", "memory", "forget", "999", "--yes", "--data-dir", data.Path);

        Assert.Equal(1, forget.ExitCode);
        Assert.StartsWith("kindred: There is no turn 999", forget.Stderr, StringComparison.Ordinal);
    }
}
