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
        var list = await KindredProcess.RunAsync("", "memory", "list", "--data-dir", data.Path);
        Assert.Matches($@"{turnId}\s*│[^\n]*My sister Amelia", list.Stdout);
        var show = await KindredProcess.RunAsync("", "memory", "show", turnId, "--data-dir", data.Path);
        Assert.Contains("Sam: My sister Amelia moved to Lisbon in June", show.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Turn {turnId}: person", show.Stdout, StringComparison.Ordinal);
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

    [Fact]
    public async Task A_companion_exported_from_one_data_folder_wakes_with_its_name_and_history_in_another()
    {
        using var first = new DataDirectory();
        using var second = new DataDirectory();
        await KindredProcess.RunAsync("My name is Sam\nI love sailing\n/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", first.Path);
        var exportFile = first.File("export.json");

        var export = await KindredProcess.RunAsync("", "memory", "export", "-o", exportFile, "--data-dir", first.Path);
        var import = await KindredProcess.RunAsync("", "memory", "import", exportFile, "--data-dir", second.Path);
        var reexport = await KindredProcess.RunAsync("", "memory", "export", "--data-dir", second.Path);

        Assert.Equal(0, export.ExitCode);
        Assert.Equal(0, import.ExitCode);
        Assert.Equal(File.ReadAllText(exportFile), reexport.Stdout);
        var chat = await KindredProcess.RunAsync("/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", second.Path);
        Assert.Contains("Welcome back, Sam.", chat.Stdout, StringComparison.Ordinal);
        var history = await KindredProcess.RunAsync("", "history", "--data-dir", second.Path);
        Assert.Contains("I love sailing", history.Stdout, StringComparison.Ordinal);
    }
}
