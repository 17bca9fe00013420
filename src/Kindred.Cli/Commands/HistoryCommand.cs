using System.ComponentModel;
using Kindred.Core;
using Kindred.Memory;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary><c>kindred history</c>: everything said, oldest first.</summary>
public sealed class HistoryCommand(IAnsiConsole console) : AsyncCommand<HistoryCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("-n|--last <COUNT>")]
        [Description("Show only the last COUNT turns (default: all).")]
        public int? Last { get; init; }

        public override ValidationResult Validate() =>
            Last is <= 0 ? ValidationResult.Error("--last must be a positive number.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        if (!CompanionData.MayExist(resolved, dataDirectory))
        {
            console.MarkupLine($"[grey]No companion has woken in {dataDirectory.EscapeMarkup()} yet; start one with 'kindred chat'.[/]");
            return 0;
        }

        await using var data = await CompanionData.OpenAsync(resolved, dataDirectory, cancellationToken);
        var store = data.Store;
        var companion = await store.FindCompanionAsync(resolved.CompanionId, cancellationToken);
        if (companion is null)
        {
            console.MarkupLine($"[grey]No companion '{resolved.CompanionId.EscapeMarkup()}' here yet; start it with 'kindred chat'.[/]");
            return 0;
        }

        var relationship = await store.GetRelationshipAsync(companion.CompanionId, cancellationToken);
        var turns = settings.Last is { } last
            ? await store.GetRecentTurnsAsync(companion.CompanionId, last, cancellationToken)
            : await store.GetWholeHistoryAsync(companion.CompanionId, cancellationToken);
        console.MarkupLine($"[bold]{companion.Name.EscapeMarkup()}[/] [grey]woke {companion.WokeAt.ToLocalTime():yyyy-MM-dd HH:mm} · {relationship.TurnCount} turns[/]");
        HistoryView.Write(console, companion, relationship, turns);
        return 0;
    }
}
