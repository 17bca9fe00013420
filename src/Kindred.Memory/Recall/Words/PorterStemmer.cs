namespace Kindred.Memory.Recall.Words;

/// <summary>
/// M. F. Porter's suffix-stripping algorithm (1980), as SQLite's porter tokenizer applies it, so that "walked",
/// "walking" and "walks" all index as "walk". Works on lower-case ASCII words; words shorter than three letters, longer
/// than 64, or holding anything but a–z are kept as they are.
/// </summary>
internal static class PorterStemmer
{
    private const int MaxLength = 64;

    public static string Stem(string word)
    {
        if (word.Length < 3 || word.Length > MaxLength || !IsLowerAscii(word))
        {
            return word;
        }

        Span<char> buffer = stackalloc char[MaxLength];
        word.AsSpan().CopyTo(buffer);
        var w = new Word(buffer, word.Length);
        Step1A(ref w);
        Step1B(ref w);
        Step1C(ref w);
        Step2(ref w);
        Step3(ref w);
        Step4(ref w);
        Step5(ref w);
        return w.Length == word.Length && buffer[..w.Length].SequenceEqual(word) ? word : new string(buffer[..w.Length]);
    }

    private static bool IsLowerAscii(string word)
    {
        foreach (var c in word)
        {
            if (c is < 'a' or > 'z')
            {
                return false;
            }
        }

        return true;
    }

    private static void Step1A(ref Word w)
    {
        if (w.EndsWith("sses"))
        {
            w.Length -= 2;
        }
        else if (w.EndsWith("ies"))
        {
            w.Length -= 2;
        }
        else if (!w.EndsWith("ss") && w.EndsWith("s"))
        {
            w.Length -= 1;
        }
    }

    private static void Step1B(ref Word w)
    {
        if (w.EndsWith("eed"))
        {
            if (w.Measure(w.Length - 3) > 0)
            {
                w.Length -= 1;
            }

            return;
        }

        int stem;
        if (w.EndsWith("ed"))
        {
            stem = w.Length - 2;
        }
        else if (w.EndsWith("ing"))
        {
            stem = w.Length - 3;
        }
        else
        {
            return;
        }

        if (!w.HasVowel(stem))
        {
            return;
        }

        w.Length = stem;
        if (w.EndsWith("at") || w.EndsWith("bl") || w.EndsWith("iz"))
        {
            w.Append('e');
        }
        else if (w.EndsWithDoubleConsonant() && w[w.Length - 1] is not ('l' or 's' or 'z'))
        {
            w.Length -= 1;
        }
        else if (w.Measure(w.Length) == 1 && w.EndsWithCvc(w.Length))
        {
            w.Append('e');
        }
    }

    private static void Step1C(ref Word w)
    {
        if (w.EndsWith("y") && w.HasVowel(w.Length - 1))
        {
            w[w.Length - 1] = 'i';
        }
    }

    // Suffix → replacement, applied when the stem before it has a measure above zero.
    private static readonly (string Suffix, string Replacement)[] Step2Rules =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    private static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
        "ous", "ive", "ize",
    ];

    private static void Step2(ref Word w) => Replace(ref w, Step2Rules);

    private static void Step3(ref Word w) => Replace(ref w, Step3Rules);

    private static void Replace(ref Word w, (string Suffix, string Replacement)[] rules)
    {
        foreach (var (suffix, replacement) in rules)
        {
            if (w.EndsWith(suffix))
            {
                var stem = w.Length - suffix.Length;
                if (w.Measure(stem) > 0)
                {
                    w.Length = stem;
                    w.Append(replacement);
                }

                return;
            }
        }
    }

    private static void Step4(ref Word w)
    {
        foreach (var suffix in Step4Suffixes)
        {
            if (w.EndsWith(suffix))
            {
                var stem = w.Length - suffix.Length;
                if (w.Measure(stem) > 1 && (suffix != "ion" || (stem > 0 && w[stem - 1] is 's' or 't')))
                {
                    w.Length = stem;
                }

                return;
            }
        }
    }

    private static void Step5(ref Word w)
    {
        if (w.EndsWith("e"))
        {
            var stem = w.Length - 1;
            var m = w.Measure(stem);
            if (m > 1 || (m == 1 && !w.EndsWithCvc(stem)))
            {
                w.Length = stem;
            }
        }

        if (w.Length > 1 && w[w.Length - 1] == 'l' && w[w.Length - 2] == 'l' && w.Measure(w.Length) > 1)
        {
            w.Length -= 1;
        }
    }

    private ref struct Word(Span<char> buffer, int length)
    {
        private readonly Span<char> _buffer = buffer;

        public int Length { get; set; } = length;

        public readonly char this[int i]
        {
            get => _buffer[i];
            set => _buffer[i] = value;
        }

        public readonly bool EndsWith(string suffix) =>
            suffix.Length < Length && _buffer[..Length].EndsWith(suffix.AsSpan(), StringComparison.Ordinal);

        public void Append(string text)
        {
            text.AsSpan().CopyTo(_buffer[Length..]);
            Length += text.Length;
        }

        public void Append(char c) => _buffer[Length++] = c;

        /// <summary>Porter's m: how many vowel-consonant sequences the first <paramref name="end"/> letters hold.</summary>
        public readonly int Measure(int end)
        {
            var m = 0;
            var i = 0;
            while (i < end && IsConsonant(i))
            {
                i++;
            }

            while (i < end)
            {
                while (i < end && !IsConsonant(i))
                {
                    i++;
                }

                if (i >= end)
                {
                    break;
                }

                while (i < end && IsConsonant(i))
                {
                    i++;
                }

                m++;
            }

            return m;
        }

        public readonly bool HasVowel(int end)
        {
            for (var i = 0; i < end; i++)
            {
                if (!IsConsonant(i))
                {
                    return true;
                }
            }

            return false;
        }

        public readonly bool EndsWithDoubleConsonant() =>
            Length >= 2 && _buffer[Length - 1] == _buffer[Length - 2] && IsConsonant(Length - 1);

        /// <summary>Consonant-vowel-consonant at the end of the first <paramref name="end"/> letters, the last not w, x or y.</summary>
        public readonly bool EndsWithCvc(int end) =>
            end >= 3 && IsConsonant(end - 1) && !IsConsonant(end - 2) && IsConsonant(end - 3) && _buffer[end - 1] is not ('w' or 'x' or 'y');

        private readonly bool IsConsonant(int i) => _buffer[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !IsConsonant(i - 1),
            _ => true,
        };
    }
}
