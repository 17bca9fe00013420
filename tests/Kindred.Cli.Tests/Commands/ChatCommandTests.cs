using Kindred.Testing;
using System.Text.RegularExpressions;
using Kindred.Cli.Tests.TestSupport;
using Kindred.Core;
using Kindred.Memory;

namespace Kindred.Cli.Tests;

public sealed partial class ChatCommandTests
{
    [Fact]
    public async Task First_start_wakes_and_names_itself_and_a_second_start_remembers_the_name_and_the_history()
    {
        using var data = new DataDirectory();

        // Given a companion that has never woken
        var first = await KindredProcess.RunAsync("My name is Sam\n/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);

        // Then it introduces itself by the name it chose and asks for the person's
        Assert.Equal(0, first.ExitCode);
        var greeting = GreetingPattern().Match(first.Stdout);
        Assert.True(greeting.Success, first.Stdout);
        var name = greeting.Groups["name"].Value;
        Assert.Contains("What's your name?", first.Stdout, StringComparison.Ordinal);

        // When it starts again
        var second = await KindredProcess.RunAsync("/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);

        // Then it keeps its name and knows the person's, and the history holds the first conversation
        Assert.Equal(0, second.ExitCode);
        Assert.Contains($"Welcome back, Sam. It's {name}.", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("What's your name?", second.Stdout, StringComparison.Ordinal);

        var history = await KindredProcess.RunAsync("", "history", "--data-dir", data.Path);
        Assert.Equal(0, history.ExitCode);
        Assert.Contains("My name is Sam", history.Stdout, StringComparison.Ordinal);
        Assert.Contains($"I'm {name}.", history.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replies_stream_from_the_model_and_are_stored_as_complete_turns()
    {
        using var data = new DataDirectory();

        var run = await KindredProcess.RunAsync("Sam\nOnce upon a time there was a dog\n/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);

        Assert.Equal(0, run.ExitCode);
        var turns = await ReadTurnsAsync(data);
        Assert.Equal(
            [Speaker.Companion, Speaker.Person, Speaker.Companion, Speaker.Person, Speaker.Companion],
            turns.Select(t => t.Speaker));
        Assert.All(turns, t => Assert.Equal(TurnStatus.Complete, t.Status));
        Assert.Contains(turns[^1].Text, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGKILL_during_a_reply_loses_no_turn_the_person_entered()
    {
        using var data = new DataDirectory();

        // When the person speaks and the companion has begun to answer
        using var chat = await StartLongReplyAsync(data, "Tell me a long story about a brave dog");
        await chat.KillHardAsync();

        // Then the person's turn survived the kill
        var turns = await ReadTurnsAsync(data);
        Assert.Contains(turns, t => t.Speaker == Speaker.Person && t.Text == "Tell me a long story about a brave dog");

        // And whatever reply was stored is a whole one: a reply cut off by a crash is simply not acknowledged.
        Assert.All(turns.Where(t => t.Speaker == Speaker.Companion), t => Assert.Equal(TurnStatus.Complete, t.Status));
    }

    [Fact]
    public async Task Ctrl_C_stops_the_reply_but_not_the_session_and_the_reply_is_stored_as_interrupted()
    {
        using var data = new DataDirectory();
        using var chat = await StartLongReplyAsync(data, "Tell me a long story about a brave dog");
        chat.Interrupt();
        await chat.WaitForOutputAsync(o => o.Contains("(interrupted)", StringComparison.Ordinal));

        // The session goes on
        await chat.SendLineAsync("/quit");
        await chat.WaitForExitAsync();
        Assert.Equal(0, chat.ExitCode);

        var turns = await ReadTurnsAsync(data);
        Assert.Equal(TurnStatus.Interrupted, turns[^1].Status);
        Assert.Equal(Speaker.Companion, turns[^1].Speaker);
    }

    // Starts a chat whose replies run long (up to 1,900 tokens) and returns once the reply to `line` has begun.
    private static async Task<KindredProcess> StartLongReplyAsync(DataDirectory data, string line)
    {
        data.WriteConfig("""{ "Model": { "ContextLength": 2048 }, "Companion": { "MaxReplyTokens": 1900 } }""");
        var chat = KindredProcess.Start("chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);
        await chat.WaitForOutputAsync(o => o.Contains("What's your name?", StringComparison.Ordinal));
        var prompt = Regex.Escape($"{GreetingPattern().Match(chat.Stdout).Groups["name"].Value} › ");
        await chat.SendLineAsync(line);
        await chat.WaitForOutputAsync(o => Regex.Count(o, prompt) >= 2 && !Regex.IsMatch(o, prompt + "$"));
        return chat;
    }

    private static async Task<IReadOnlyList<StoredTurn>> ReadTurnsAsync(DataDirectory data)
    {
        await using var store = await SqliteCompanionStore.OpenAsync(data.File("kindred.db"), TimeProvider.System, CancellationToken.None);
        return await store.GetHistoryAsync("default", 0, 1000, CancellationToken.None);
    }

    [GeneratedRegex(@"Hello\. I'm (?<name>[\p{L}'\-]+)\.")]
    private static partial Regex GreetingPattern();
}
