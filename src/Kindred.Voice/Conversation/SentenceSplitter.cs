using System.Text;

namespace Kindred.Voice.Conversation;

/// <summary>
/// Cuts a reply into sentences as its tokens arrive, so each sentence can be spoken while the next is still being
/// written. A sentence ends at <c>. ! ?</c> or an ellipsis (with any closing quotes or brackets) followed by
/// whitespace, or at a line break; not after common abbreviations (Mr., Dr., e.g.) or a single initial. A sentence
/// that runs on past <see cref="LongSentence"/> characters is cut at its next comma, semicolon or colon, so speech
/// never waits long.
/// </summary>
public sealed class SentenceSplitter
{
    /// <summary>Length after which a sentence is cut at a clause boundary. 160 characters (about 10 s of speech).</summary>
    public const int LongSentence = 160;

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "no", "mt", "fig", "approx", "dept", "ave",
    };

    private readonly StringBuilder _pending = new();
    private bool _emitted;

    /// <summary>
    /// When true, the reply's first piece ends at its first comma, semicolon, colon or dash after at least two words,
    /// so the first audio is a short clause that is quick to synthesise while the rest is still being written.
    /// Default false.
    /// </summary>
    public bool CutFirstClause { get; init; }

    /// <summary>Splits a complete text into sentences.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        var splitter = new SentenceSplitter();
        var sentences = splitter.Append(text).ToList();
        if (splitter.Flush() is { } last)
        {
            sentences.Add(last);
        }

        return sentences;
    }

    /// <summary>Adds the next piece of the reply and returns the sentences it completed, in order.</summary>
    public IEnumerable<string> Append(string chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        _pending.Append(chunk);
        var sentences = new List<string>();
        var start = 0;
        var text = _pending.ToString();
        for (var i = 0; i < text.Length; i++)
        {
            var end = BoundaryAt(text, start, i);
            if (end < 0 && CutFirstClause && !_emitted)
            {
                end = FirstClauseAt(text, start, i);
            }

            if (end < 0)
            {
                continue;
            }

            if (text[start..end].Trim() is { Length: > 0 } sentence)
            {
                sentences.Add(sentence);
                _emitted = true;
            }

            start = end;
            i = end - 1;
        }

        _pending.Remove(0, start);
        return sentences;
    }

    /// <summary>The unfinished last sentence, once the reply is complete; null when nothing is left.</summary>
    public string? Flush()
    {
        var rest = _pending.ToString().Trim();
        _pending.Clear();
        return rest.Length > 0 ? rest : null;
    }

    // Where the sentence that contains position i ends (exclusive), or -1 when it does not end at i.
    private static int BoundaryAt(string text, int start, int i)
    {
        var c = text[i];
        if (c == '\n')
        {
            return i + 1;
        }

        if (c is '.' or '!' or '?' or '…')
        {
            var end = i + 1;
            while (end < text.Length && text[end] is '.' or '!' or '?' or '…' or '"' or '\'' or ')' or ']' or '”' or '’')
            {
                end++;
            }

            // The next character decides; until it arrives the sentence may go on ("3.5", "e.g.").
            if (end >= text.Length || !char.IsWhiteSpace(text[end]))
            {
                return -1;
            }

            return c == '.' && IsAbbreviation(text, start, i) ? -1 : end;
        }

        if (c is ',' or ';' or ':' && i - start >= LongSentence && i + 1 < text.Length && char.IsWhiteSpace(text[i + 1]))
        {
            return i + 1;
        }

        return -1;
    }

    private static int FirstClauseAt(string text, int start, int i)
    {
        if (text[i] is not (',' or ';' or ':' or '—' or '–') || i + 1 >= text.Length || !char.IsWhiteSpace(text[i + 1]))
        {
            return -1;
        }

        var words = text[start..i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        return words >= 2 ? i + 1 : -1;
    }

    private static bool IsAbbreviation(string text, int start, int dot)
    {
        var wordStart = dot;
        while (wordStart > start && !char.IsWhiteSpace(text[wordStart - 1]) && text[wordStart - 1] is not ('(' or '"' or '“'))
        {
            wordStart--;
        }

        var word = text[wordStart..dot];
        return (word.Length == 1 && char.IsUpper(word[0])) || Abbreviations.Contains(word);
    }
}
