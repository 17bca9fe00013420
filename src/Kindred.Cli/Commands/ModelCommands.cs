using System.ComponentModel;
using Kindred.Models.Catalog;
using Kindred.Models.Gguf;
using Kindred.Models.Local;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary><c>kindred model list</c>: the catalog, and what is on disk.</summary>
public sealed class ModelListCommand(IAnsiConsole console) : Command<CommonSettings>
{
    public override int Execute(CommandContext context, CommonSettings settings, CancellationToken cancellationToken)
    {
        var (_, dataDirectory) = settings.Resolve();
        var modelsDirectory = CompanionRuntime.ModelsDirectory(dataDirectory);
        var table = new Table().AddColumns("Name", "Installed", "Size", "Licence", "About");
        foreach (var model in ModelLocator.ListInstalled(modelsDirectory))
        {
            var name = model.IsDefault ? $"{model.Name} [grey](default)[/]" : model.Name.EscapeMarkup();
            table.AddRow(
                name,
                model.IsInstalled ? "[green]yes[/]" : "no",
                $"{model.SizeBytes / 1_048_576.0:0} MB",
                (model.CatalogEntry?.Licence ?? "").EscapeMarkup(),
                (model.CatalogEntry?.Description ?? model.Path).EscapeMarkup());
        }

        console.Write(table);
        console.MarkupLine($"[grey]Models folder: {modelsDirectory.EscapeMarkup()}. Any GGUF path works with --model too.[/]");
        return 0;
    }
}

/// <summary><c>kindred model pull [name]</c>: downloads a catalog model, resuming and verifying it.</summary>
public sealed class ModelPullCommand(IAnsiConsole console) : AsyncCommand<ModelPullCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "[NAME]")]
        [Description("A model from 'kindred model list', or a speech model such as whisper-base.en (default: the default chat model).")]
        public string? Name { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (_, dataDirectory) = settings.Resolve();
        var entry = settings.Name is null ? ModelCatalog.Default : ModelCatalog.Find(settings.Name) ?? Kindred.Voice.VoiceModelCatalog.Find(settings.Name)
            ?? throw new ArgumentException($"There is no model called '{settings.Name}'. Known: {string.Join(", ", ModelCatalog.All.Concat(Kindred.Voice.VoiceModelCatalog.All).Select(e => e.Name))}.");

        var path = await ModelPull.RunAsync(console, entry, CompanionRuntime.ModelsDirectory(dataDirectory), cancellationToken);
        console.MarkupLine($"[green]Verified[/] {path.EscapeMarkup()}");
        return 0;
    }
}

/// <summary>
/// <c>kindred model probe PATH</c> (hidden): loads a model and exits. Run as a child process so that a file that
/// makes llama.cpp abort takes down only the child.
/// </summary>
public sealed class ModelProbeCommand : Command<ModelProbeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<PATH>")]
        public string Path { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            using var model = LocalModel.Load(new LocalModelOptions { ModelPath = settings.Path, ContextLength = 128, MaxConcurrentSequences = 1, Threads = 1 });
            return 0;
        }
        catch (ModelFileException ex)
        {
            Console.Out.WriteLine(ex.Message);
            return IsolatedLoadCheck.ProbeFailedExitCode;
        }
    }
}
