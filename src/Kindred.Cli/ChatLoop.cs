using Kindred.Core;
using Spectre.Console;

namespace Kindred.Cli;

/// <summary>The conversation in the terminal: read a line, stream the reply, until the person leaves.</summary>
internal sealed class ChatLoop(Companion companion, ICompanionStore store, IAnsiConsole console, TextReader input, string sessionId, ReplyInterrupter interrupter)
{
    private const int DefaultHistoryTurns = 20;

    private string CompanionName => companion.Identity.Name;

    /// <summary>Learns from each turn in the background; kept off the model while a reply is written.</summary>
    public Memory.Knowledge.KnowledgeWorker? Knowledge { get; init; }

    public async Task RunAsync(Awakening awakening, string modelDescription, CancellationToken cancellationToken)
    {
        console.MarkupLine($"[grey]Kindred · {modelDescription.EscapeMarkup()} · /help for commands · Ctrl+C stops a reply[/]");
        if (awakening.Greeting is not null)
        {
            Say(awakening.Greeting);
        }
        else
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

            await ReplyAsync(line, cancellationToken);
        }
    }

    private async Task ReplyAsync(string line, CancellationToken cancellationToken)
    {
        console.Markup($"[bold magenta]{CompanionName.EscapeMarkup()} ›[/] ");
        var replyToken = interrupter.BeginReply(cancellationToken);
        var hold = Knowledge?.HoldForReply();
        try
        {
            await foreach (var chunk in companion.ReplyAsync(line, sessionId, replyToken))
            {
                console.Write(new Text(chunk));
            }

            console.WriteLine();
        }
        catch (OperationCanceledException) when (replyToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine(" [grey](interrupted)[/]");
        }
        finally
        {
            interrupter.EndReply();
            hold?.Dispose();
            Knowledge?.Notify(companion.Identity.CompanionId, sessionId);
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
