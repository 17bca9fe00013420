using Kindred.Core;
using Kindred.Core.Life;
using Spectre.Console;

namespace Kindred.Cli;

/// <summary>
/// The conversation in the terminal: read a line, stream the reply, until the person leaves. The companion's turns
/// and what follows them are her <see cref="CompanionLife"/>'s; this only reads and writes the terminal.
/// </summary>
internal sealed class ChatLoop(CompanionLife life, Companion companion, ICompanionStore store, IAnsiConsole console, TextReader input, string sessionId, ReplyInterrupter interrupter, InnerChat? inner = null)
{
    private const int DefaultHistoryTurns = 20;

    private string CompanionName => companion.Identity.Name;

    public async Task RunAsync(Awakening awakening, string modelDescription, CancellationToken cancellationToken)
    {
        console.MarkupLine($"[grey]Kindred · {modelDescription.EscapeMarkup()} · /help for commands · Ctrl+C stops a reply[/]");
        if (awakening.Greeting is not null)
        {
            Say(awakening.Greeting);
        }
        else if (inner is null || !await inner.AnnounceIfOffAsync(cancellationToken))
        {
            await WelcomeBackAsync(cancellationToken);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            console.Markup("[bold blue]you ›[/] ");
            var line = await input.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                console.WriteLine();
                return;
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('/'))
            {
                if (!await RunCommandAsync(line, cancellationToken))
                {
                    return;
                }

                continue;
            }

            // The inner life may keep the line from the companion (switched off) or answer it privately.
            var route = inner is null ? null : await inner.RouteAsync(line, cancellationToken);
            if (route is { Handled: true, Stream: null })
            {
                continue;
            }

            await ReplyAsync(route?.Stream ?? (token => life.ReplyAsync(line, sessionId, token)), cancellationToken);
        }
    }

    private async Task ReplyAsync(Func<CancellationToken, IAsyncEnumerable<string>> reply, CancellationToken cancellationToken)
    {
        if (inner is not null)
        {
            await inner.ConsoleGate.WaitAsync(cancellationToken);
        }

        console.Markup($"[bold magenta]{CompanionName.EscapeMarkup()} ›[/] ");
        var replyToken = interrupter.BeginReply(cancellationToken);
        try
        {
            await foreach (var chunk in reply(replyToken))
            {
                console.Write(new Text(chunk));
            }

            console.WriteLine();
            inner?.AfterReply();
        }
        catch (OperationCanceledException) when (replyToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine(" [grey](interrupted)[/]");
        }
        catch (Kindred.Core.Inner.CompanionSwitchedOffException)
        {
            console.MarkupLine("[grey](she is switched off: not heard, not kept; /on to switch her back on)[/]");
        }
        catch (ModelBusyException)
        {
            console.MarkupLine("[grey](the model is busy with other conversations: nothing was kept; say it again in a moment)[/]");
        }
        finally
        {
            interrupter.EndReply();
            inner?.ConsoleGate.Release();
        }
    }

    private async Task<bool> RunCommandAsync(string line, CancellationToken cancellationToken)
    {
        var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (parts[0].ToLowerInvariant())
        {
            case "/quit" or "/exit" or "/bye":
                Say("Talk soon.");
                return false;
            case "/history":
                var count = parts.Length > 1 && int.TryParse(parts[1], out var n) && n > 0 ? n : DefaultHistoryTurns;
                var relationship = await companion.GetRelationshipAsync(cancellationToken);
                var turns = await store.GetRecentTurnsAsync(companion.Identity.CompanionId, count, cancellationToken);
                HistoryView.Write(console, companion.Identity, relationship, turns);
                return true;
            case "/help":
                console.MarkupLine("[grey]/history [[n]]  the last n turns (default 20)\n/quit          leave (Ctrl+D works too)\nCtrl+C         stop the reply being written[/]");
                if (inner is not null)
                {
                    console.MarkupLine($"[grey]{InnerChat.Help.EscapeMarkup()}[/]");
                }

                return true;
            case var other when inner is not null && await inner.RunCommandAsync(other, cancellationToken):
                return true;
            default:
                console.MarkupLine($"[yellow]Unknown command {parts[0].EscapeMarkup()}; /help lists them.[/]");
                return true;
        }
    }

    private async Task WelcomeBackAsync(CancellationToken cancellationToken)
    {
        var relationship = await companion.GetRelationshipAsync(cancellationToken);
        var who = relationship.PersonName is null ? "" : $", {relationship.PersonName}";
        Say($"Welcome back{who}. It's {CompanionName}.");
    }

    private void Say(string text)
    {
        console.Markup($"[bold magenta]{CompanionName.EscapeMarkup()} ›[/] ");
        console.WriteLine(text);
    }
}
