using System.Text;
using System.Text.RegularExpressions;

namespace Kindred.Memory;

/// <summary>
/// Turns what a person typed into an FTS5 query that cannot fail to parse. Their words are not FTS5 syntax: a stray
/// quote, "NEAR(", "-" or "*" would otherwise be an error or change the meaning.
/// </summary>
internal static partial class FtsQuery
{
    // More words than this add little to the ranking but make every search slower.
    internal const int MaxTerms = 32;

    // English function words and question words. They match most turns, so they add little to BM25's ranking
    // but make FTS5 score nearly every row; the words that carry the question are what is left.
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

    /// <summary>
    /// Each run of letters and digits becomes a quoted term (so nothing in it is an operator), and the terms are
    /// ORed, so a turn matching some of the words is still found, and BM25 ranks those that match more of them higher.
    /// Stop words are left out unless the text has nothing else.
    /// </summary>
    /// <returns>The query, or null when the text has no words to search for.</returns>
    public static string? FromPersonText(string text) => Build(TermsOf(text));

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

    /// <summary>One quoted term, as FTS5 reads a single word.</summary>
    public static string Term(string word) => $"\"{word}\"";

    /// <summary>The terms ORed, or null when there are none.</summary>
    public static string? Build(IReadOnlyList<string> terms)
    {
        if (terms.Count == 0)
        {
            return null;
        }

        var query = new StringBuilder();
        foreach (var term in terms)
        {
            if (query.Length > 0)
            {
                query.Append(" OR ");
            }

            // Words hold no '"' by construction; quoting makes "AND", "NEAR" or "NOT" plain words.
            query.Append(Term(term));
        }

        return query.ToString();
    }

    // The characters FTS5's unicode61 tokenizer keeps inside a token: letters, digits, combining marks, private use.
    [GeneratedRegex(@"[\p{L}\p{N}\p{M}\p{Co}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
