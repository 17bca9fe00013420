using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Core.Life;
using Kindred.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Kindred.Cli;

/// <summary>
/// One chat session in the terminal over a companion's life, as <c>kindred chat</c> runs it once the store and the
/// model are open: wake, catch up, talk until the person leaves, then learn from the session and summarise it.
/// </summary>
internal static class ChatSession
{
    /// <param name="parts">What the life is wired from; the caller owns them.</param>
    /// <param name="input">What the person types, a line at a time, until it ends or they leave.</param>
    public static async Task RunAsync(
        IAnsiConsole console,
        LifeParts parts,
        string companionId,
        TextReader input,
        string modelDescription,
        bool startPrivate,
        CancellationToken cancellationToken)
    {
        var sessionId = Guid.NewGuid().ToString("N");
        await using var lives = new ServiceCollection().AddKindredLife(parts).BuildServiceProvider();
        var services = lives.GetRequiredService<CompanionServices>();
        await using var life = new CompanionLife(companionId, services);
        var awakening = await console.Status().StartAsync("Waking…", _ => life.WakeAsync(sessionId, cancellationToken));

        // A history that was imported, or said before long-term memory existed, is indexed while the person talks.
        using var stopBacklog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var backlog = Task.Run(() => parts.Memory.IndexPendingAsync(companionId, stopBacklog.Token), CancellationToken.None);

        // What an earlier session left unread (a crash, an import) is learned now, and a reflection that came due is made.
        life.CatchUp(sessionId);

        // Inner life: what she scheduled is delivered while the person is here, and waits in the store otherwise.
        using var inner = new InnerChat(life, awakening.Companion, services.Inner!, console, sessionId);
        inner.Attach();
        if (startPrivate)
        {
            inner.StartPrivate();
        }

        using var outreach = new OutreachLoop(lives.GetRequiredService<OutreachScheduler>(), companionId, parts.Time, inner.DeliverAsync);
        inner.Outreach = outreach;
        services.Events.OutreachPlanned += _ => outreach.Wake();
        using var stopOutreach = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delivering = Task.Run(() => outreach.RunAsync(stopOutreach.Token), CancellationToken.None);

        using var interrupter = new ReplyInterrupter(console);
        var loop = new ChatLoop(life, awakening.Companion, parts.Store, console, input, sessionId, interrupter, inner);
        await loop.RunAsync(awakening, modelDescription, cancellationToken);
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
        await RememberSessionAsync(console, life, cancellationToken);
        try
        {
            await backlog;
        }
        catch (OperationCanceledException)
        {
            // What was not indexed yet is indexed next time.
        }
    }

    // The session is over: learn from the rest of it and summarise it. Interrupting only postpones this to next time.
    private static async Task RememberSessionAsync(IAnsiConsole console, CompanionLife life, CancellationToken cancellationToken)
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
}
