using System.ComponentModel;
using Kindred.Cli.Configuration;
using Kindred.Core;
using Kindred.Core.Inner;
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
        var innerLife = new InnerLife(runtime.FullStore, runtime.Chat, TimeProvider.System, resolved.Inner, NullLogger.Instance);
        var services = runtime.Services(NullLogger.Instance, resolved.Companion) with { Inner = innerLife };
        var awakening = await console.Status().StartAsync("Waking…", _ => Companion.WakeAsync(resolved.CompanionId, sessionId, services, cancellationToken));

        // A history that was imported, or said before long-term memory existed, is indexed while the person talks.
        using var stopBacklog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var backlog = Task.Run(() => runtime.Memory.IndexPendingAsync(resolved.CompanionId, stopBacklog.Token), CancellationToken.None);

        // Facts, people and summaries are learned after each turn in the background, and what an earlier session
        // left unread (a crash, an import) is picked up now.
        await using var knowledge = runtime.StartKnowledgeWorker(NullLogger.Instance);
        knowledge.Notify(resolved.CompanionId, sessionId);

        // Inner life: what she scheduled is delivered while the person is here, and waits in the store otherwise.
        using var inner = new InnerChat(awakening.Companion, services, innerLife, console, sessionId);
        inner.Attach();
        if (settings.Private)
        {
            inner.StartPrivate();
        }

        inner.Reflector = new Reflector(runtime.Store, runtime.FullStore, runtime.FullStore, innerLife, runtime.Chat, TimeProvider.System, resolved.Inner);
        inner.ReflectIfDue();
        using var cancelReflection = cancellationToken.Register(inner.CancelReflection);
        using var outreach = new OutreachLoop(new OutreachScheduler(runtime.FullStore, TimeProvider.System, resolved.Inner), resolved.CompanionId, TimeProvider.System, inner.DeliverAsync);
        inner.Outreach = outreach;
        using var stopOutreach = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delivering = Task.Run(() => outreach.RunAsync(stopOutreach.Token), CancellationToken.None);

        using var interrupter = new ReplyInterrupter(console);
        var loop = new ChatLoop(awakening.Companion, runtime.Store, console, Console.In, sessionId, interrupter, inner) { Knowledge = knowledge };
        await loop.RunAsync(awakening, runtime.ModelDescription, cancellationToken);
        await stopOutreach.CancelAsync();
        await inner.StopAsync();
        try
        {
            await delivering;
        }
        catch (OperationCanceledException)
        {
            // What was not delivered waits for next time.
        }

        await stopBacklog.CancelAsync();
        await RememberSessionAsync(knowledge, resolved.CompanionId, cancellationToken);
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
    private async Task RememberSessionAsync(Memory.Knowledge.KnowledgeWorker knowledge, string companionId, CancellationToken cancellationToken)
    {
        try
        {
            await console.Status().StartAsync("Remembering…", _ => knowledge.DrainAsync(companionId, openSessionId: null, cancellationToken));
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
