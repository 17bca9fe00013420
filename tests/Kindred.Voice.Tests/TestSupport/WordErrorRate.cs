namespace Kindred.Voice.Tests.TestSupport;

/// <summary>
/// Word error rate over a corpus: (substitutions + deletions + insertions) / reference words, from the word-level
/// edit distance of each pair, summed over all pairs before dividing (not an average of per-sentence rates).
/// Words are compared lowercase with punctuation removed.
/// </summary>
internal static class WordErrorRate
{
    public static double Of(IEnumerable<(string Reference, string Hypothesis)> pairs)
    {
        int errors = 0, words = 0;
        foreach (var (reference, hypothesis) in pairs)
        {
            var expected = Words(reference);
            errors += EditDistance(expected, Words(hypothesis));
            words += expected.Length;
        }

        return words == 0 ? 0 : (double)errors / words;
    }

    public static string[] Words(string text) =>
        new string([.. text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c == '\'' ? c : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static int EditDistance(string[] reference, string[] hypothesis)
    {
        var previous = Enumerable.Range(0, hypothesis.Length + 1).ToArray();
        for (var i = 1; i <= reference.Length; i++)
        {
            var current = new int[hypothesis.Length + 1];
            current[0] = i;
            for (var j = 1; j <= hypothesis.Length; j++)
            {
                var substitution = previous[j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            previous = current;
        }

        return previous[hypothesis.Length];
    }
}
