using System.ComponentModel;
using Kindred.Cli.Configuration;
using Kindred.Models.Catalog;
using Kindred.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary><c>kindred serve</c>: the server, for many people and many companions, on 127.0.0.1 unless told otherwise.</summary>
public sealed class ServeCommand(IAnsiConsole console) : AsyncCommand<ServeCommand.Settings>
{
    public sealed class Settings : ModelChoiceSettings
    {
        [CommandOption("--address <IP>")]
        [Description("The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).")]
        public string? Address { get; init; }

        [CommandOption("--port <PORT>")]
        [Description("The HTTP port (default 5117).")]
        public int? Port { get; init; }

        [CommandOption("--silo-port <PORT>")]
        [Description("The Orleans silo port (default 11111).")]
        public int? SiloPort { get; init; }

        [CommandOption("--gateway-port <PORT>")]
        [Description("The Orleans gateway port (default 30000).")]
        public int? GatewayPort { get; init; }

        protected override void Apply(KindredSettings settings)
        {
            base.Apply(settings);

            var server = settings.Server;
            server.Address = string.IsNullOrWhiteSpace(Address) ? server.Address : Address;
            server.Port = Port ?? server.Port;
            server.SiloPort = SiloPort ?? server.SiloPort;
            server.GatewayPort = GatewayPort ?? server.GatewayPort;
            settings.Server.Validate();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var runtime = await CompanionRuntime.StartAsync(resolved, dataDirectory, PullDefaultAsync, cancellationToken);

        // Logs go to stderr, ids and counts only; the console's stdout is for the person running the server.
        static void Logging(ILoggingBuilder logging) => logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter("Microsoft", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        using var loggers = LoggerFactory.Create(Logging);
        var backend = runtime.Backend(resolved, dataDirectory, loggers.CreateLogger<ServeCommand>());
        await using var app = await KindredServer.BuildAsync(resolved.Server, backend, Logging, cancellationToken);
        await app.StartAsync(cancellationToken);
        console.MarkupLine($"Kindred is listening on [bold]{app.ListeningAddress().ToString().EscapeMarkup()}[/] with {runtime.ModelDescription.EscapeMarkup()}. Ctrl+C stops it.");
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private async Task PullDefaultAsync(ModelCatalogEntry entry, string modelsDirectory, CancellationToken cancellationToken)
    {
        console.MarkupLine($"[grey]First start: downloading the default model, {entry.Name.EscapeMarkup()} ({entry.SizeBytes / 1_048_576} MB).[/]");
        await ModelPull.RunAsync(console, entry, modelsDirectory, cancellationToken);
    }
}
