using System.Text;
using Kindred.Cli.Tests.TestSupport;
using Kindred.Core;
using Kindred.Memory;
using Kindred.Testing;

namespace Kindred.Cli.Tests;

public sealed class InnerLifeCommandTests
{
    // Short replies keep the runs quick; the inner life does not depend on what the model says. The model's own
    // appraisal is off here: stories260K cannot give one (that fallback is tested in Kindred.Models.Tests), and a
    // second model call per turn intermittently stalls the single-sequence scheduler under test load (docs/companion.md, "Inner life").
    private const string Config = """{ "Inner": { "TimeZoneId": "Europe/London", "AppraiseWithModel": false }, "Companion": { "MaxReplyTokens": 16 } }""";

    private static Task<KindredProcess> ChatAsync(DataDirectory data, string input, params string[] extra) =>
        KindredProcess.RunAsync(input, ["chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path, .. extra]);

    [Fact]
    public async Task A_reminder_asked_for_in_chat_is_listed_at_its_local_time_and_feedback_shows_in_the_persona_history()
    {
        using var data = new DataDirectory();
        data.WriteConfig(Config);

        var chat = await ChatAsync(data, "Sam\nRemind me to call Amy at nine tomorrow\nDon't be so formal with me\n/quit\n");
        var reminders = await KindredProcess.RunAsync("", "reminders", "--data-dir", data.Path);
        var history = await KindredProcess.RunAsync("", "persona", "history", "--data-dir", data.Path);

        Assert.Equal(0, chat.ExitCode);
        Assert.Contains("(reminder 1 set for", chat.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, reminders.ExitCode);
        Assert.Contains("Europe/London", reminders.Stdout, StringComparison.Ordinal);
        Assert.Contains("09:00", reminders.Stdout, StringComparison.Ordinal);
        Assert.Contains("You asked me to remind you: call Amy.", reminders.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, history.ExitCode);
        Assert.Contains("asked me to be less formal", history.Stdout, StringComparison.Ordinal);
        Assert.Contains("formality 0.30 → 0.15", history.Stdout, StringComparison.Ordinal);

        var rollback = await KindredProcess.RunAsync("", "persona", "rollback", "2", "--data-dir", data.Path);
        var shown = await KindredProcess.RunAsync("", "persona", "show", "--data-dir", data.Path);
        Assert.Equal(0, rollback.ExitCode);
        Assert.Contains("Rolled back change 2", rollback.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"formality\s*│\s*0\.30", shown.Stdout);
    }

    [Fact]
    public async Task Off_in_chat_keeps_nothing_and_she_says_so_when_switched_back_on()
    {
        using var data = new DataDirectory();
        data.WriteConfig(Config);

        var chat = await ChatAsync(data, "Sam\n/off\nOffWords7x can you hear me\n/on\n/quit\n");

        Assert.Equal(0, chat.ExitCode);
        Assert.Contains("(off: not heard, not kept", chat.Stdout, StringComparison.Ordinal);
        Assert.Contains("I'm back. I was switched off since", chat.Stdout, StringComparison.Ordinal);
        var turns = await ReadTurnsAsync(data);
        Assert.DoesNotContain(turns, t => t.Text.Contains("OffWords7x", StringComparison.Ordinal));
        Assert.Empty(FilesContaining(data, "OffWords7x"));
    }

    [Fact]
    public async Task Switched_off_between_sessions_she_stays_off_and_says_so()
    {
        using var data = new DataDirectory();
        data.WriteConfig(Config);
        await ChatAsync(data, "Sam\n/quit\n");

        var off = await KindredProcess.RunAsync("", "off", "--data-dir", data.Path);
        var chat = await ChatAsync(data, "Still7off there?\n/quit\n");

        Assert.Equal(0, off.ExitCode);
        Assert.Contains("is switched off", chat.Stdout, StringComparison.Ordinal);
        Assert.Empty(FilesContaining(data, "Still7off"));
    }

    [Fact]
    public async Task A_private_conversation_leaves_no_trace_in_the_files()
    {
        using var data = new DataDirectory();
        data.WriteConfig(Config);

        var chat = await ChatAsync(data, "Sam\n/private\nMy secret is Pv8zq3 and I'm so sad\n/public\n/quit\n");
        var fromTheStart = await ChatAsync(data, "Another Pv8zq4 secret\n/quit\n", "--private");

        Assert.Equal(0, chat.ExitCode);
        Assert.Contains("Private conversation", chat.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, fromTheStart.ExitCode);
        Assert.Empty(FilesContaining(data, "Pv8zq3"));
        Assert.Empty(FilesContaining(data, "Pv8zq4"));
        var mood = await KindredProcess.RunAsync("", "mood", "--data-dir", data.Path);
        Assert.DoesNotContain("sad", mood.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_enough_hard_moments_she_reflects_in_the_background_and_the_reflection_is_listed()
    {
        using var data = new DataDirectory();
        data.WriteConfig(Config);
        var hard = string.Concat(Enumerable.Repeat("I feel so sad and lonely since my dog died, I just need to vent.\n", 6));

        var chat = await ChatAsync(data, "Sam\n" + hard + "/quit\n");
        var reflections = await KindredProcess.RunAsync("", "reflections", "--data-dir", data.Path);
        var mood = await KindredProcess.RunAsync("", "mood", "--data-dir", data.Path);

        Assert.Equal(0, chat.ExitCode);
        Assert.Equal(0, reflections.ExitCode);
        Assert.Contains("a lot happened", reflections.Stdout, StringComparison.Ordinal);
        Assert.Contains("Sam often feels sad", reflections.Stdout, StringComparison.Ordinal);
        Assert.Contains("About herself:", reflections.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, mood.ExitCode);
        Assert.Contains("low", mood.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_get_a_clear_error()
    {
        using var data = new DataDirectory();
        data.WriteConfig(Config);
        await ChatAsync(data, "Sam\n/quit\n");

        var zone = await KindredProcess.RunAsync("", "reminders", "settings", "--time-zone", "Mars/Olympus", "--data-dir", data.Path);
        var quiet = await KindredProcess.RunAsync("", "reminders", "settings", "--quiet-hours", "late", "--data-dir", data.Path);
        var rollback = await KindredProcess.RunAsync("", "persona", "rollback", "9", "--data-dir", data.Path);

        Assert.Equal(1, zone.ExitCode);
        Assert.Contains("Unknown time zone 'Mars/Olympus'", zone.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, quiet.ExitCode);
        Assert.Contains("--quiet-hours must look like 22:00-08:00", quiet.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, rollback.ExitCode);
        Assert.Contains("There is no persona version 9", rollback.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", zone.Stderr + quiet.Stderr + rollback.Stderr, StringComparison.Ordinal);
    }

    private static async Task<IReadOnlyList<StoredTurn>> ReadTurnsAsync(DataDirectory data)
    {
        await using var store = await SqliteCompanionStore.OpenAsync(data.File("kindred.db"), TimeProvider.System, CancellationToken.None);
        return await store.GetHistoryAsync("default", 0, 1000, CancellationToken.None);
    }

    private static List<string> FilesContaining(DataDirectory data, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return [.. Directory.GetFiles(data.Path, "kindred.db*").Where(path => File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0)];
    }
}
