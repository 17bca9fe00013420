using System.Globalization;
using System.Text.RegularExpressions;

namespace Kindred.Core.Inner;

/// <summary>A moment found in what the person said, on their own clock, and where in the text it was said.</summary>
/// <param name="Local">The person's wall-clock date and time.</param>
/// <param name="Spans">Where the words that said it are in the text (start, length), to cut them out.</param>
/// <param name="HasTime">Whether a time of day was said, not just a day.</param>
public sealed record SpokenTime(DateTime Local, IReadOnlyList<(int Start, int Length)> Spans, bool HasTime);

/// <summary>
/// Understands the everyday ways people say when: "at nine tomorrow", "tomorrow at 9:30pm", "in 20 minutes",
/// "on Friday at 6", "tonight", "next week". English only; anything it cannot read is simply not found.
/// </summary>
public static partial class WhenParser
{
    private static readonly string[] NumberWords =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    /// <summary>Finds when <paramref name="text"/> says, relative to the person's local <paramref name="now"/>.</summary>
    public static SpokenTime? Find(string text, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lower = text.ToLowerInvariant();
        var spans = new List<(int, int)>();

        if (InPattern().Match(lower) is { Success: true } relative)
        {
            var amount = ReadNumber(relative.Groups["n"].Value);
            var unit = relative.Groups["unit"].Value;
            var local = unit.StartsWith("min", StringComparison.Ordinal) ? now.AddMinutes(amount)
                : unit.StartsWith("hour", StringComparison.Ordinal) ? now.AddHours(amount)
                : unit.StartsWith("day", StringComparison.Ordinal) ? now.AddDays(amount)
                : now.AddDays(7 * amount);
            spans.Add((relative.Index, relative.Length));
            return new SpokenTime(local, spans, HasTime: !unit.StartsWith("day", StringComparison.Ordinal) && !unit.StartsWith("week", StringComparison.Ordinal));
        }

        DateTime? day = null;
        int? defaultHour = null;
        var evening = false;
        if (DayPattern().Match(lower) is { Success: true } dayMatch)
        {
            spans.Add((dayMatch.Index, dayMatch.Length));
            var word = dayMatch.Groups["day"].Value;
            var part = dayMatch.Groups["part"].Value;
            (day, defaultHour, evening) = word switch
            {
                "today" => (now.Date, (int?)null, false),
                "tonight" => (now.Date, 20, true),
                "this morning" => (now.Date, 9, false),
                "this afternoon" => (now.Date, 15, false),
                "this evening" => (now.Date, 19, true),
                "tomorrow" => (now.Date.AddDays(1), 9, false),
                "next week" => (now.Date.AddDays(7), 9, false),
                _ => (NextWeekday(now.Date, word), 9, false),
            };
            if (part.Length > 0)
            {
                (defaultHour, evening) = part switch
                {
                    "morning" => (9, false),
                    "afternoon" => (15, false),
                    "evening" => (19, true),
                    _ => (20, true),
                };
            }
        }

        TimeSpan? timeOfDay = null;
        var halfDayUnsaid = false;
        if (AtPattern().Match(lower) is { Success: true } at)
        {
            spans.Add((at.Index, at.Length));
            (timeOfDay, halfDayUnsaid) = ReadTimeOfDay(at, evening);
        }

        if (day is null && timeOfDay is null)
        {
            return null;
        }

        var time = timeOfDay ?? TimeSpan.FromHours(defaultHour ?? 9);
        var date = day ?? now.Date;
        var result = date + time;
        if (day is null && result <= now && halfDayUnsaid && result.AddHours(12) > now)
        {
            // "at ten", said at eight in the evening: ten tonight.
            result = result.AddHours(12);
        }
        else if (day is null && result <= now)
        {
            // "at nine", said at ten: the next nine.
            result = result.AddDays(1);
        }

        spans.Sort();
        return new SpokenTime(result, spans, HasTime: timeOfDay is not null || defaultHour is not null);
    }

    /// <summary><paramref name="text"/> with the spans cut out and the spaces tidied.</summary>
    public static string Without(string text, IReadOnlyList<(int Start, int Length)> spans)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(spans);
        var kept = text;
        foreach (var (start, length) in spans.OrderByDescending(s => s.Start))
        {
            kept = kept.Remove(start, length);
        }

        return Spaces().Replace(kept, " ").Trim();
    }

    // The time of day said, and whether it could still be either half of the day ("at ten" with no am or pm).
    private static (TimeSpan? Time, bool HalfDayUnsaid) ReadTimeOfDay(Match at, bool evening)
    {
        var word = at.Groups["word"].Value;
        if (word == "noon" || word == "midday")
        {
            return (TimeSpan.FromHours(12), false);
        }

        if (word == "midnight")
        {
            return (TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1), false);
        }

        var hour = ReadNumber(at.Groups["h"].Value);
        var minute = at.Groups["m"].Success ? int.Parse(at.Groups["m"].Value, CultureInfo.InvariantCulture)
            : at.Groups["half"].Success ? 30
            : at.Groups["quarter"].Success ? 15
            : 0;
        if (hour is < 0 or > 23 || minute is < 0 or > 59)
        {
            return (null, false);
        }

        var meridiem = at.Groups["ampm"].Value.Replace(".", "", StringComparison.Ordinal);
        if (meridiem == "pm" && hour < 12)
        {
            hour += 12;
        }
        else if (meridiem == "am" && hour == 12)
        {
            hour = 0;
        }
        else if (meridiem.Length == 0 && hour < 12 && (evening || hour <= 6))
        {
            // Nobody means 3 a.m. by "at three", nor 8 a.m. by "tonight at eight".
            return (new TimeSpan(hour + 12, minute, 0), false);
        }

        return (new TimeSpan(hour, minute, 0), meridiem.Length == 0 && hour is > 0 and < 12);
    }

    private static DateTime NextWeekday(DateTime today, string name)
    {
        var target = Enum.Parse<DayOfWeek>(name, ignoreCase: true);
        var days = ((int)target - (int)today.DayOfWeek + 7) % 7;
        if (days == 0)
        {
            days = 7;
        }

        return today.AddDays(days);
    }

    private static int ReadNumber(string value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return value switch
        {
            "a" or "an" => 1,
            "half an" => 0,
            _ => Array.IndexOf(NumberWords, value),
        };
    }

    [GeneratedRegex(@"\bin (?<n>\d{1,4}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (?<unit>minutes?|mins?|hours?|days?|weeks?)\b")]
    private static partial Regex InPattern();

    [GeneratedRegex(@"\b(?:on )?(?<next>next )?(?<day>today|tonight|this morning|this afternoon|this evening|tomorrow|next week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: (?<part>morning|afternoon|evening|night))?\b")]
    private static partial Regex DayPattern();

    [GeneratedRegex(@"\bat (?:(?<word>noon|midday|midnight)|(?:(?<half>half past )|(?<quarter>quarter past ))?(?<h>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?::(?<m>\d{2}))?(?: ?o'clock)?(?: ?(?<ampm>am|pm|a\.m\.|p\.m\.))?)(?![a-z0-9])")]
    private static partial Regex AtPattern();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
