using System.Text.RegularExpressions;

namespace Kindred.Core.Inner;

/// <summary>
/// The built-in appraiser: a small emotion lexicon and a few rules for what the person needs. Cheap, deterministic and
/// always available, so a turn is understood even when no model can do it (or the model answers nonsense).
/// </summary>
public static partial class LexiconAppraiser
{
    // word stem → (emotion, valence, arousal). Stems match a word's start, so "exhaust" finds "exhausted".
    private static readonly (string Stem, string Emotion, double Valence, double Arousal)[] Lexicon =
    [
        ("happy", "happy", 0.7, 0.5), ("glad", "happy", 0.6, 0.4), ("great", "happy", 0.6, 0.5), ("wonderful", "happy", 0.8, 0.5),
        ("good day", "happy", 0.5, 0.4), ("awesome", "excited", 0.8, 0.7), ("excit", "excited", 0.8, 0.8), ("can't wait", "excited", 0.7, 0.8),
        ("thank", "grateful", 0.6, 0.3), ("grateful", "grateful", 0.7, 0.3), ("proud", "proud", 0.7, 0.5), ("relax", "calm", 0.4, 0.1),
        ("calm", "calm", 0.4, 0.1), ("hope", "hopeful", 0.4, 0.4), ("love", "loving", 0.7, 0.5), ("haha", "amused", 0.6, 0.6),
        ("lol", "amused", 0.5, 0.5), ("funny", "amused", 0.5, 0.5), ("😂", "amused", 0.6, 0.6),
        ("sad", "sad", -0.7, 0.3), ("unhappy", "sad", -0.6, 0.3), ("depress", "sad", -0.8, 0.2), ("cry", "sad", -0.7, 0.5),
        ("miserable", "sad", -0.8, 0.4), ("down", "sad", -0.4, 0.2), ("miss ", "sad", -0.4, 0.3), ("died", "sad", -0.9, 0.5),
        ("lonely", "lonely", -0.7, 0.2), ("alone", "lonely", -0.5, 0.2), ("tired", "tired", -0.4, 0.1), ("exhaust", "tired", -0.6, 0.1),
        ("sleepy", "tired", -0.2, 0.1), ("worn out", "tired", -0.5, 0.1), ("drained", "tired", -0.5, 0.1),
        ("anxious", "anxious", -0.6, 0.8), ("nervous", "anxious", -0.5, 0.7), ("worr", "anxious", -0.5, 0.7), ("scared", "afraid", -0.7, 0.8),
        ("afraid", "afraid", -0.7, 0.8), ("panic", "anxious", -0.8, 0.9), ("stress", "stressed", -0.6, 0.8), ("overwhelm", "stressed", -0.7, 0.8),
        ("angry", "angry", -0.7, 0.9), ("furious", "angry", -0.9, 0.95), ("hate", "angry", -0.7, 0.8), ("pissed", "angry", -0.7, 0.9),
        ("annoy", "frustrated", -0.5, 0.7), ("frustrat", "frustrated", -0.6, 0.7), ("ugh", "frustrated", -0.4, 0.6), ("fed up", "frustrated", -0.6, 0.6),
        ("hurt", "hurt", -0.7, 0.5), ("betray", "hurt", -0.8, 0.7), ("heartbr", "hurt", -0.9, 0.5), ("bored", "bored", -0.3, 0.1),
        ("boring", "bored", -0.3, 0.1), ("confus", "confused", -0.3, 0.5), ("lost", "confused", -0.3, 0.4),
    ];

    private static readonly string[] Negations = ["not ", "n't ", "never ", "no longer "];

    /// <summary>Appraises one turn of the person's.</summary>
    public static Appraisal Appraise(string personTurn)
    {
        ArgumentNullException.ThrowIfNull(personTurn);
        var text = " " + personTurn.ToLowerInvariant().Replace('’', '\'') + " ";
        var found = new List<(string Emotion, double Valence, double Arousal, int Position)>();
        foreach (var (stem, emotion, valence, arousal) in Lexicon)
        {
            var at = IndexOfWordStart(text, stem);
            if (at < 0)
            {
                continue;
            }

            // "not happy" is unhappy; a negated unpleasant word ("not sad") is simply not counted.
            var before = text[Math.Max(0, at - 10)..at];
            var negated = Negations.Any(before.Contains);
            if (negated && valence > 0)
            {
                found.Add(("sad", -valence * 0.6, arousal, at));
            }
            else if (!negated)
            {
                found.Add((emotion, valence, arousal, at));
            }
        }

        var need = NeedOf(text, found.Count == 0 ? 0 : found.Average(f => f.Valence));
        if (found.Count == 0)
        {
            return Appraisal.Neutral(AppraisalSource.Lexicon) with { Need = need };
        }

        var intensity = ExclamationPattern().IsMatch(personTurn) ? 0.15 : 0;
        var emotions = found
            .GroupBy(f => f.Emotion)
            .OrderByDescending(g => g.Max(f => Math.Abs(f.Valence)))
            .ThenBy(g => g.Min(f => f.Position))
            .Select(g => g.Key)
            .Take(3)
            .ToList();
        return new Appraisal(
            Math.Clamp(found.Average(f => f.Valence), -1, 1),
            Math.Clamp(found.Max(f => f.Arousal) + intensity, 0, 1),
            emotions,
            need,
            AppraisalSource.Lexicon);
    }

    private static PersonNeed NeedOf(string text, double valence)
    {
        if (LaughPattern().IsMatch(text))
        {
            return PersonNeed.Laugh;
        }

        if (AdvicePattern().IsMatch(text))
        {
            return PersonNeed.Advice;
        }

        if (VentPattern().IsMatch(text) || valence <= -0.5)
        {
            return PersonNeed.Vent;
        }

        return PersonNeed.Company;
    }

    private static int IndexOfWordStart(string text, string stem)
    {
        for (var at = text.IndexOf(stem, StringComparison.Ordinal); at >= 0; at = text.IndexOf(stem, at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || !char.IsLetter(text[at - 1]))
            {
                return at;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"\b(joke|make me laugh|cheer me up|something funny|tease me)\b")]
    private static partial Regex LaughPattern();

    [GeneratedRegex(@"\b(should i|what should|what do you think|any advice|how do i|how can i|help me (decide|figure|choose)|what would you do|do you think i should)\b")]
    private static partial Regex AdvicePattern();

    [GeneratedRegex(@"\b(i just need to (vent|talk)|let me vent|i can't believe|so sick of|ugh|i hate)\b")]
    private static partial Regex VentPattern();

    [GeneratedRegex(@"!{1,}|[A-Z]{4,}")]
    private static partial Regex ExclamationPattern();
}
