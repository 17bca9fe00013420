using System.Globalization;
using System.Text.RegularExpressions;

namespace Kindred.Memory.Recall;

/// <summary>A span of time a question is about: from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
/// <param name="Start">The first moment of the window.</param>
/// <param name="End">The first moment after it.</param>
/// <param name="Phrase">The words that named it, as written ("last week", "in June").</param>
public sealed record TimeWindow(DateTimeOffset Start, DateTimeOffset End, string Phrase)
{
    /// <summary>Whether <paramref name="at"/> falls inside the window.</summary>
    public bool Contains(DateTimeOffset at) => at >= Start && at < End;
}

/// <summary>
/// Finds the time a question or remark is about ("yesterday", "last week", "two months ago", "in June", "in May 2023",
/// "in 2022", "before July", "since March", "recently") and turns it into a window, relative to the moment it is said.
/// English only; days are calendar days in UTC (the store keeps UTC, and a person's zone is not known here).
/// </summary>
public static partial class TimeExpressions
{
    // What "recently" and "lately" reach back over: long enough to cover the last few conversations.
    private static readonly TimeSpan Recently = TimeSpan.FromDays(31);

    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    /// <summary>
    /// The first time expression in <paramref name="text"/> as a window relative to <paramref name="now"/>, or null
    /// when it names no time. A month or weekday without a year means the latest one that has begun by then.
    /// </summary>
    public static TimeWindow? Find(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        TimeWindow? best = null;
        var bestIndex = int.MaxValue;
        foreach (var (pattern, read) in Readers)
        {
            var match = pattern.Match(text);
            if (match.Success && match.Index < bestIndex && read(match, now, today) is { } window)
            {
                best = window with { Phrase = match.Value.Trim() };
                bestIndex = match.Index;
            }
        }

        return best;
    }

    private delegate TimeWindow? Reader(Match match, DateTimeOffset now, DateTimeOffset today);

    private static readonly (Regex Pattern, Reader Read)[] Readers =
    [
        (Relative(), ReadRelative),
        (Ago(), ReadAgo),
        (DayWord(), ReadDayWord),
        (Weekday(), ReadWeekday),
        (MonthYear(), ReadMonth),
        (Year(), ReadYear),
        (RecentlyWord(), (_, now, _) => new TimeWindow(now - Recently, now, "")),
    ];

    private static TimeWindow? ReadRelative(Match match, DateTimeOffset now, DateTimeOffset today)
    {
        var last = !match.Groups["which"].Value.Equals("this", StringComparison.OrdinalIgnoreCase);
        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        switch (unit)
        {
            case "week":
                // A week is the seven days before now ("last week") or the current Monday-based week ("this week").
                return last
                    ? new TimeWindow(today.AddDays(-7 - DaysSinceMonday(today)), today.AddDays(-DaysSinceMonday(today)), "")
                    : new TimeWindow(today.AddDays(-DaysSinceMonday(today)), now, "");
            case "weekend":
                // The latest Saturday and Sunday; "last weekend" said during a weekend is the one before.
                var sinceSaturday = ((int)today.DayOfWeek + 1) % 7;
                var saturday = today.AddDays(-sinceSaturday - (last && sinceSaturday <= 1 ? 7 : 0));
                return new TimeWindow(saturday, saturday.AddDays(2), "");
            case "month":
                var month = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero);
                return last ? new TimeWindow(month.AddMonths(-1), month, "") : new TimeWindow(month, now, "");
            case "year":
                var year = new DateTimeOffset(today.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
                return last ? new TimeWindow(year.AddYears(-1), year, "") : new TimeWindow(year, now, "");
            default:
                return null;
        }
    }

    private static TimeWindow? ReadAgo(Match match, DateTimeOffset now, DateTimeOffset today)
    {
        var count = CountOf(match.Groups["count"].Value);
        var unit = match.Groups["unit"].Value.ToLowerInvariant().TrimEnd('s');
        if (count is null)
        {
            return null;
        }

        // "Three weeks ago" is loose: a window one unit wide around the point it names.
        var (point, width) = unit switch
        {
            "day" => (today.AddDays(-count.Value), TimeSpan.FromDays(1)),
            "week" => (today.AddDays(-7 * count.Value), TimeSpan.FromDays(7)),
            "month" => (today.AddMonths(-count.Value), TimeSpan.FromDays(30)),
            "year" => (today.AddYears(-count.Value), TimeSpan.FromDays(365)),
            _ => (today, TimeSpan.Zero),
        };
        if (width == TimeSpan.Zero)
        {
            return null;
        }

        var start = point - (width / 2);
        var end = point + (width / 2) + TimeSpan.FromDays(1);
        return new TimeWindow(start, end > now ? now : end, "");
    }

    private static TimeWindow? ReadDayWord(Match match, DateTimeOffset now, DateTimeOffset today) =>
        match.Groups["word"].Value.ToLowerInvariant() switch
        {
            "yesterday" => new TimeWindow(today.AddDays(-1), today, ""),
            "today" or "tonight" or "this morning" or "this afternoon" or "this evening" => new TimeWindow(today, now, ""),
            "the day before yesterday" => new TimeWindow(today.AddDays(-2), today.AddDays(-1), ""),
            _ => null,
        };

    private static TimeWindow? ReadWeekday(Match match, DateTimeOffset now, DateTimeOffset today)
    {
        var day = Array.IndexOf(Weekdays, match.Groups["day"].Value.ToLowerInvariant());
        var back = ((int)today.DayOfWeek - day + 7) % 7;

        // "Last Monday" said on a Monday is a week ago, not today.
        if (back == 0 && match.Groups["which"].Value.Equals("last", StringComparison.OrdinalIgnoreCase))
        {
            back = 7;
        }

        var start = today.AddDays(-back);
        return new TimeWindow(start, start.AddDays(1), "");
    }

    private static TimeWindow? ReadMonth(Match match, DateTimeOffset now, DateTimeOffset today)
    {
        var month = MonthOf(match.Groups["month"].Value);
        if (month == 0)
        {
            return null;
        }

        var hasYear = int.TryParse(match.Groups["year"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var year);
        if (!hasYear)
        {
            // The latest such month that has begun by now ("in June", asked in March, is last June).
            year = month <= today.Month ? today.Year : today.Year - 1;
            var saysLast = match.Groups["which"].Value.Equals("last", StringComparison.OrdinalIgnoreCase) ||
                match.Groups["relation"].Value.Equals("last", StringComparison.OrdinalIgnoreCase);
            if (saysLast && month == today.Month)
            {
                year--;
            }
        }

        var start = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        return Bounded(match.Groups["relation"].Value, new TimeWindow(start, start.AddMonths(1), ""), now);
    }

    private static TimeWindow? ReadYear(Match match, DateTimeOffset now, DateTimeOffset today)
    {
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (year < 1900 || year > today.Year + 1)
        {
            return null;
        }

        var start = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return Bounded(match.Groups["relation"].Value, new TimeWindow(start, start.AddYears(1), ""), now);
    }

    /// <summary>"before June" is everything up to June; "after"/"since June" is from June (or its end) to now.</summary>
    private static TimeWindow Bounded(string relation, TimeWindow window, DateTimeOffset now) =>
        relation.ToLowerInvariant() switch
        {
            "before" or "until" or "till" => new TimeWindow(DateTimeOffset.MinValue, window.Start, ""),
            "after" => new TimeWindow(window.End, now, ""),
            "since" => new TimeWindow(window.Start, now, ""),
            _ => window,
        };

    private static int MonthOf(string name)
    {
        var lower = name.ToLowerInvariant();
        for (var i = 0; i < Months.Length; i++)
        {
            if (Months[i].StartsWith(lower, StringComparison.Ordinal) && lower.Length >= 3)
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static int? CountOf(string word) => word.ToLowerInvariant() switch
    {
        "a" or "an" or "one" => 1,
        "a couple of" or "couple of" or "two" => 2,
        "a few" or "few" or "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "several" => 4,
        var digits when int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 1000 => n,
        _ => null,
    };

    private static int DaysSinceMonday(DateTimeOffset day) => ((int)day.DayOfWeek + 6) % 7;

    [GeneratedRegex(@"\b(?<which>last|past|previous|this)\s+(?<unit>week|weekend|month|year)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Relative();

    [GeneratedRegex(@"\b(?<count>\d+|an?|one|two|three|four|five|six|several|(?:a\s+)?couple\s+of|(?:a\s+)?few)\s+(?<unit>days?|weeks?|months?|years?)\s+ago\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ago();

    [GeneratedRegex(@"\b(?<word>the day before yesterday|yesterday|today|tonight|this (?:morning|afternoon|evening))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DayWord();

    [GeneratedRegex(@"\b(?<which>last|on|this past)\s+(?<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Weekday();

    // A month needs a word before it or a year after it: "may" alone is usually the verb.
    [GeneratedRegex(@"\b(?:(?<relation>in|during|before|after|since|until|till|by|of|last|this|early|late|mid)[\s-]+(?:(?<which>last|this)\s+)?(?<month>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b(?:\s*,?\s*(?<year>(?:19|20)\d\d)\b)?|(?<month>january|february|march|april|may|june|july|august|september|october|november|december)\s*,?\s*(?<year>(?:19|20)\d\d)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthYear();

    [GeneratedRegex(@"\b(?:(?<relation>in|during|before|after|since|until|by)\s+)?(?<year>(?:19|20)\d\d)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    [GeneratedRegex(@"\b(?:recently|lately|these days)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RecentlyWord();
}
