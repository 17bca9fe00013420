using System.ComponentModel;
using System.Globalization;
using Kindred.Core;
using Kindred.Memory;
using Kindred.Memory.Recall;
using Kindred.Models.Embeddings;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary><c>kindred memory search QUERY</c>: what the companion would recall, and why.</summary>
public sealed class MemorySearchCommand(IAnsiConsole console) : AsyncCommand<MemorySearchCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<QUERY>")]
        [Description("What to look for, in your own words.")]
        public string Query { get; init; } = "";

        [CommandOption("-n|--limit <COUNT>")]
        [Description("How many memories to show (default 10).")]
        public int Limit { get; init; } = 10;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 1000 ? ValidationResult.Error("--limit must be between 1 and 1000.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var store = await MemoryStore.OpenExistingAsync(dataDirectory, cancellationToken);
        using var embedder = new MiniLmEmbeddingGenerator();
        using var memory = new MemoryIndex(store, embedder);
        await memory.IndexPendingAsync(resolved.CompanionId, cancellationToken);
        var hits = await memory.SearchAsync(resolved.CompanionId, settings.Query, settings.Limit, DateTimeOffset.MaxValue, cancellationToken);
        if (hits.Count == 0)
        {
            console.MarkupLine("[grey]Nothing matches.[/]");
            return 0;
        }

        var table = new Table().AddColumns("Turn", "When", "Who", "What was said", "Why");
        foreach (var hit in hits)
        {
            table.AddRow(
                hit.Turn.Id.ToString(CultureInfo.InvariantCulture),
                hit.Turn.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                hit.Turn.Speaker == Speaker.Person ? "you" : "companion",
                MemoryForgetCommand.Shorten(hit.Turn.Text, 200).EscapeMarkup(),
                hit.Why.EscapeMarkup());
        }

        console.Write(table);
        return 0;
    }
}

/// <summary><c>kindred memory forget TURN</c>: forget one turn for good.</summary>
public sealed class MemoryForgetCommand(IAnsiConsole console) : AsyncCommand<MemoryForgetCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<TURN>")]
        [Description("The turn's number, as 'memory search' or 'history' shows it.")]
        public long TurnId { get; init; }

        [CommandOption("-y|--yes")]
        [Description("Do not ask for confirmation.")]
        public bool Yes { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var store = await MemoryStore.OpenExistingAsync(dataDirectory, cancellationToken);
        var turn = (await store.GetTurnsAsync(resolved.CompanionId, [settings.TurnId], cancellationToken)).SingleOrDefault()
            ?? throw new KeyNotFoundException($"There is no turn {settings.TurnId} in what '{resolved.CompanionId}' remembers.");

        if (!settings.Yes && !console.Confirm($"Forget turn {turn.Id} (\"{Shorten(turn.Text, 60).EscapeMarkup()}\") for good?", defaultValue: false))
        {
            console.MarkupLine("[grey]Kept.[/]");
            return 0;
        }

        using var embedder = new MiniLmEmbeddingGenerator();
        using var memory = new MemoryIndex(store, embedder);
        await memory.ForgetTurnAsync(resolved.CompanionId, turn.Id, cancellationToken);
        console.MarkupLine($"[green]Forgotten[/] turn {turn.Id}: gone from the conversation, the search index and the database file.");
        return 0;
    }

    internal static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}

internal static class MemoryStore
{
    public static async Task<SqliteCompanionStore> OpenExistingAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var path = CompanionRuntime.DatabasePath(dataDirectory);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"No companion has woken in {dataDirectory} yet; start one with 'kindred chat'.");
        }

        return await SqliteCompanionStore.OpenAsync(path, TimeProvider.System, cancellationToken);
    }
}
