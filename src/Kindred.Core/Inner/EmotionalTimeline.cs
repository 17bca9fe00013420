using System.Globalization;

namespace Kindred.Core.Inner;

/// <summary>How the person seemed over one of their local days.</summary>
/// <param name="Emotions">The emotions named that day, most often named first.</param>
public sealed record DayMood(DateOnly Day, double MeanValence, double MeanArousal, IReadOnlyList<string> Emotions, int Turns);

/// <summary>The person's emotional timeline, day by day, and what stands out in it.</summary>
public static class EmotionalTimeline
{
    /// <summary>Days on which an emotion must be named, within the last week, before it is worth remarking on.</summary>
    public const int RecurringDays = 3;

    /// <summary>Groups appraisals by the person's local day, oldest day first.</summary>
    public static IReadOnlyList<DayMood> Days(IEnumerable<StoredAppraisal> appraisals, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(appraisals);
        ArgumentNullException.ThrowIfNull(zone);
        return appraisals
            .GroupBy(a => DateOnly.FromDateTime(LocalClock.ToLocal(a.At, zone)))
            .OrderBy(g => g.Key)
            .Select(g => new DayMood(
                g.Key,
                g.Average(a => a.Appraisal.Valence),
                g.Average(a => a.Appraisal.Arousal),
                [.. g.SelectMany(a => a.Appraisal.Emotions).GroupBy(e => e, StringComparer.Ordinal).OrderByDescending(e => e.Count()).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key)],
                g.Count()))
            .ToList();
    }

    /// <summary>
    /// One sentence about the week before <paramref name="today"/> (inclusive) the companion can bring up ("they have
    /// seemed tired on 4 of the last 7 days"), or null when nothing stands out.
    /// </summary>
    public static string? Remark(IReadOnlyList<DayMood> days, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(days);
        var week = days.Where(d => d.Day > today.AddDays(-7) && d.Day <= today).ToList();
        if (week.Count == 0)
        {
            return null;
        }

        var recurring = week
            .SelectMany(d => d.Emotions.Take(2).Select(e => (d.Day, Emotion: e)))
            .GroupBy(x => x.Emotion, StringComparer.Ordinal)
            .Select(g => (Emotion: g.Key, Days: g.Select(x => x.Day).Distinct().Count()))
            .Where(x => x.Days >= RecurringDays)
            .OrderByDescending(x => x.Days)
            .ThenBy(x => x.Emotion, StringComparer.Ordinal)
            .FirstOrDefault();
        if (recurring.Emotion is not null)
        {
            var span = recurring.Days == week.Count ? "every day you have talked this week" : string.Create(CultureInfo.InvariantCulture, $"on {recurring.Days} of the days you talked this week");
            return $"They have seemed {recurring.Emotion} {span}.";
        }

        var mean = week.Average(d => d.MeanValence);
        return week.Count >= RecurringDays && mean <= -0.3 ? "They have seemed low for most of this week."
            : week.Count >= RecurringDays && mean >= 0.4 ? "They have seemed in good spirits this week."
            : null;
    }
}
