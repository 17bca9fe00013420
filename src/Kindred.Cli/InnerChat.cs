using System.Globalization;
using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Core.Life;
using Spectre.Console;

namespace Kindred.Cli;

/// <summary>How <see cref="ChatLoop"/> should treat a line the person typed.</summary>
/// <param name="Handled">True when the line was dealt with here and must not reach the companion.</param>
/// <param name="Stream">A reply to stream instead of the companion's remembered one (a private conversation).</param>
internal sealed record LineRoute(bool Handled, Func<CancellationToken, IAsyncEnumerable<string>>? Stream);

/// <summary>
/// The inner life in the terminal: the on/off switch and private conversations (/off, /on, /private, /public), what
/// she has made of the person (/persona, /mood, /reminders), and delivering what she scheduled while the person is here.
/// </summary>
internal sealed class InnerChat(CompanionLife life, Companion companion, InnerLife inner, IAnsiConsole console, string sessionId) : IDisposable
{
    private readonly List<string> _notes = [];

    // The private conversation going on, by the id her life keeps it under; null when the conversation is remembered.
    private string? _private;

    /// <summary>Held while anything is written as the companion, so a delivery never lands inside a streaming reply.</summary>
    public SemaphoreSlim ConsoleGate { get; } = new(1, 1);

    /// <summary>The running delivery loop, woken when something new is scheduled or she is switched back on.</summary>
    public OutreachLoop? Outreach { get; set; }

    private string Id => companion.Identity.CompanionId;

    private string Name => companion.Identity.Name;

    public const string Help =
        "/off           switch her off: nothing you type is heard or kept, nothing is sent\n" +
        "/on            switch her back on\n" +
        "/private       a private conversation: nothing is remembered until /public\n" +
        "/public        end the private conversation (it is gone)\n" +
        "/persona       how she is now, and her latest change\n" +
        "/mood          how you have seemed, day by day, this week\n" +
        "/reminders     what she will remind you of";

    /// <summary>Starts listening for what each turn sets in motion.</summary>
    public void Attach() => inner.Perceived += OnPerceived;

    /// <summary>Starts a private conversation (or keeps the one already going).</summary>
    public void StartPrivate()
    {
        _private ??= "private:" + sessionId;
        console.MarkupLine("[grey]Private conversation: nothing you or she says from now until /public is remembered or stored.[/]");
    }

    /// <summary>What she says on coming back to a person who switched her off last time.</summary>
    public async Task<bool> AnnounceIfOffAsync(CancellationToken cancellationToken)
    {
        if (!await inner.IsOffAsync(Id, cancellationToken))
        {
            return false;
        }

        console.MarkupLine($"[grey]{Name.EscapeMarkup()} is switched off: nothing you type is heard or kept, and nothing is sent. /on switches her back on.[/]");
        return true;
    }

    public async Task<LineRoute> RouteAsync(string line, CancellationToken cancellationToken)
    {
        if (await inner.IsOffAsync(Id, cancellationToken))
        {
            console.MarkupLine("[grey](off: not heard, not kept; /on to switch her back on)[/]");
            return new LineRoute(true, null);
        }

        if (_private is { } conversation)
        {
            return new LineRoute(true, token => life.ReplyPrivatelyAsync(line, conversation, token));
        }

        return new LineRoute(false, null);
    }

    /// <summary>Runs an inner-life command; false when the command is not one of these.</summary>
    public async Task<bool> RunCommandAsync(string command, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case "/off":
                _private = null;
                await life.SwitchOffAsync(cancellationToken);
                console.MarkupLine($"[grey]{Name.EscapeMarkup()} is off. Nothing you type is heard or kept, and nothing is sent, until /on.[/]");
                return true;
            case "/on":
                // She says what she says about the time she was off, and her life remembers it.
                var back = await life.SwitchOnAsync(sessionId, cancellationToken);
                if (back is null)
                {
                    console.MarkupLine($"[grey]{Name.EscapeMarkup()} is already on.[/]");
                    return true;
                }

                Say(back);
                Outreach?.Wake();
                return true;
            case "/private":
                if (await AnnounceIfOffAsync(cancellationToken))
                {
                    return true;
                }

                StartPrivate();
                return true;
            case "/public":
                if (_private is null)
                {
                    console.MarkupLine("[grey]This conversation is not private.[/]");
                    return true;
                }

                await life.EndPrivateAsync(_private);
                _private = null;
                console.MarkupLine("[grey]The private conversation is over and gone; from now on she remembers again.[/]");
                return true;
            case "/persona":
                var persona = await inner.GetPersonaAsync(Id, cancellationToken);
                var latest = (await inner.GetPersonaHistoryAsync(Id, cancellationToken))[^1];
                console.MarkupLine($"[grey]{persona.SelfDescription.EscapeMarkup()}\nManner: {persona.Manner().EscapeMarkup()}\nLatest change (version {latest.Version}): {latest.Reason.EscapeMarkup()}\n'kindred persona history' shows every change; 'kindred persona rollback N' undoes one.[/]");
                return true;
            case "/mood":
                var days = await inner.GetTimelineAsync(Id, TimeSpan.FromDays(7), cancellationToken);
                console.MarkupLine(days.Count == 0
                    ? "[grey]Nothing yet.[/]"
                    : "[grey]" + string.Join('\n', days.Select(d => $"{d.Day.ToString("ddd d MMM", CultureInfo.InvariantCulture)}  {MoodView.Describe(d)}")).EscapeMarkup() + "[/]");
                return true;
            case "/reminders":
                var policy = await inner.GetPolicyAsync(Id, cancellationToken);
                var zone = policy.Validate();
                var pending = await inner.Store.GetPendingOutreachAsync(Id, cancellationToken);
                console.MarkupLine(pending.Count == 0
                    ? "[grey]Nothing scheduled.[/]"
                    : "[grey]" + string.Join('\n', pending.Select(p => $"{p.Id}. {LocalClock.ToLocal(p.DueAt, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture)}  {p.Text}")).EscapeMarkup() + "[/]");
                return true;
            default:
                return false;
        }
    }

    /// <summary>Shows what the last turn set in motion (a reminder set, a change in her), after her reply.</summary>
    public void AfterReply()
    {
        string[] notes;
        lock (_notes)
        {
            notes = [.. _notes];
            _notes.Clear();
        }

        foreach (var note in notes)
        {
            console.MarkupLine($"[grey]({note.EscapeMarkup()})[/]");
        }
    }

    /// <summary>Says a scheduled message now, as the companion, and remembers that she said it.</summary>
    public async Task DeliverAsync(OutreachItem item, string words, CancellationToken cancellationToken)
    {
        await ConsoleGate.WaitAsync(cancellationToken);
        try
        {
            console.WriteLine();
            await life.SayAsync(words, sessionId, cancellationToken);
            Say(words);
            console.Markup("[bold blue]you ›[/] ");
        }
        finally
        {
            ConsoleGate.Release();
        }
    }

    public void Dispose()
    {
        inner.Perceived -= OnPerceived;
        ConsoleGate.Dispose();
    }

    private void Say(string words)
    {
        console.Markup($"[bold magenta]{Name.EscapeMarkup()} ›[/] ");
        console.WriteLine(words);
    }

    private void OnPerceived(string companionId, TurnUnderstanding understanding)
    {
        if (companionId != Id)
        {
            return;
        }

        lock (_notes)
        {
            if (understanding.Reminder is { } reminder)
            {
                _notes.Add($"reminder {reminder.Id} set for {LocalClock.ToLocal(reminder.DueAt, understanding.Zone).ToString("dddd d MMMM HH:mm", CultureInfo.InvariantCulture)}");
            }

            if (understanding.Thread is { } thread)
            {
                _notes.Add($"she will ask about {thread.About} later");
            }

            if (understanding.PersonaChange is { } change)
            {
                _notes.Add($"she changed: {change.Reason.TrimEnd('.')}; 'kindred persona history' shows it");
            }
        }

        if (understanding.Reminder is not null || understanding.Thread is not null)
        {
            Outreach?.Wake();
        }
    }
}

/// <summary>A day's mood in a few words.</summary>
internal static class MoodView
{
    public static string Describe(DayMood day)
    {
        var tone = day.MeanValence switch
        {
            <= -0.5 => "low",
            < -0.15 => "a bit low",
            >= 0.5 => "bright",
            > 0.15 => "good",
            _ => "even",
        };
        var emotions = day.Emotions.Count > 0 ? " — " + string.Join(", ", day.Emotions.Take(3)) : "";
        return string.Create(CultureInfo.InvariantCulture, $"{tone}{emotions} ({day.Turns} turn{(day.Turns == 1 ? "" : "s")})");
    }
}
