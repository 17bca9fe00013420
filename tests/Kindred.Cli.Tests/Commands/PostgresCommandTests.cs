using System.Text.Json;
using System.Text.RegularExpressions;
using Kindred.Cli.Tests.TestSupport;
using Kindred.Memory.Tests.Contract;
using Kindred.Testing;

namespace Kindred.Cli.Tests;

/// <summary>The commands with the companion kept in PostgreSQL (Store.Provider "postgres") instead of the SQLite file.</summary>
[Collection(UsesPostgres.Name)]
public sealed class PostgresCommandTests(PostgresServer postgres)
{
    [Fact]
    public async Task Chat_history_and_every_memory_command_work_on_postgres()
    {
        using var data = new DataDirectory();
        var database = await postgres.CreateDatabaseAsync("t_" + Guid.NewGuid().ToString("N"));
        data.WriteConfig(JsonSerializer.Serialize(new { Store = new { Provider = "postgres", ConnectionString = database }, Companion = new { MaxReplyTokens = 16 } }));

        var chat = await KindredProcess.RunAsync("Sam\nI'm married to Catherine. My brother Quillon is visiting. I moved to Porto.\n/quit\n", "chat", "--model", SharedModels.Stories260K, "--data-dir", data.Path);
        Assert.Equal(0, chat.ExitCode);
        Assert.False(File.Exists(data.File("kindred.db")), "The SQLite file must not be used when PostgreSQL is configured.");

        var history = await KindredProcess.RunAsync("", "history", "--data-dir", data.Path);
        Assert.Equal(0, history.ExitCode);
        Assert.Contains("My brother Quillon is visiting.", history.Stdout, StringComparison.Ordinal);

        var facts = await KindredProcess.RunAsync("", "memory", "facts", "--history", "--data-dir", data.Path);
        Assert.Equal(0, facts.ExitCode);
        Assert.Contains("They moved to Porto.", facts.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Quillon\s*│[^\n]*│\s*brother", facts.Stdout);
        var porto = Regex.Match(facts.Stdout, @"(\d+)\s*│[^\n]*They moved to Porto").Groups[1].Value;

        Assert.Equal(0, (await KindredProcess.RunAsync("", "memory", "edit", porto, "They live in Vila Nova de Gaia.", "--data-dir", data.Path)).ExitCode);
        var forget = await KindredProcess.RunAsync("", "memory", "forget", "--person", "quillon", "--yes", "--data-dir", data.Path);
        Assert.Equal(0, forget.ExitCode);
        Assert.Contains("Forgotten Quillon", forget.Stdout, StringComparison.Ordinal);

        var after = await KindredProcess.RunAsync("", "memory", "facts", "--data-dir", data.Path);
        Assert.Contains("They live in Vila Nova de Gaia.", after.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Quillon", after.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Quillon", (await KindredProcess.RunAsync("", "memory", "list", "--data-dir", data.Path)).Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await KindredProcess.RunAsync("", "persona", "show", "--data-dir", data.Path)).ExitCode);

        var exported = data.File("export.json");
        Assert.Equal(0, (await KindredProcess.RunAsync("", "memory", "export", "-o", exported, "--data-dir", data.Path)).ExitCode);
        var imported = await KindredProcess.RunAsync("", "memory", "import", exported, "--as", "copy", "--data-dir", data.Path);
        Assert.Equal(0, imported.ExitCode);
        var copied = await KindredProcess.RunAsync("", "memory", "facts", "--companion", "copy", "--data-dir", data.Path);
        Assert.Contains("They live in Vila Nova de Gaia.", copied.Stdout, StringComparison.Ordinal);
    }
}
