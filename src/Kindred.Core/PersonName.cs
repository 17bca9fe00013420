using System.Text.RegularExpressions;

namespace Kindred.Core;

/// <summary>Finds the person's name in what they say after the companion has asked for it.</summary>
public static partial class PersonName
{
    private const int MaxWords = 3;

    /// <summary>
    /// Reads "my name is Sam", "I'm Sam", "call me Sam", "it's Sam Lee" or, when the person answers with nothing
    /// else, a bare "Sam" (only when <paramref name="allowBareAnswer"/>, i.e. right after being asked).
    /// Returns false for anything that does not look like a name.
    /// </summary>
    public static bool TryParse(string text, bool allowBareAnswer, out string name)
    {
        name = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        // Phones type a curly apostrophe: "I’m Sam".
        var trimmed = text.Trim().Replace('\u2019', '\'');
        var match = IntroductionPattern().Match(trimmed);
        var candidate = match.Success ? match.Groups["name"].Value : allowBareAnswer ? BareAnswer(trimmed) : null;

        if (candidate is null)
        {
            return false;
        }

        // "I'm tired" is not a name; "I'm Sam" is. Only the explicit forms take a lower-case name.
        if (match.Success && !match.Groups["explicit"].Success && !char.IsUpper(candidate[0]))
        {
            return false;
        }

        // "I'm Sam from Boston": a name that starts capitalised ends at the first lower-case word.
        var capitalised = char.IsUpper(candidate[0]);
        var words = candidate.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile((w, i) => CompanionName.TryAccept(w, out _) && (i == 0 || !capitalised || char.IsUpper(w[0])))
            .Take(MaxWords)
            .Select(w => CompanionName.TryAccept(w, out var accepted) ? accepted : w)
            .ToList();
        if (words.Count == 0)
        {
            return false;
        }

        name = string.Join(' ', words);
        return true;
    }

    // A bare answer is one to three words and nothing else, like "Sam" or "Sam Lee."
    private static string? BareAnswer(string text)
    {
        var stripped = text.TrimEnd('.', '!', ' ');
        if (stripped.EndsWith('?'))
        {
            // "Why?" answers a question with a question, not a name.
            return null;
        }

        var words = stripped.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length is >= 1 and <= MaxWords ? stripped : null;
    }

    [GeneratedRegex(@"\b(?:(?<explicit>my name is|my name's|name's|call me)|i am|i'm|it's|it is|this is)\s+(?<name>[\p{L}][\p{L}'\- ]*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IntroductionPattern();
}
