using System.Text.RegularExpressions;

namespace Kindred.Core.Inner;

/// <summary>A reminder the person asked for: what, and when on their own clock.</summary>
/// <param name="Task">What to remind them of, in the companion's voice ("call Amy", "take your pills").</param>
public sealed record ReminderRequest(string Task, DateTime Local);

/// <summary>Hears "remind me to call Amy at nine tomorrow" and its everyday variants.</summary>
public static partial class ReminderParser
{
    /// <summary>The reminder asked for in <paramref name="personTurn"/>, or null when none was (or no time was said).</summary>
    /// <param name="localNow">The person's local time now.</param>
    public static ReminderRequest? Parse(string personTurn, DateTime localNow)
    {
        ArgumentNullException.ThrowIfNull(personTurn);
        var ask = AskPattern().Match(personTurn);
        if (!ask.Success)
        {
            return null;
        }

        var rest = ask.Groups["rest"].Value;
        if (WhenParser.Find(rest, localNow) is not { } when || when.Local <= localNow)
        {
            return null;
        }

        var task = WhenParser.Without(rest, when.Spans);
        task = Leading().Replace(task, "");
        task = Trailing().Replace(task, "").Trim();
        task = InYourWords(task);
        return task.Length == 0 ? null : new ReminderRequest(task, when.Local);
    }

    // What the person said about themselves, as the companion will say it back to them.
    private static string InYourWords(string task) =>
        FirstPerson().Replace(task, m => m.Value.ToLowerInvariant() switch
        {
            "my" => "your",
            "me" => "you",
            "myself" => "yourself",
            "i'm" => "you're",
            "mine" => "yours",
            _ => "you",
        });

    [GeneratedRegex(@"\bremind me\b(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AskPattern();

    [GeneratedRegex(@"^\s*(,\s*)?(please\s+)?(to|that|about|of)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Leading();

    [GeneratedRegex(@"(\s+(please|ok|okay))?[\s,.!?;:]*$", RegexOptions.IgnoreCase)]
    private static partial Regex Trailing();

    [GeneratedRegex(@"\b(my|me|myself|i'm|mine|i)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FirstPerson();
}

/// <summary>Hears plans worth asking about afterwards: "I have an interview tomorrow", "my exam is on Friday".</summary>
public static partial class ThreadDetector
{
    /// <summary>The hour, local, at which the companion asks how it went.</summary>
    public const int FollowUpHour = 19;

    /// <summary>What to ask about and when, or null when nothing in the turn is worth a follow-up.</summary>
    public static (string About, DateTime FollowUpLocal)? Detect(string personTurn, DateTime localNow)
    {
        ArgumentNullException.ThrowIfNull(personTurn);
        if (ReminderParser.Parse(personTurn, localNow) is not null)
        {
            return null;
        }

        var lower = personTurn.ToLowerInvariant();
        var evt = EventPattern().Match(lower);
        if (!evt.Success || WhenParser.Find(lower, localNow) is not { } when || when.Local.Date < localNow.Date)
        {
            return null;
        }

        var about = "the " + (evt.Groups["kind"].Success ? evt.Groups["kind"].Value + " " : "") + evt.Groups["event"].Value;
        var followUp = when.Local.Date.AddHours(FollowUpHour);
        if (when.HasTime && when.Local.TimeOfDay.TotalHours >= FollowUpHour - 2)
        {
            // An evening event is asked about the next morning.
            followUp = when.Local.Date.AddDays(1).AddHours(10);
        }

        return followUp <= localNow ? null : (about, followUp);
    }

    [GeneratedRegex(@"\b(i have|i've got|i've|i got|i'm having|my|there's|we have|going to|off to)\b.{0,20}?\b(?:(?<kind>job|big|first|final|driving|doctor's|dentist)\s)?(?<event>interview|exam|test|appointment|date|meeting|presentation|surgery|operation|audition|match|game|trip|flight|party|wedding|funeral|deadline|doctor|dentist)s?\b")]
    private static partial Regex EventPattern();
}
