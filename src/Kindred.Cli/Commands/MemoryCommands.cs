using System.ComponentModel;
using System.Globalization;
using Kindred.Cli.Configuration;
using Kindred.Core;
using Kindred.Memory;
using Kindred.Memory.Portable;
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
        await using var data = await CompanionData.OpenExistingAsync(resolved, dataDirectory, cancellationToken);
        var memory = data.Memory;
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

/// <summary><c>kindred memory forget TURN | --fact ID | --person NAME</c>: forget a turn, a fact or a whole person for good.</summary>
public sealed class MemoryForgetCommand(IAnsiConsole console) : AsyncCommand<MemoryForgetCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "[TURN]")]
        [Description("The turn's number, as 'memory search' or 'history' shows it.")]
        public long? TurnId { get; init; }

        [CommandOption("--fact <ID>")]
        [Description("Forget this fact instead (its number in 'memory facts').")]
        public long? FactId { get; init; }

        [CommandOption("--person <NAME_OR_ID>")]
        [Description("Forget this person instead: their record, every fact about them and every turn that mentions them.")]
        public string? Person { get; init; }

        [CommandOption("-y|--yes")]
        [Description("Do not ask for confirmation.")]
        public bool Yes { get; init; }

        public override ValidationResult Validate() =>
            (TurnId is null ? 0 : 1) + (FactId is null ? 0 : 1) + (string.IsNullOrWhiteSpace(Person) ? 0 : 1) == 1
                ? ValidationResult.Success()
                : ValidationResult.Error("Say what to forget: a TURN number, or --fact ID, or --person NAME (one of them).");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var data = await CompanionData.OpenExistingAsync(resolved, dataDirectory, cancellationToken);
        var store = data.Store;
        if (settings.FactId is { } factId)
        {
            return await KnowledgeForgetting.ForgetFactAsync(console, store, resolved.CompanionId, factId, settings.Yes, cancellationToken);
        }

        if (!string.IsNullOrWhiteSpace(settings.Person))
        {
            return await KnowledgeForgetting.ForgetPersonAsync(console, store, resolved.CompanionId, settings.Person, settings.Yes, cancellationToken);
        }

        var turn = (await store.GetTurnsAsync(resolved.CompanionId, [settings.TurnId!.Value], cancellationToken)).SingleOrDefault()
            ?? throw new KeyNotFoundException($"There is no turn {settings.TurnId} in what '{resolved.CompanionId}' remembers.");

        if (!settings.Yes && !console.Confirm($"Forget turn {turn.Id} (\"{Shorten(turn.Text, 60).EscapeMarkup()}\") for good?", defaultValue: false))
        {
            console.MarkupLine("[grey]Kept.[/]");
            return 0;
        }

        await data.Memory.ForgetTurnAsync(resolved.CompanionId, turn.Id, cancellationToken);
        console.MarkupLine($"[green]Forgotten[/] turn {turn.Id}: gone from the conversation, the search index and the database file.");
        return 0;
    }

    internal static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}

/// <summary><c>kindred memory export [-o FILE]</c>: everything the companion knows, as one portable JSON file.</summary>
public sealed class MemoryExportCommand(IAnsiConsole console) : AsyncCommand<MemoryExportCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("-o|--output <FILE>")]
        [Description("Where to write it (default: standard output). The format is in docs/export-format.md.")]
        public string? Output { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var data = await CompanionData.OpenExistingAsync(resolved, dataDirectory, cancellationToken);
        var store = data.Store;
        if (settings.Output is null)
        {
            await using var stdout = Console.OpenStandardOutput();
            await MemoryExport.ExportAsync(store, resolved.CompanionId, stdout, cancellationToken);
            return 0;
        }

        // Written beside the target and moved into place, so an interrupted export never leaves half a file.
        var partial = settings.Output + ".part";
        await using (var file = File.Create(partial))
        {
            await MemoryExport.ExportAsync(store, resolved.CompanionId, file, cancellationToken);
        }

        File.Move(partial, settings.Output, overwrite: true);
        console.MarkupLine($"[green]Exported[/] {resolved.CompanionId.EscapeMarkup()} to {settings.Output.EscapeMarkup()}");
        return 0;
    }
}

/// <summary><c>kindred memory import FILE [--as ID]</c>: bring an exported companion back.</summary>
public sealed class MemoryImportCommand(IAnsiConsole console) : AsyncCommand<MemoryImportCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("A file written by 'kindred memory export'.")]
        public string File { get; init; } = "";

        [CommandOption("--as <ID>")]
        [Description("Import under this companion id instead of the exported one.")]
        public string? As { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        if (!System.IO.File.Exists(settings.File))
        {
            throw new ArgumentException($"Export file not found: {settings.File}");
        }

        await using var data = await CompanionData.OpenAsync(resolved, dataDirectory, cancellationToken);
        await using var input = System.IO.File.OpenRead(settings.File);
        var (id, turns) = await MemoryExport.ImportAsync(data.Store, input, settings.As, cancellationToken);
        console.MarkupLine($"[green]Imported[/] {id.EscapeMarkup()} with {turns} turns.");
        return 0;
    }
}

/// <summary><c>kindred memory list</c>: what the companion remembers, newest last, with the numbers other commands take.</summary>
public sealed class MemoryListCommand(IAnsiConsole console) : AsyncCommand<MemoryListCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("-n|--last <COUNT>")]
        [Description("How many of the latest turns to list (default 50).")]
        public int Last { get; init; } = 50;

        public override ValidationResult Validate() =>
            Last is < 1 or > 100_000 ? ValidationResult.Error("--last must be between 1 and 100000.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var data = await CompanionData.OpenExistingAsync(resolved, dataDirectory, cancellationToken);
        var store = data.Store;
        var turns = await store.GetRecentTurnsAsync(resolved.CompanionId, settings.Last, cancellationToken);
        if (turns.Count == 0)
        {
            console.MarkupLine("[grey]Nothing remembered yet.[/]");
            return 0;
        }

        var table = new Table().AddColumns("Turn", "When", "Who", "What was said");
        foreach (var turn in turns)
        {
            table.AddRow(
                turn.Id.ToString(CultureInfo.InvariantCulture),
                turn.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                turn.Speaker == Speaker.Person ? "you" : "companion",
                MemoryForgetCommand.Shorten(turn.Text, 200).EscapeMarkup());
        }

        console.Write(table);
        return 0;
    }
}

/// <summary><c>kindred memory show TURN</c>: one turn in full, with the turns around it.</summary>
public sealed class MemoryShowCommand(IAnsiConsole console) : AsyncCommand<MemoryShowCommand.Settings>
{
    private const int Around = 2;

    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<TURN>")]
        [Description("The turn's number, as 'memory list' or 'memory search' shows it.")]
        public long TurnId { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var data = await CompanionData.OpenExistingAsync(resolved, dataDirectory, cancellationToken);
        var store = data.Store;
        var companion = await store.FindCompanionAsync(resolved.CompanionId, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no companion '{resolved.CompanionId}' here.");
        var before = await store.GetHistoryAsync(resolved.CompanionId, Math.Max(0, settings.TurnId - 1 - (Around * 4)), Around * 8 + 1, cancellationToken);
        var index = before.ToList().FindIndex(t => t.Id == settings.TurnId);
        if (index < 0)
        {
            throw new KeyNotFoundException($"There is no turn {settings.TurnId} in what '{resolved.CompanionId}' remembers.");
        }

        var shown = before.Skip(Math.Max(0, index - Around)).Take((Around * 2) + 1).ToList();
        var relationship = await store.GetRelationshipAsync(resolved.CompanionId, cancellationToken);
        HistoryView.Write(console, companion, relationship, shown);
        var turn = before[index];
        console.MarkupLine($"[grey]Turn {turn.Id}: {turn.Speaker.ToString().ToLowerInvariant()}, session {turn.SessionId.EscapeMarkup()}, {turn.Status.ToString().ToLowerInvariant()}.[/]");
        return 0;
    }
}
