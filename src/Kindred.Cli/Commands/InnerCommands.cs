using System.ComponentModel;
using System.Globalization;
using Kindred.Cli.Configuration;
using Kindred.Core.Inner;
using Kindred.Core.Life;
using Kindred.Memory;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary><c>kindred persona show</c>: who the companion is now.</summary>
public sealed class PersonaShowCommand(IAnsiConsole console) : AsyncCommand<CommonSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CommonSettings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var companion = await CompanionData.OpenCompanionAsync(resolved, dataDirectory, cancellationToken);
        var persona = await companion.Life.GetPersonaAsync(companion.CompanionId, cancellationToken);
        console.WriteLine(persona.SelfDescription);
        console.WriteLine($"Manner: {persona.Manner()}");
        console.WriteLine($"Interests: {string.Join(", ", persona.Interests)}");
        var table = new Table().AddColumns("Trait", "Value (0–1)");
        foreach (var trait in Enum.GetValues<Trait>())
        {
            table.AddRow(trait.ToString().ToLowerInvariant(), persona[trait].ToString("0.00", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        return 0;
    }
}

/// <summary><c>kindred persona history</c>: every change in who the companion is, with its reason.</summary>
public sealed class PersonaHistoryCommand(IAnsiConsole console) : AsyncCommand<CommonSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CommonSettings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var companion = await CompanionData.OpenCompanionAsync(resolved, dataDirectory, cancellationToken);
        var zone = await companion.ZoneAsync(cancellationToken);
        var history = await companion.Life.GetPersonaHistoryAsync(companion.CompanionId, cancellationToken);
        var table = new Table().AddColumns("Version", "When", "Why", "Reason", "What changed");
        for (var i = 0; i < history.Count; i++)
        {
            var version = history[i];
            table.AddRow(
                version.Version.ToString(CultureInfo.InvariantCulture),
                LocalClock.ToLocal(version.At, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                version.Kind.ToString().ToLowerInvariant(),
                version.Reason.EscapeMarkup(),
                (i == 0 ? "" : version.Persona.DescribeChangeFrom(history[i - 1].Persona)).EscapeMarkup());
        }

        console.Write(table);
        console.MarkupLine("[grey]'kindred persona rollback VERSION' undoes a change.[/]");
        return 0;
    }
}

/// <summary><c>kindred persona rollback VERSION</c>: undo one change (recorded as a new version).</summary>
public sealed class PersonaRollbackCommand(IAnsiConsole console) : AsyncCommand<PersonaRollbackCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<VERSION>")]
        [Description("The version whose change to undo, as 'kindred persona history' shows it.")]
        public int Version { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var companion = await CompanionData.OpenCompanionAsync(resolved, dataDirectory, cancellationToken);
        var rolledBack = await companion.Life.RollBackAsync(companion.CompanionId, settings.Version, cancellationToken);
        console.WriteLine($"Version {rolledBack.Version}: {rolledBack.Reason}");
        return 0;
    }
}

/// <summary><c>kindred reminders</c>: what the companion will say, and when, on the person's clock.</summary>
public sealed class RemindersListCommand(IAnsiConsole console) : AsyncCommand<RemindersListCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("-a|--all")]
        [Description("Also show what was already delivered or cancelled.")]
        public bool All { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var companion = await CompanionData.OpenCompanionAsync(resolved, dataDirectory, cancellationToken);
        var policy = await companion.Life.GetPolicyAsync(companion.CompanionId, cancellationToken);
        var zone = policy.Validate();
        var items = settings.All
            ? await companion.Store.GetOutreachAsync(companion.CompanionId, cancellationToken)
            : await companion.Store.GetPendingOutreachAsync(companion.CompanionId, cancellationToken);
        console.MarkupLine($"[grey]{Describe(policy).EscapeMarkup()}[/]");
        if (items.Count == 0)
        {
            console.MarkupLine("[grey]Nothing scheduled.[/]");
            return 0;
        }

        var table = new Table().AddColumns("#", "Due", "Kind", "Status", "Delivered", "What");
        foreach (var item in items)
        {
            table.AddRow(
                item.Id.ToString(CultureInfo.InvariantCulture),
                LocalClock.ToLocal(item.DueAt, zone).ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                item.Kind.ToString().ToLowerInvariant(),
                item.Status.ToString().ToLowerInvariant(),
                item.DeliveredAt is { } at ? LocalClock.ToLocal(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "",
                item.Text.EscapeMarkup());
        }

        console.Write(table);
        return 0;
    }

    /// <summary>The person's outreach settings in one line, as both reminder commands show them.</summary>
    internal static string Describe(OutreachPolicy policy) =>
        string.Create(CultureInfo.InvariantCulture, $"Time zone {policy.TimeZoneId}; quiet {policy.QuietFrom:HH\\:mm}–{policy.QuietUntil:HH\\:mm}; at most {policy.DailyLimit} unprompted a day.");
}

/// <summary><c>kindred reminders cancel ID</c>.</summary>
public sealed class RemindersCancelCommand(IAnsiConsole console) : AsyncCommand<RemindersCancelCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("The number 'kindred reminders' shows.")]
        public long Id { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var companion = await CompanionData.OpenCompanionAsync(resolved, dataDirectory, cancellationToken);
        if (!await companion.Store.CancelOutreachAsync(companion.CompanionId, settings.Id, cancellationToken))
        {
            throw new KeyNotFoundException($"Nothing pending has number {settings.Id}; 'kindred reminders' lists what is.");
        }

        console.WriteLine($"Cancelled {settings.Id}.");
        return 0;
    }
}

/// <summary><c>kindred reminders settings</c>: the person's time zone, quiet hours and daily limit.</summary>
public sealed class RemindersSettingsCommand(IAnsiConsole console) : AsyncCommand<RemindersSettingsCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("--time-zone <ZONE>")]
        [Description("Your time zone, e.g. Europe/London.")]
        public string? TimeZone { get; init; }

        [CommandOption("--quiet-hours <FROM-UNTIL>")]
        [Description("When she must not reach out unprompted, e.g. 22:00-08:00 (00:00-00:00 for none).")]
        public string? QuietHours { get; init; }

        [CommandOption("--daily-limit <N>")]
        [Description("At most this many follow-ups and check-ins a day (0–24); reminders you ask for always come.")]
        public int? DailyLimit { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var companion = await CompanionData.OpenCompanionAsync(resolved, dataDirectory, cancellationToken);
        var policy = await companion.Life.GetPolicyAsync(companion.CompanionId, cancellationToken);
        if (settings.TimeZone is { } zone)
        {
            policy = policy with { TimeZoneId = zone };
        }

        if (settings.QuietHours is { } quiet)
        {
            var parts = quiet.Split('-', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !TimeOnly.TryParseExact(parts[0], "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !TimeOnly.TryParseExact(parts[1], "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until))
            {
                throw new ArgumentException($"--quiet-hours must look like 22:00-08:00 (was '{quiet}').");
            }

            policy = policy with { QuietFrom = from, QuietUntil = until };
        }

        if (settings.DailyLimit is { } limit)
        {
            policy = policy with { DailyLimit = limit };
        }

        await companion.Store.SetOutreachPolicyAsync(companion.CompanionId, policy, cancellationToken);
        console.WriteLine(RemindersListCommand.Describe(policy));
        return 0;
    }
}

/// <summary><c>kindred mood</c>: how the person has seemed, day by day.</summary>
public sealed class MoodCommand(IAnsiConsole console) : AsyncCommand<MoodCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("-d|--days <N>")]
        [Description("How many days back (default 7).")]
        public int Days { get; init; } = 7;

        public override ValidationResult Validate() =>
            Days is < 1 or > 3660 ? ValidationResult.Error("--days must be between 1 and 3660.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var companion = await CompanionData.OpenCompanionAsync(resolved, dataDirectory, cancellationToken);
        var days = await companion.Life.GetTimelineAsync(companion.CompanionId, TimeSpan.FromDays(settings.Days), cancellationToken);
        if (days.Count == 0)
        {
            console.MarkupLine("[grey]Nothing yet.[/]");
            return 0;
        }

        var table = new Table().AddColumns("Day", "Mood", "Valence", "Arousal");
        foreach (var day in days)
        {
            table.AddRow(
                day.Day.ToString("ddd yyyy-MM-dd", CultureInfo.InvariantCulture),
                MoodView.Describe(day).EscapeMarkup(),
                day.MeanValence.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture),
                day.MeanArousal.ToString("0.00", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        if (EmotionalTimeline.Remark(days, days[^1].Day) is { } remark)
        {
            console.MarkupLine($"[grey]{remark.Replace("They have", "You have", StringComparison.Ordinal).Replace("you have talked", "we talked", StringComparison.Ordinal).EscapeMarkup()}[/]");
        }

        return 0;
    }
}

/// <summary><c>kindred off</c> / <c>kindred on</c>: the switch.</summary>
public sealed class SwitchCommand(IAnsiConsole console, bool on) : AsyncCommand<CommonSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CommonSettings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var companion = await CompanionData.OpenCompanionAsync(resolved, dataDirectory, cancellationToken);
        if (on)
        {
            // What she says about the time she was off is remembered, as in chat and through the server.
            var session = Guid.NewGuid().ToString("N");
            console.WriteLine(await Switching.OnAsync(companion.Life, companion.Store, companion.CompanionId, session, TimeProvider.System, cancellationToken) ?? "She is already on.");
        }
        else
        {
            await Switching.OffAsync(companion.Life, companion.CompanionId, cancellationToken);
            console.WriteLine("Off. Nothing is heard, kept or sent until 'kindred on' (or /on in chat).");
        }

        return 0;
    }
}

/// <summary><c>kindred off</c>.</summary>
public sealed class OffCommand(IAnsiConsole console) : AsyncCommand<CommonSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, CommonSettings settings, CancellationToken cancellationToken) =>
        new SwitchCommand(console, on: false).ExecuteAsync(context, settings, cancellationToken);
}

/// <summary><c>kindred on</c>.</summary>
public sealed class OnCommand(IAnsiConsole console) : AsyncCommand<CommonSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, CommonSettings settings, CancellationToken cancellationToken) =>
        new SwitchCommand(console, on: true).ExecuteAsync(context, settings, cancellationToken);
}

/// <summary><c>kindred reflections</c>: what the companion made of each day, about the person and about itself.</summary>
public sealed class ReflectionsCommand(IAnsiConsole console) : AsyncCommand<ReflectionsCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("-n|--last <COUNT>")]
        [Description("How many of the latest reflections to show (default 7).")]
        public int Last { get; init; } = 7;

        public override ValidationResult Validate() =>
            Last is < 1 or > 10_000 ? ValidationResult.Error("--last must be between 1 and 10000.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (resolved, dataDirectory) = settings.Resolve();
        await using var companion = await CompanionData.OpenCompanionAsync(resolved, dataDirectory, cancellationToken);
        var zone = await companion.ZoneAsync(cancellationToken);
        var reflections = await companion.Store.GetInnerReflectionsAsync(companion.CompanionId, cancellationToken);
        if (reflections.Count == 0)
        {
            console.MarkupLine("[grey]No reflections yet: she reflects after a day with talk in it, or once enough has happened.[/]");
            return 0;
        }

        foreach (var stored in reflections.TakeLast(settings.Last))
        {
            var reflection = stored.Reflection;
            var when = LocalClock.ToLocal(reflection.At, zone).ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var why = reflection.Trigger == ReflectionTrigger.Daily ? "end of a day" : "a lot happened";
            console.MarkupLine($"[bold]{when}[/] [grey]({why}; {(reflection.Source == AppraisalSource.Model ? "by the model" : "built-in")})[/]");
            console.WriteLine(reflection.Summary);
            foreach (var insight in reflection.Insights)
            {
                console.WriteLine($"  · {insight}");
            }

            console.WriteLine($"  About herself: {reflection.AboutHerself}");
            console.WriteLine();
        }

        return 0;
    }
}
