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

    /// <summary>
    /// Each run of letters and digits becomes a quoted term (so nothing in it is an operator), and the terms are
    /// ORed, so a turn matching some of the words is still found, and BM25 ranks those that match more of them higher.
    /// </summary>
    /// <returns>The query, or null when the text has no words to search for.</returns>
    public static string? FromPersonText(string text)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var match in Words().EnumerateMatches(text))
        {
            var word = text.Substring(match.Index, match.Length);
            if (seen.Add(word))
            {
                terms.Add(word);
                if (terms.Count == MaxTerms)
                {
                    break;
                }
            }
        }

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
            query.Append('"').Append(term).Append('"');
        }

        return query.ToString();
    }

    // The characters FTS5's unicode61 tokenizer keeps inside a token: letters, digits, combining marks, private use.
    [GeneratedRegex(@"[\p{L}\p{N}\p{M}\p{Co}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
