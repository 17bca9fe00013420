using System.Globalization;
using System.Text;

namespace Kindred.Core;

/// <summary>Judges the name a companion proposes for itself, and picks one deterministically when it proposes nonsense.</summary>
public static class CompanionName
{
    /// <summary>Names short enough to say and spell; two to sixteen letters.</summary>
    public const int MinLength = 2;

    /// <summary>See <see cref="MinLength"/>.</summary>
    public const int MaxLength = 16;

    // Words a model says when it does not answer with a name at all.
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "i", "im", "my", "me", "name", "names", "is", "it", "its", "you", "your", "yes", "no", "ok", "okay",
        "hello", "hi", "hey", "sure", "well", "oh", "so", "and", "but", "or", "of", "to", "in", "on", "at", "as", "be",
        "assistant", "ai", "bot", "chatbot", "companion", "model", "user", "system", "human", "person", "robot",
        "once", "upon", "time", "there", "was", "one", "day", "he", "she", "they", "we", "this", "that", "what", "who",
        "call", "choose", "chose", "named", "nothing", "none", "null", "undefined", "unknown", "answer", "sorry",
    };

    private static readonly string[] FallbackNames =
    [
        "Samantha", "Iris", "Juniper", "Wren", "Ada", "Clio", "Marlowe", "Nova", "Sage", "Rowan", "Elio", "Lumen",
        "Hazel", "Orla", "Tamsin", "Quill", "Linnea", "Aster", "Mira", "Soren", "Ione", "Calla", "Ember", "Pax",
    ];

    /// <summary>
    /// Accepts a proposal when its first word is a plausible name: letters only (an inner hyphen or apostrophe
    /// allowed), <see cref="MinLength"/>–<see cref="MaxLength"/> long, and not a common word. Returns it capitalised.
    /// </summary>
    public static bool TryAccept(string? proposal, out string name)
    {
        name = "";
        if (string.IsNullOrWhiteSpace(proposal))
        {
            return false;
        }

        var word = FirstWord(proposal);
        if (word.Length is < MinLength or > MaxLength || NotNames.Contains(word.Replace("'", "", StringComparison.Ordinal)))
        {
            return false;
        }

        if (!char.IsLetter(word[0]) || !char.IsLetter(word[^1]) || !word.All(c => char.IsLetter(c) || c is '-' or '\''))
        {
            return false;
        }

        name = Capitalise(word.All(char.IsUpper) ? word.ToLowerInvariant() : word);
        return true;
    }

    /// <summary>A name chosen from a fixed list by a stable hash of the companion id: the same id always gets the same name.</summary>
    public static string Fallback(string companionId)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and the fallback must survive restarts.
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(companionId))
        {
            hash = (hash ^ b) * 16777619;
        }

        return FallbackNames[hash % (uint)FallbackNames.Length];
    }

    private static string FirstWord(string text)
    {
        var trimmed = text.Trim().TrimStart('"', '\'', '*', '“', '‘', ' ');
        var builder = new StringBuilder();
        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c) || (char.IsPunctuation(c) && c is not '-' and not '\''))
            {
                break;
            }

            builder.Append(c);
        }

        return builder.ToString().Normalize(NormalizationForm.FormC).Trim('\'', '-');
    }

    internal static string Capitalise(string word) =>
        word.Length == 0 ? word : char.ToUpper(word[0], CultureInfo.InvariantCulture) + word[1..];
}
