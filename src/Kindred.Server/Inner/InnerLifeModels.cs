using System.Globalization;
using Kindred.Core.Inner;

namespace Kindred.Server.Inner;

/// <summary>Who the companion is now.</summary>
/// <param name="Version">The persona version this is.</param>
/// <param name="Traits">Each trait (warmth, playfulness, curiosity, directness, formality) on a scale from 0 to 1.</param>
/// <param name="Manner">The traits in words, as her prompt reads them.</param>
public sealed record PersonaView(int Version, DateTimeOffset Since, IReadOnlyDictionary<string, double> Traits, IReadOnlyList<string> Interests, string SelfDescription, string Manner)
{
    internal static PersonaView From(PersonaVersion version) => new(
        version.Version,
        version.At,
        Enum.GetValues<Trait>().ToDictionary(t => Name(t), t => version.Persona[t]),
        version.Persona.Interests,
        version.Persona.SelfDescription,
        version.Persona.Manner());

    internal static string Name<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

/// <summary>One change of the persona, and why.</summary>
/// <param name="Kind">"initial", "feedback", "implicit", "reflection" or "rollback".</param>
/// <param name="Change">What moved, as "warmth 0.70 → 0.85"; null for the first version.</param>
/// <param name="Reverts">For a rollback, the version whose change was undone.</param>
public sealed record PersonaChangeView(int Version, DateTimeOffset At, string Kind, string Reason, string? Change, int? Reverts, PersonaView Persona);

/// <summary>Undo one change of the persona.</summary>
/// <param name="Version">The version whose change to undo (2 or later).</param>
public sealed record RollbackRequest(int? Version);

/// <summary>How the person seemed over one of their local days.</summary>
/// <param name="Valence">Mean valence, −1 (low) to 1 (bright).</param>
/// <param name="Arousal">Mean arousal, 0 (calm) to 1 (stirred up).</param>
/// <param name="Emotions">The emotions named that day, most often first.</param>
/// <param name="Turns">How many of the person's turns were appraised that day.</param>
public sealed record MoodDayView(DateOnly Day, double Valence, double Arousal, IReadOnlyList<string> Emotions, int Turns);

/// <summary>What she made of a day, or a stretch of days.</summary>
/// <param name="Trigger">"importance" (enough had happened) or "daily".</param>
/// <param name="Source">"model" or "lexicon" (the built-in rules).</param>
/// <param name="PersonaVersion">The persona version it produced, if it changed her.</param>
public sealed record ReflectionView(long Id, DateTimeOffset At, string Trigger, string Summary, IReadOnlyList<string> Insights, string AboutHerself, string Source, int? PersonaVersion);

/// <summary>A message she scheduled.</summary>
/// <param name="Kind">"reminder" (asked for), "followUp" or "checkIn".</param>
/// <param name="DueLocal">When it is due on the person's clock (their time zone), e.g. 2026-11-27T09:00.</param>
/// <param name="Status">"pending", "delivered" or "cancelled".</param>
public sealed record OutreachView(long Id, string Kind, string Text, DateTimeOffset DueAt, string DueLocal, string Status, DateTimeOffset? DeliveredAt)
{
    internal static OutreachView From(OutreachItem item, TimeZoneInfo zone) => new(
        item.Id,
        PersonaView.Name(item.Kind),
        item.Text,
        item.DueAt,
        LocalClock.ToLocal(item.DueAt, zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        PersonaView.Name(item.Status),
        item.DeliveredAt);
}

/// <summary>A reminder to set.</summary>
/// <param name="Text">What to remind the person of ("call Amy"), or the whole request ("remind me to call Amy at nine tomorrow") when <paramref name="At"/> is left out.</param>
/// <param name="At">When, on the person's clock, without an offset (e.g. 2026-11-27T09:00); it must be in the future.</param>
public sealed record NewReminderRequest(string? Text, string? At);

/// <summary>When she may reach out unprompted.</summary>
/// <param name="TimeZone">The person's time zone (IANA, e.g. Europe/London).</param>
/// <param name="QuietFrom">Start of quiet hours, local, HH:mm (e.g. 22:00); equal to <paramref name="QuietUntil"/> means none.</param>
/// <param name="QuietUntil">End of quiet hours, local, HH:mm (e.g. 08:00).</param>
/// <param name="DailyLimit">The most follow-ups and check-ins a day, 0–24; reminders the person asked for do not count.</param>
public sealed record OutreachSettings(string? TimeZone, string? QuietFrom, string? QuietUntil, int? DailyLimit)
{
    internal static OutreachSettings From(OutreachPolicy policy) => new(
        policy.TimeZoneId,
        policy.QuietFrom.ToString("HH:mm", CultureInfo.InvariantCulture),
        policy.QuietUntil.ToString("HH:mm", CultureInfo.InvariantCulture),
        policy.DailyLimit);
}

/// <summary>The switch.</summary>
/// <param name="On">False: nothing is heard, processed, kept or sent.</param>
/// <param name="Since">When it was last switched.</param>
/// <param name="Said">Switching her back on: what she says about the time she was off (also stored as her turn).</param>
public sealed record SwitchView(bool On, DateTimeOffset? Since, string? Said = null);

/// <summary>Switch her on or off.</summary>
public sealed record SwitchRequest(bool? On);
