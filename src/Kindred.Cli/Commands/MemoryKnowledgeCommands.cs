using System.ComponentModel;
using System.Globalization;
using Kindred.Memory;
using Kindred.Memory.Knowledge;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary><c>kindred memory facts</c>: what the companion knows about the person and the people in their life.</summary>
public sealed class MemoryFactsCommand(IAnsiConsole console) : AsyncCommand<MemoryFactsCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("--history")]
        [Description("Also show facts that no longer hold, with when they stopped.")]
        public bool History { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var data = await CompanionData.OpenExistingAsync(resolved, dataDirectory, cancellationToken);
        var store = data.Store;
        var facts = await store.GetFactsAsync(resolved.CompanionId, settings.History, cancellationToken);
        var people = await store.GetPeopleAsync(resolved.CompanionId, cancellationToken);
        var summaries = await store.GetSummariesAsync(resolved.CompanionId, cancellationToken);
        var reflections = await store.GetReflectionsAsync(resolved.CompanionId, cancellationToken);
        if (facts.Count + people.Count + summaries.Count + reflections.Count == 0)
        {
            console.MarkupLine("[grey]No facts or people known yet.[/]");
            return 0;
        }

        if (facts.Count > 0)
        {
            var table = new Table().Title("Facts").AddColumns("Fact", "About", "What is known", "Since", "Until", "Source", "From turns");
            foreach (var fact in facts)
            {
                table.AddRow(
                    fact.Id.ToString(CultureInfo.InvariantCulture),
                    (fact.Subject == FactSubject.Person ? "you" : fact.Subject).EscapeMarkup() + $" · {fact.Attribute.EscapeMarkup()}",
                    fact.Text.EscapeMarkup(),
                    Day(fact.ValidFrom),
                    fact.ValidTo is { } to ? Day(to) : "now",
                    Source(fact.Source),
                    string.Join(", ", fact.TurnIds));
            }

            console.Write(table);
        }

        if (people.Count > 0)
        {
            var table = new Table().Title("People").AddColumns("Person", "Name", "Also called", "Who they are to you", "Mentioned in turns");
            foreach (var person in people)
            {
                table.AddRow(
                    person.Id.ToString(CultureInfo.InvariantCulture),
                    person.Name.EscapeMarkup(),
                    string.Join(", ", person.Aliases).EscapeMarkup(),
                    (person.Relation ?? "").EscapeMarkup(),
                    string.Join(", ", person.TurnIds));
            }

            console.Write(table);
        }

        foreach (var summary in summaries)
        {
            console.MarkupLine($"[grey]Session of {Day(summary.At)} (turns {summary.FirstTurnId}–{summary.LastTurnId}):[/] {summary.Text.EscapeMarkup()}");
        }

        foreach (var reflection in reflections)
        {
            console.MarkupLine($"[grey]Reflection, {Day(reflection.At)}:[/] {reflection.Text.EscapeMarkup()}");
        }

        return 0;
    }

    private static string Day(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Source(KnowledgeSource source) => source switch
    {
        KnowledgeSource.Person => "you",
        KnowledgeSource.Model => "model",
        _ => "built-in",
    };
}

/// <summary><c>kindred memory edit FACT TEXT</c>: correct a fact; the correction replaces it, with you as its source.</summary>
public sealed class MemoryEditCommand(IAnsiConsole console) : AsyncCommand<MemoryEditCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<FACT>")]
        [Description("The fact's number, as 'memory facts' shows it.")]
        public long FactId { get; init; }

        [CommandArgument(1, "<TEXT>")]
        [Description("What is true instead, as a sentence (\"They live in Porto.\").")]
        public string Text { get; init; } = "";

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Text) || Text.Length > 500 ? ValidationResult.Error("TEXT must say something, in at most 500 characters.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var data = await CompanionData.OpenExistingAsync(resolved, dataDirectory, cancellationToken);
        var store = data.Store;
        var corrected = await store.CorrectFactAsync(resolved.CompanionId, settings.FactId, settings.Text, TimeProvider.System.GetUtcNow(), cancellationToken);
        console.MarkupLine($"[green]Corrected[/] fact {settings.FactId}: it is replaced by fact {corrected.Id}, \"{corrected.Text.EscapeMarkup()}\" (the old one stays in the history until you forget it).");
        return 0;
    }
}

/// <summary>Forgetting a fact or a whole person, for <see cref="MemoryForgetCommand"/>.</summary>
internal static class KnowledgeForgetting
{
    public static async Task<int> ForgetFactAsync(IAnsiConsole console, IKnowledgeStore store, string companionId, long factId, bool yes, CancellationToken cancellationToken)
    {
        var fact = (await store.GetFactsAsync(companionId, includeSuperseded: true, cancellationToken)).FirstOrDefault(f => f.Id == factId)
            ?? throw new KeyNotFoundException($"There is no fact {factId} in what '{companionId}' knows.");
        if (!yes && !console.Confirm($"Forget fact {fact.Id} (\"{MemoryForgetCommand.Shorten(fact.Text, 60).EscapeMarkup()}\") for good?", defaultValue: false))
        {
            console.MarkupLine("[grey]Kept.[/]");
            return 0;
        }

        await store.ForgetFactAsync(companionId, fact.Id, cancellationToken);
        console.MarkupLine($"[green]Forgotten[/] fact {fact.Id}: gone from what your companion knows and from the database file.");
        return 0;
    }

    public static async Task<int> ForgetPersonAsync(IAnsiConsole console, IKnowledgeStore store, string companionId, string who, bool yes, CancellationToken cancellationToken)
    {
        var people = await store.GetPeopleAsync(companionId, cancellationToken);
        var person = people.FirstOrDefault(p => long.TryParse(who, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && p.Id == id)
            ?? people.FirstOrDefault(p => p.AllNames.Any(n => string.Equals(n, who.Trim(), StringComparison.OrdinalIgnoreCase)))
            ?? throw new KeyNotFoundException($"There is no one called '{who}' in what '{companionId}' knows; 'kindred memory facts' lists the people.");
        if (!yes && !console.Confirm($"Forget {person.Name.EscapeMarkup()} for good, with every fact about them and every turn that mentions them?", defaultValue: false))
        {
            console.MarkupLine("[grey]Kept.[/]");
            return 0;
        }

        var turns = await store.ForgetPersonAsync(companionId, person.Id, cancellationToken);
        console.MarkupLine($"[green]Forgotten[/] {person.Name.EscapeMarkup()}: their facts, {turns} turns that mention them, the reminders and reflections that name them, and every trace in the database file.");
        return 0;
    }
}
