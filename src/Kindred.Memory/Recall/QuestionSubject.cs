using Kindred.Core;

namespace Kindred.Memory.Recall;

/// <summary>Whom a question is about, when it names exactly one of the two who talk ("What did Alex say about…").</summary>
internal static class QuestionSubject
{
    public static (Speaker? Speaker, string? NamedAs) Find(string question, string companionName, string? personName)
    {
        var person = Names(question, personName);
        var companion = Names(question, companionName);
        return (person, companion) switch
        {
            ({ } name, null) => (Speaker.Person, name),
            (null, { } name) => (Speaker.Companion, name),
            _ => (null, null),
        };
    }

    /// <summary>The name, or its first word ("Jo" of "Jo March"), where the question uses it as a word; else null.</summary>
    private static string? Names(string question, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var first = name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        foreach (var candidate in new[] { name.Trim(), first }.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (ContainsWord(question, candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="word"/> occurs in <paramref name="text"/>, ignoring case, not inside a longer word.</summary>
    private static bool ContainsWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + word.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return true;
            }
        }

        return false;
    }
}
