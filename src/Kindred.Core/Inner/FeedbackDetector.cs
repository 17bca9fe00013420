using System.Text.RegularExpressions;

namespace Kindred.Core.Inner;

/// <summary>A wish about the companion's manner, heard in what the person said or did.</summary>
/// <param name="Deltas">Which way each trait should move (before the bounded step is applied).</param>
/// <param name="Reason">Why, in words the person can read in the persona history (never their words verbatim).</param>
public sealed record PersonaSignal(IReadOnlyDictionary<Trait, double> Deltas, PersonaChangeKind Kind, string Reason);

/// <summary>
/// Hears explicit feedback on the companion's manner ("don't be so formal", "I love it when you tease me") and one
/// implicit signal (laughing right after a reply). Rules, not a model: feedback changes who she is, so it must be
/// predictable.
/// </summary>
public static partial class FeedbackDetector
{
    private static readonly (Func<Regex> Pattern, Trait Trait, double Direction, string Reason)[] Rules =
    [
        (LessFormal, Trait.Formality, -1, "asked me to be less formal"),
        (MoreFormal, Trait.Formality, +1, "asked me to be more formal"),
        (MorePlayful, Trait.Playfulness, +1, "said they enjoy it when I tease and joke"),
        (LessPlayful, Trait.Playfulness, -1, "asked me to joke and tease less"),
        (MoreDirect, Trait.Directness, +1, "asked me to be more direct"),
        (LessDirect, Trait.Directness, -1, "asked me to be gentler"),
        (MoreWarm, Trait.Warmth, +1, "asked me to be warmer"),
        (LessWarm, Trait.Warmth, -1, "asked me to be less sentimental"),
        (LessCurious, Trait.Curiosity, -1, "asked me to ask fewer questions"),
        (MoreCurious, Trait.Curiosity, +1, "said they like my questions"),
    ];

    /// <summary>What the person's turn says about the companion's manner, or null when it says nothing.</summary>
    /// <param name="previousTurn">The turn just before (the companion's reply, usually), for implicit signals.</param>
    public static PersonaSignal? Detect(string personTurn, StoredTurn? previousTurn)
    {
        ArgumentNullException.ThrowIfNull(personTurn);
        var text = personTurn.ToLowerInvariant().Replace('’', '\'');
        var deltas = new Dictionary<Trait, double>();
        var reasons = new List<string>();
        foreach (var (pattern, trait, direction, reason) in Rules)
        {
            if (!deltas.ContainsKey(trait) && pattern().IsMatch(text))
            {
                deltas[trait] = direction * Persona.FeedbackStep;
                reasons.Add(reason);
            }
        }

        if (deltas.Count > 0)
        {
            return new PersonaSignal(deltas, PersonaChangeKind.Feedback, "They " + string.Join("; ", reasons) + ".");
        }

        if (previousTurn is { Speaker: Speaker.Companion } && Laughed().IsMatch(text))
        {
            return new PersonaSignal(
                new Dictionary<Trait, double> { [Trait.Playfulness] = Persona.ImplicitStep },
                PersonaChangeKind.Implicit,
                "They laughed at something I said.");
        }

        return null;
    }

    [GeneratedRegex(@"\b(don't|do not|stop) be(ing)? so (formal|stiff|proper|polite)|\b(less|too|so) (formal|stiff|proper)\b|\bbe (more )?(casual|relaxed)\b|\bloosen up\b")]
    private static partial Regex LessFormal();

    [GeneratedRegex(@"\bbe more (formal|professional|proper)\b|\b(too|so) (casual|familiar)\b")]
    private static partial Regex MoreFormal();

    [GeneratedRegex(@"\b(love|like|enjoy) (it )?when you (tease|joke|make me laugh)|\b(love|like) your (jokes|teasing|humou?r)\b|\btease me more\b|\bjoke (around )?more\b|\byou're (so )?funny\b")]
    private static partial Regex MorePlayful();

    [GeneratedRegex(@"\b(stop|quit|don't|do not) (joking|teasing|tease|joke)|\b(be|get) serious\b|\bnot (the )?time for jokes\b|\bless jok")]
    private static partial Regex LessPlayful();

    [GeneratedRegex(@"\bbe (more )?(direct|blunt|straight|honest) with me\b|\bbe more (direct|blunt)\b|\bget to the point\b|\bjust tell me straight\b|\bstop beating around\b")]
    private static partial Regex MoreDirect();

    [GeneratedRegex(@"\b(too|so) (blunt|harsh|direct)\b|\bbe (more )?(gentle|gentler|softer|kinder)\b")]
    private static partial Regex LessDirect();

    [GeneratedRegex(@"\bbe (more )?(warm|warmer|affectionate|sweeter)\b|\b(too|so) (cold|distant)\b")]
    private static partial Regex MoreWarm();

    [GeneratedRegex(@"\b(too|so) (sappy|mushy|sentimental|clingy)\b|\bless (sappy|mushy|sentimental)\b")]
    private static partial Regex LessWarm();

    [GeneratedRegex(@"\b(stop|quit) asking (so many|me) questions\b|\b(too|so) many questions\b|\bfewer questions\b")]
    private static partial Regex LessCurious();

    [GeneratedRegex(@"\b(love|like) (it when you ask|your questions)\b|\bask me more\b")]
    private static partial Regex MoreCurious();

    [GeneratedRegex(@"^\s*(ha(ha)+|he(he)+|lol|lmao|rofl|😂|🤣)|\b(haha+|lol|lmao)\b|😂|🤣|that's (so )?funny")]
    private static partial Regex Laughed();
}
