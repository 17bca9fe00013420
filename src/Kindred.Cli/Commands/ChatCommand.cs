using System.ComponentModel;
using Kindred.Cli.Configuration;
using Kindred.Models.Catalog;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary><c>kindred chat</c>: talk with your companion in the terminal.</summary>
public sealed class ChatCommand(IAnsiConsole console) : AsyncCommand<ChatCommand.Settings>
{
    public sealed class Settings : ModelChoiceSettings
    {
        [CommandOption("--private")]
        [Description("Start with a private conversation: nothing said is remembered or stored (/public ends it).")]
        public bool Private { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var runtime = await CompanionRuntime.StartAsync(resolved, dataDirectory, PullDefaultAsync, cancellationToken);
        await ChatSession.RunAsync(console, runtime.LifeParts(resolved, NullLogger.Instance), resolved.CompanionId, Console.In, runtime.ModelDescription, settings.Private, cancellationToken);
        return 0;
    }

    private async Task PullDefaultAsync(ModelCatalogEntry entry, string modelsDirectory, CancellationToken cancellationToken)
    {
        console.MarkupLine($"[grey]First start: downloading the default model, {entry.Name.EscapeMarkup()} ({entry.SizeBytes / 1_048_576} MB). Use --model PATH or --endpoint URL to use another.[/]");
        await ModelPull.RunAsync(console, entry, modelsDirectory, cancellationToken);
    }
}
