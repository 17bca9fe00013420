using System.Globalization;
using System.Text;

namespace Kindred.Memory.Recall.Words;

/// <summary>
/// Splits text into the terms <see cref="WordIndex"/> keys on, the way SQLite FTS5's tokenizer does
/// ("porter unicode61 remove_diacritics 2"): runs of letters, digits and marks, lower-cased, accents removed ("café"
/// is "cafe"), then stemmed ("walked" is "walk"). A turn and a question tokenised alike match alike.
/// </summary>
internal static class WordTokenizer
{
    /// <summary>The terms of <paramref name="text"/>, in order, repeats included.</summary>
    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && IsWordChar(text, i);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                terms.Add(Term(text.AsSpan(start, i - start)));
                start = -1;
            }
        }

        return terms;
    }

    /// <summary>The term one word indexes as (folded and stemmed).</summary>
    public static string Term(ReadOnlySpan<char> word) => PorterStemmer.Stem(Fold(word));

    private static bool IsWordChar(string text, int i)
    {
        var c = text[i];
        if (char.IsAsciiLetterOrDigit(c))
        {
            return true;
        }

        if (c < 128)
        {
            return false;
        }

        return CharUnicodeInfo.GetUnicodeCategory(text, i) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate => true,
            _ => false,
        };
    }

    // U+00C0 to U+017F (Latin-1 Supplement and Latin Extended-A) lower-cased without their accents: "É" is "e".
    // A table, because Unicode decomposition needs ICU and Kindred runs with invariant globalization.
    private const string LatinFolded =
        "aaaaaaæceeeeiiiiðnooooo×øuuuuyþßaaaaaaæceeeeiiiiðnooooo÷øuuuuyþyaaaaaaccccccccddđđeeeeeeeeeegggggggghhħħiiiiiiiiiıĳĳjjkkĸllllllŀŀłłnnnnnnŉŋŋooooooœœrrrrrrssssssssttttŧŧuuuuuuuuuuuuwwyyyzzzzzzſ";

    private static string Fold(ReadOnlySpan<char> word)
    {
        var ascii = true;
        foreach (var c in word)
        {
            ascii &= c < 128;
        }

        if (ascii)
        {
            return word.ToString().ToLowerInvariant();
        }

        var folded = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (c is >= '\u0300' and <= '\u036F')
            {
                // A combining accent ("e" followed by U+0301): dropped, as the precomposed letter's accent is.
                continue;
            }

            folded.Append(c is >= '\u00C0' and <= '\u017F' ? LatinFolded[c - '\u00C0'] : char.ToLowerInvariant(c));
        }

        return folded.Length > 0 ? folded.ToString() : word.ToString().ToLowerInvariant();
    }
}
