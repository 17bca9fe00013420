using Kindred.Testing;
using Kindred.Cli.Tests.TestSupport;

namespace Kindred.Cli.Tests;

public sealed class BadInputTests
{
    [Fact]
    public async Task A_missing_model_file_is_one_clear_line_and_a_failing_exit_code()
    {
        using var data = new DataDirectory();
        var run = await KindredProcess.RunAsync("hi\n", "chat", "--model", data.File("nowhere.gguf"), "--data-dir", data.Path);
        AssertOneLineError(run, "Model file not found");
    }

    [Fact]
    public async Task A_text_file_renamed_gguf_is_refused_before_llama_cpp_sees_it()
    {
        using var data = new DataDirectory();
        File.WriteAllText(data.File("notes.gguf"), "these are my notes, not a model\n");
        var run = await KindredProcess.RunAsync("hi\n", "chat", "--model", data.File("notes.gguf"), "--data-dir", data.Path);
        AssertOneLineError(run, "is not a GGUF model file");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(24)]
    [InlineData(4_000)]
    [InlineData(600_000)]
    [InlineData(1_185_000)]
    public async Task A_truncated_model_is_refused_with_a_clear_error(int keepBytes)
    {
        using var data = new DataDirectory();
        var bytes = File.ReadAllBytes(SharedModels.Stories260K);
        File.WriteAllBytes(data.File("cut.gguf"), bytes[..keepBytes]);
        var run = await KindredProcess.RunAsync("hi\n", "chat", "--model", data.File("cut.gguf"), "--data-dir", data.Path);
        AssertOneLineError(run, "cut.gguf");
    }

    [Theory]
    [InlineData("""{ "Companion": { "Temperature": 9 } }""", "Temperature must be between 0 and 2")]
    [InlineData("""{ "Companion": { "Temperature": "warm" } }""", "Companion:Temperature")]
    [InlineData("""{ "Model": { "MaxConcurrentSequences": 0 } }""", "MaxConcurrentSequences must be between 1 and 256")]
    [InlineData("""{ "Remote": { "Endpoint": "not a url" } }""", "Endpoint must be an http or https URL")]
    [InlineData("""{ "Companion": { """, "is not valid JSON")]
    [InlineData("""{ "CompanionId": "../../etc" }""", "CompanionId must be")]
    [InlineData("""{ "Store": { "Provider": "mysql" } }""", "Invalid Store setting: Provider must be")]
    [InlineData("""{ "Store": { "Provider": "postgres" } }""", "ConnectionString is required")]
    [InlineData("""{ "Store": { "Provider": "postgres", "ConnectionString": "Host=127.0.0.1;Port=1;Database=kindred;Password=hunter2;Timeout=2" } }""", "Cannot open the PostgreSQL memory store at 127.0.0.1:1/kindred")]
    public async Task Wrong_config_values_name_the_setting_and_fail(string config, string expected)
    {
        using var data = new DataDirectory();
        data.WriteConfig(config);

        // No --model: it would override a configured endpoint, and settings are checked before any model is looked for.
        var run = await KindredProcess.RunAsync("hi\n", "chat", "--data-dir", data.Path);
        AssertOneLineError(run, expected);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var run = await KindredProcess.RunAsync("", "chat", "--no-such-option");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no-such-option", run.Stderr, StringComparison.Ordinal);
    }

    private static void AssertOneLineError(KindredProcess run, string expected)
    {
        Assert.NotEqual(0, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("kindred: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }
}
