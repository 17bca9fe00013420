using System.Globalization;
using Kindred.Core;
using Spectre.Console;

namespace Kindred.Cli;

/// <summary>Prints turns as a readable transcript.</summary>
internal static class HistoryView
{
    public static void Write(IAnsiConsole console, CompanionIdentity companion, Relationship relationship, IReadOnlyList<StoredTurn> turns)
    {
        if (turns.Count == 0)
        {
            console.MarkupLine("[grey]No conversation yet.[/]");
            return;
        }

        var person = relationship.PersonName ?? "You";
        foreach (var turn in turns)
        {
            var speaker = turn.Speaker == Speaker.Person ? $"[blue]{person.EscapeMarkup()}[/]" : $"[magenta]{companion.Name.EscapeMarkup()}[/]";
            var when = turn.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var cut = turn.Status == TurnStatus.Interrupted ? " [grey](interrupted)[/]" : "";
            console.MarkupLine($"[grey]{when}[/] [bold]{speaker}[/]: {turn.Text.EscapeMarkup()}{cut}");
        }
    }
}
