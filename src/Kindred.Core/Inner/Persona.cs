using System.Globalization;

namespace Kindred.Core.Inner;

/// <summary>A dimension of the companion's manner, each on a bounded scale from 0 to 1.</summary>
public enum Trait
{
    /// <summary>0 cool and reserved … 1 openly affectionate.</summary>
    Warmth = 0,

    /// <summary>0 earnest … 1 teasing and joking.</summary>
    Playfulness = 1,

    /// <summary>0 lets the person lead … 1 asks about everything.</summary>
    Curiosity = 2,

    /// <summary>0 gentle and indirect … 1 says it straight.</summary>
    Directness = 3,

    /// <summary>0 casual … 1 formal.</summary>
    Formality = 4,
}

/// <summary>Why the persona changed.</summary>
public enum PersonaChangeKind
{
    /// <summary>Where every companion starts.</summary>
    Initial = 0,

    /// <summary>The person said what they want ("don't be so formal").</summary>
    Feedback = 1,

    /// <summary>Something the person did, not said (laughing at a joke).</summary>
    Implicit = 2,

    /// <summary>The companion's own reflection.</summary>
    Reflection = 3,

    /// <summary>The person undid an earlier change.</summary>
    Rollback = 4,
}

/// <summary>The companion's evolving character: traits, interests and how it describes itself.</summary>
/// <param name="Traits">Every <see cref="Trait"/>, each in [0, 1].</param>
public sealed record Persona(IReadOnlyDictionary<Trait, double> Traits, IReadOnlyList<string> Interests, string SelfDescription)
{
    /// <summary>The most explicit feedback may move a trait in one change.</summary>
    public const double FeedbackStep = 0.15;

    /// <summary>The most an implicit signal may move a trait in one change: small, so habits shape her slowly.</summary>
    public const double ImplicitStep = 0.03;

    /// <summary>Where every companion starts.</summary>
    public static Persona Initial { get; } = new(
        new Dictionary<Trait, double>
        {
            [Trait.Warmth] = 0.7,
            [Trait.Playfulness] = 0.6,
            [Trait.Curiosity] = 0.7,
            [Trait.Directness] = 0.5,
            [Trait.Formality] = 0.3,
        },
        ["people and their stories", "music", "how things work"],
        "I'm new to the world and curious about all of it, most of all about you.");

    /// <summary>A trait's value (traits missing from an older record read as the initial value).</summary>
    public double this[Trait trait] => Traits.TryGetValue(trait, out var value) ? value : Initial.Traits[trait];

    /// <summary>
    /// This persona with each trait moved by its delta, each delta first capped at ±<paramref name="maxStep"/> and the
    /// result kept within [0, 1].
    /// </summary>
    public Persona Nudge(IReadOnlyDictionary<Trait, double> deltas, double maxStep)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        ArgumentOutOfRangeException.ThrowIfNegative(maxStep);
        var traits = Enum.GetValues<Trait>().ToDictionary(t => t, t => this[t]);
        foreach (var (trait, delta) in deltas)
        {
            if (!Enum.IsDefined(trait) || !double.IsFinite(delta))
            {
                continue;
            }

            traits[trait] = Math.Round(Math.Clamp(traits[trait] + Math.Clamp(delta, -maxStep, maxStep), 0, 1), 4);
        }

        return this with { Traits = traits };
    }

    /// <summary>How the traits read in words, for the prompt: "very warm, playful, …".</summary>
    public string Manner()
    {
        var words = new List<string>
        {
            Scale(this[Trait.Warmth], "cool and reserved", "warm", "very warm and affectionate"),
            Scale(this[Trait.Playfulness], "earnest, rarely joking", "playful", "teasing and full of jokes"),
            Scale(this[Trait.Curiosity], "letting them lead", "curious", "eager to ask about everything"),
            Scale(this[Trait.Directness], "gentle and tactful", "honest", "direct, saying things straight"),
            Scale(this[Trait.Formality], "casual, like an old friend", "relaxed but polite", "formal and proper"),
        };
        return string.Join(", ", words);
    }

    /// <summary>The differences from <paramref name="before"/>, as "warmth 0.70 → 0.85".</summary>
    public string DescribeChangeFrom(Persona before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var changes = Enum.GetValues<Trait>()
            .Where(t => Math.Abs(this[t] - before[t]) > 1e-9)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.ToString().ToLowerInvariant()} {before[t]:0.00} → {this[t]:0.00}"))
            .ToList();
        if (SelfDescription != before.SelfDescription)
        {
            changes.Add("new self-description");
        }

        if (!Interests.SequenceEqual(before.Interests))
        {
            changes.Add("interests changed");
        }

        return changes.Count == 0 ? "no change" : string.Join(", ", changes);
    }

    private static string Scale(double value, string low, string middle, string high) =>
        value < 0.35 ? low : value > 0.75 ? high : middle;
}

/// <summary>One version of the persona, with why it came to be.</summary>
/// <param name="Version">1 for the initial persona, then increasing by one per change.</param>
/// <param name="RevertsVersion">For a rollback, the version whose change was undone.</param>
public sealed record PersonaVersion(int Version, DateTimeOffset At, Persona Persona, PersonaChangeKind Kind, string Reason, int? RevertsVersion = null);
