using System.Text.RegularExpressions;
using Kindred.Cli.Tests.TestSupport;
using Kindred.Testing;

namespace Kindred.Cli.Tests;

public sealed class MemoryKnowledgeCommandTests
{
    [Fact]
    public async Task Facts_learned_in_chat_can_be_listed_corrected_forgotten_and_a_person_forgotten_for_good()
    {
        using var data = new DataDirectory();
        await KindredProcess.RunAsync("Sam\nI'm married to Catherine. My brother Quillon is visiting.\n/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);
        await KindredProcess.RunAsync("We separated last month. I moved to Porto.\n/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);

        var facts = await KindredProcess.RunAsync("", "memory", "facts", "--history", "--data-dir", data.Path);
        Assert.Equal(0, facts.ExitCode);
        Assert.Matches(@"married to Catherine\.\s*│[^\n]*│\s*\d{4}-\d\d-\d\d \d\d:\d\d\s*│", facts.Stdout);
        Assert.Contains("They separated from Catherine.", facts.Stdout, StringComparison.Ordinal);
        Assert.Contains("They moved to Porto.", facts.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Quillon\s*│[^\n]*│\s*brother", facts.Stdout);

        var porto = Regex.Match(facts.Stdout, @"(\d+)\s*│[^\n]*They moved to Porto").Groups[1].Value;
        var edit = await KindredProcess.RunAsync("", "memory", "edit", porto, "They live in Vila Nova de Gaia.", "--data-dir", data.Path);
        Assert.Equal(0, edit.ExitCode);
        var current = await KindredProcess.RunAsync("", "memory", "facts", "--data-dir", data.Path);
        Assert.Matches(@"They live in Vila Nova de Gaia\.\s*│[^\n]*│\s*now\s*│\s*you\s*│", current.Stdout);
        Assert.DoesNotContain("They moved to Porto.", current.Stdout, StringComparison.Ordinal);

        var forgetFact = await KindredProcess.RunAsync("", "memory", "forget", "--fact", porto, "--yes", "--data-dir", data.Path);
        Assert.Equal(0, forgetFact.ExitCode);
        var forgetPerson = await KindredProcess.RunAsync("", "memory", "forget", "--person", "quillon", "--yes", "--data-dir", data.Path);
        Assert.Equal(0, forgetPerson.ExitCode);
        Assert.Contains("Forgotten Quillon", forgetPerson.Stdout, StringComparison.Ordinal);

        var after = await KindredProcess.RunAsync("", "memory", "facts", "--history", "--data-dir", data.Path);
        Assert.DoesNotContain("Quillon", after.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Porto", after.Stdout, StringComparison.Ordinal);
        Assert.Contains("Catherine", after.Stdout, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(data.Path, "kindred.db*"))
        {
            Assert.DoesNotContain("Quillon", File.ReadAllText(file, System.Text.Encoding.Latin1), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Forget_needs_exactly_one_thing_to_forget_and_unknown_ones_are_clear_errors()
    {
        using var data = new DataDirectory();
        await KindredProcess.RunAsync("/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);

        var none = await KindredProcess.RunAsync("", "memory", "forget", "--yes", "--data-dir", data.Path);
        var unknownFact = await KindredProcess.RunAsync("", "memory", "forget", "--fact", "42", "--yes", "--data-dir", data.Path);
        var unknownPerson = await KindredProcess.RunAsync("", "memory", "forget", "--person", "Nobody", "--yes", "--data-dir", data.Path);
        var unknownEdit = await KindredProcess.RunAsync("", "memory", "edit", "42", "Something else.", "--data-dir", data.Path);

        Assert.NotEqual(0, none.ExitCode);
        Assert.Contains("Say what to forget", none.Stdout + none.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknownFact.ExitCode);
        Assert.StartsWith("kindred: There is no fact 42", unknownFact.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknownPerson.ExitCode);
        Assert.StartsWith("kindred: There is no one called 'Nobody'", unknownPerson.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknownEdit.ExitCode);
        Assert.StartsWith("kindred: There is no fact 42", unknownEdit.Stderr, StringComparison.Ordinal);
    }
}
