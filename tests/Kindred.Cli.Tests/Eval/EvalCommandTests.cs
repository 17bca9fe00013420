using System.Text.Json;
using System.Text.RegularExpressions;
using Kindred.Cli.Tests.TestSupport;

namespace Kindred.Cli.Tests.Eval;

public sealed partial class EvalCommandTests
{
    [Fact]
    public async Task A_locomo_file_is_ingested_and_every_answer_is_recalled_in_the_top_five()
    {
        using var data = new DataDirectory();
        File.WriteAllText(data.File("tiny.json"), LocomoSample.Json);

        var run = await KindredProcess.RunAsync("", "eval", "locomo", data.File("tiny.json"), "--data-dir", data.Path, "--json", data.File("out.json"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("test-1: 12 turns", run.Stdout, StringComparison.Ordinal);
        foreach (var category in new[] { "1 multi-hop", "2 temporal", "4 single-hop" })
        {
            Assert.Contains(category, run.Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("open-domain", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(OverallRow(), run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(data.File("out.json")));
        Assert.Equal(3, json.RootElement.GetProperty("questionsAsked").GetInt32());
        Assert.Equal(1.0, json.RootElement.GetProperty("overall").GetProperty("recallAtK").GetProperty("5").GetDouble());

        // The scratch stores are thrown away; only what the test wrote is left (the folder's config among it).
        Assert.Equal(["kindred.json", "out.json", "tiny.json"], Directory.EnumerateFileSystemEntries(data.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task The_cut_offs_can_be_chosen()
    {
        using var data = new DataDirectory();
        File.WriteAllText(data.File("tiny.json"), LocomoSample.Json);

        var run = await KindredProcess.RunAsync("", "eval", "locomo", data.File("tiny.json"), "-k", "1,3", "--data-dir", data.Path);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("R@1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("R@3", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("R@5", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nowhere.json", null, "LoCoMo file not found")]
    [InlineData("broken.json", "[ { \"sample_id\": \"x\", ", "broken.json is not valid JSON")]
    [InlineData("other.json", "{ \"Companion\": {} }", "other.json is not in the LoCoMo format")]
    public async Task A_missing_or_malformed_file_is_one_clear_line_and_exit_code_one(string name, string? content, string expected)
    {
        using var data = new DataDirectory();
        if (content is not null)
        {
            File.WriteAllText(data.File(name), content);
        }

        var run = await KindredProcess.RunAsync("", "eval", "locomo", data.File(name), "--data-dir", data.Path);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("kindred: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("5,ten")]
    [InlineData("")]
    public async Task Cut_offs_that_are_not_positive_numbers_are_a_usage_error(string k)
    {
        var run = await KindredProcess.RunAsync("", "eval", "locomo", "whatever.json", "-k", k);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("-k", run.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"all\s*│\s*3\s*│\s*1\.000\s*│\s*1\.000\s*│\s*1\.000")]
    private static partial Regex OverallRow();
}
