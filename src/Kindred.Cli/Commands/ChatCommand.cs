using System.ComponentModel;
using Kindred.Cli.Configuration;
using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Core.Life;
using Kindred.Hosting;
using Microsoft.Extensions.DependencyInjection;
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
        var sessionId = Guid.NewGuid().ToString("N");
        await using var lives = new ServiceCollection().AddKindredLife(runtime.LifeParts(resolved, NullLogger.Instance)).BuildServiceProvider();
        var services = lives.GetRequiredService<CompanionServices>();
        await using var life = new CompanionLife(resolved.CompanionId, services);
        var awakening = await console.Status().StartAsync("Waking…", _ => life.WakeAsync(sessionId, cancellationToken));

        // A history that was imported, or said before long-term memory existed, is indexed while the person talks.
        using var stopBacklog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var backlog = Task.Run(() => runtime.Memory.IndexPendingAsync(resolved.CompanionId, stopBacklog.Token), CancellationToken.None);

        // What an earlier session left unread (a crash, an import) is learned now, and a reflection that came due is made.
        life.CatchUp(sessionId);

        // Inner life: what she scheduled is delivered while the person is here, and waits in the store otherwise.
        using var inner = new InnerChat(life, awakening.Companion, services.Inner!, console, sessionId);
        inner.Attach();
        if (settings.Private)
        {
            inner.StartPrivate();
        }

        using var outreach = new OutreachLoop(lives.GetRequiredService<OutreachScheduler>(), resolved.CompanionId, TimeProvider.System, inner.DeliverAsync);
        inner.Outreach = outreach;
        services.Events.OutreachPlanned += _ => outreach.Wake();
        using var stopOutreach = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delivering = Task.Run(() => outreach.RunAsync(stopOutreach.Token), CancellationToken.None);

        using var interrupter = new ReplyInterrupter(console);
        var loop = new ChatLoop(life, awakening.Companion, runtime.Store, console, Console.In, sessionId, interrupter, inner);
        await loop.RunAsync(awakening, runtime.ModelDescription, cancellationToken);
        await stopOutreach.CancelAsync();
        try
        {
            await delivering;
        }
        catch (OperationCanceledException)
        {
            // What was not delivered waits for next time.
        }

        await stopBacklog.CancelAsync();
        await RememberSessionAsync(life, cancellationToken);
        try
        {
            await backlog;
        }
        catch (OperationCanceledException)
        {
            // What was not indexed yet is indexed next time.
        }

        return 0;
    }

    // The session is over: learn from the rest of it and summarise it. Interrupting only postpones this to next time.
    private async Task RememberSessionAsync(CompanionLife life, CancellationToken cancellationToken)
    {
        try
        {
            await console.Status().StartAsync("Remembering…", async _ =>
            {
                await life.SettleAsync();
                await life.LearnNowAsync(openSessionId: null, cancellationToken);
            });
        }
        catch (OperationCanceledException)
        {
            // Picked up from the stored turns next time.
        }
    }

    private async Task PullDefaultAsync(ModelCatalogEntry entry, string modelsDirectory, CancellationToken cancellationToken)
    {
        console.MarkupLine($"[grey]First start: downloading the default model, {entry.Name.EscapeMarkup()} ({entry.SizeBytes / 1_048_576} MB). Use --model PATH or --endpoint URL to use another.[/]");
        await ModelPull.RunAsync(console, entry, modelsDirectory, cancellationToken);
    }
}
