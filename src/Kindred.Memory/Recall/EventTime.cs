using System.Text.RegularExpressions;

namespace Kindred.Memory.Recall;

/// <summary>A time named by something that happened ("before the trip"): the event's words and which side of it.</summary>
/// <param name="Event">The words that name the event, without their determiner ("trip to Spain").</param>
/// <param name="Before">True for "before"/"until"; false for "after"/"since".</param>
/// <param name="Phrase">The words as written ("before the trip").</param>
public sealed record EventReference(string Event, bool Before, string Phrase);

/// <summary>
/// "Before the trip", "after my surgery", "since our wedding": a time the person names by an event rather than a date.
/// The event is found in memory as the turn that best matches its words; the question is then about the turns said
/// before (or after) that one. A date ("before July", "since 2022") is <see cref="TimeExpressions"/>' to read; this
/// reads only an event named with a determiner (the, my, our…), so that "before lunch" stays an ordinary phrase.
/// </summary>
public static partial class EventTime
{
    /// <summary>The first event a question places itself before or after, or null (also when it names a date instead).</summary>
    public static EventReference? Find(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TimeExpressions.Find(text, now) is not null || EventPhrase().Match(text) is not { Success: true } match)
        {
            return null;
        }

        var relation = match.Groups["relation"].Value.ToLowerInvariant();
        return new EventReference(match.Groups["event"].Value, relation is "before" or "until" or "till", match.Value);
    }

    /// <summary>
    /// The window the event names for this companion: before (or from) the turn that best matches the event's words,
    /// among those said by <paramref name="now"/>; null when the question names no event or memory holds none like it.
    /// </summary>
    /// <param name="askingTurnId">The turn that asks (it names the event too, and is not it).</param>
    public static async Task<TimeWindow?> WindowAsync(CompanionMemory memory, string question, DateTimeOffset now, long askingTurnId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (Find(question, now) is not { } reference)
        {
            return null;
        }

        // The best match that says the event's words: ranking also favours what is recent and what stands next to a
        // good match, which for a word or two can beat the turn that names it. A question about the event ("how was
        // the trip?") says nothing of when it happened.
        var found = await memory.SearchAsync(reference.Event, 10, now, cancellationToken).ConfigureAwait(false);
        if (found.FirstOrDefault(hit => hit.Turn.Id != askingTurnId && !hit.Turn.Text.TrimEnd().EndsWith('?') && SaysAll(hit.Turn.Text, reference.Event))?.Turn is not { } eventTurn)
        {
            return null;
        }

        return reference.Before
            ? new TimeWindow(DateTimeOffset.MinValue, eventTurn.At, reference.Phrase)
            : new TimeWindow(eventTurn.At, now.AddTicks(1), reference.Phrase);
    }

    // Whether the text has every word of the event that carries meaning (a plural counts: "trips" names "trip").
    private static bool SaysAll(string text, string eventWords) =>
        eventWords.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(word => word.Length > 2 && !LinkWords.Contains(word))
            .All(word => Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(word)}(?:s|es)?(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    private static readonly HashSet<string> LinkWords = new(StringComparer.OrdinalIgnoreCase) { "the", "and", "for", "with", "from", "into" };

    [GeneratedRegex(@"\b(?<relation>before|after|since|until|till)\s+(?:the|my|our|his|her|their|that|your)\s+(?<event>[\p{L}'-]+(?:\s+(?!(?:and|or|but|when|while|did|do|does|was|were|is|are|had|have|has|what|where|who|how|why|which|i|you|we|they|he|she|it)\b)[\p{L}'-]+){0,3})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EventPhrase();
}
