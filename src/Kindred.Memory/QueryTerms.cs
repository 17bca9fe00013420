using System.Text.RegularExpressions;

namespace Kindred.Memory;

/// <summary>
/// The words of what a person typed that are worth searching for: runs of letters and digits, whatever punctuation
/// or operators surround them, with the common words left out.
/// </summary>
internal static partial class QueryTerms
{
    // More words than this add little to the ranking but make every search slower.
    internal const int MaxTerms = 32;

    // English function words and question words. They match most turns, so they add little to BM25's ranking
    // but make a search score nearly every turn; the words that carry the question are what is left.
    private static readonly HashSet<string> StopWords = new(
        """
        a about above after again against all am an and any are as at be because been before being below between both
        but by can could did do does doing down during each few for from further had has have having he her here hers
        herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
        once only or other our ours ourselves out over own same she should so some such than that the their theirs them
        themselves then there these they this those through to too under until up very was we were what when where
        which while who whom why will with would you your yours yourself yourselves ever also any anything something
        s t d ll m re ve don didn doesn isn wasn weren haven hasn hadn won wouldn couldn shouldn
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a word is too common to help find anything ("the", "what", "did").</summary>
    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>The distinct words of <paramref name="text"/> worth searching for, in order, at most <see cref="MaxTerms"/>.</summary>
    public static IReadOnlyList<string> TermsOf(string text)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var contentWords = false;
        foreach (var match in Words().EnumerateMatches(text))
        {
            contentWords |= !IsStopWord(text.Substring(match.Index, match.Length));
        }

        foreach (var match in Words().EnumerateMatches(text))
        {
            var word = text.Substring(match.Index, match.Length);
            if ((!contentWords || !IsStopWord(word)) && seen.Add(word))
            {
                terms.Add(word);
                if (terms.Count == MaxTerms)
                {
                    break;
                }
            }
        }

        return terms;
    }

    // The characters kept inside a word (as SQLite FTS5's unicode61 tokenizer keeps them): letters, digits, combining marks, private use.
    [GeneratedRegex(@"[\p{L}\p{N}\p{M}\p{Co}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
