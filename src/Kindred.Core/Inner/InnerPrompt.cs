using System.Globalization;
using System.Text;

namespace Kindred.Core.Inner;

/// <summary>Everything the inner life says into a reply's prompt.</summary>
public sealed record InnerPromptInputs(
    Persona Persona,
    Appraisal Appraisal,
    string? PersonName,
    string? TimelineRemark,
    IReadOnlyList<Milestone> Milestones,
    IReadOnlyList<OpenThread> Threads,
    OutreachItem? ReminderJustSet,
    PersonaVersion? PersonaJustChanged,
    TimeZoneInfo Zone,
    DateTimeOffset Now);

/// <summary>Puts the inner life into words for the prompt: short, second person, steering tone rather than content.</summary>
public static class InnerPrompt
{
    /// <summary>The most open threads mentioned at once.</summary>
    public const int MaxThreads = 3;

    /// <summary>Who she is now, in a sentence or two.</summary>
    public static string Persona(Persona persona)
    {
        ArgumentNullException.ThrowIfNull(persona);
        var interests = persona.Interests.Count > 0 ? $" You are interested in {string.Join(", ", persona.Interests)}." : "";
        return $"How you see yourself: {persona.SelfDescription} Your manner: {persona.Manner()}.{interests}";
    }

    public static string Compose(InnerPromptInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var who = inputs.PersonName ?? "your person";
        var text = new StringBuilder(Persona(inputs.Persona));
        if (inputs.PersonaJustChanged is { Kind: PersonaChangeKind.Feedback } change)
        {
            text.Append(' ').Append(who).Append(" has just told you how they like you to be (").Append(change.Reason.TrimEnd('.')).Append("): take it to heart, warmly.");
        }

        text.Append(' ').Append(Mood(inputs.Appraisal, who));
        if (inputs.TimelineRemark is { } remark)
        {
            text.Append(" Lately: ").Append(remark.Replace("They ", who + " ", StringComparison.Ordinal)).Append(" You may gently mention it if it fits.");
        }

        var hard = inputs.Milestones.FirstOrDefault(m => m.Kind == MilestoneKind.FirstSharedSomethingHard);
        var first = inputs.Milestones.FirstOrDefault(m => m.Kind == MilestoneKind.FirstConversation);
        if (first is not null && first.At.Date != inputs.Now.Date)
        {
            text.Append(" You first talked on ").Append(Day(first.At, inputs.Zone)).Append('.');
        }

        if (hard is not null)
        {
            text.Append(' ').Append(who).Append(" has trusted you with hard things since ").Append(Day(hard.At, inputs.Zone)).Append('.');
        }

        var threads = inputs.Threads.Where(t => t.ClosedAt is null).Take(MaxThreads).ToList();
        if (threads.Count > 0)
        {
            text.Append(" Things to ask about when the time comes: ")
                .Append(string.Join("; ", threads.Select(t => $"{t.About} ({Day(t.FollowUpAt, inputs.Zone)})")))
                .Append('.');
        }

        if (inputs.ReminderJustSet is { } reminder)
        {
            var local = LocalClock.ToLocal(reminder.DueAt, inputs.Zone);
            text.Append(" You have just set a reminder they asked for, for ")
                .Append(local.ToString("dddd d MMMM 'at' HH:mm", CultureInfo.InvariantCulture))
                .Append(": tell them it is set.");
        }

        return text.ToString();
    }

    private static string Mood(Appraisal appraisal, string who)
    {
        var feeling = appraisal.Emotions.Count > 0
            ? $"{who} seems {string.Join(" and ", appraisal.Emotions)}"
            : appraisal.Valence switch
            {
                <= -0.3 => $"{who} seems low",
                >= 0.3 => $"{who} seems in good spirits",
                _ => $"{who} seems calm",
            };
        var need = appraisal.Need switch
        {
            PersonNeed.Vent => "they seem to need to vent: listen, reflect what they feel, and do not rush to fix it",
            PersonNeed.Advice => "they seem to want advice: be practical and concrete",
            PersonNeed.Laugh => "they seem to want a laugh: be light and playful",
            _ => "they seem to want company: be easy and present",
        };
        var pace = appraisal.Arousal >= 0.7 ? " Keep your words calm and steady." : "";
        return $"Right now {feeling}; {need}.{pace}";
    }

    private static string Day(DateTimeOffset at, TimeZoneInfo zone) =>
        LocalClock.ToLocal(at, zone).ToString("dddd d MMMM", CultureInfo.InvariantCulture);
}
