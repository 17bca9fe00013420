namespace Kindred.Core.Inner;

/// <summary>What a person seems to need from a turn.</summary>
public enum PersonNeed
{
    /// <summary>Just to be with someone: talk, share, be heard in passing.</summary>
    Company = 0,

    /// <summary>To let something out; listening matters more than solving.</summary>
    Vent = 1,

    /// <summary>Help deciding or doing something.</summary>
    Advice = 2,

    /// <summary>Lightness: a joke, teasing, cheering up.</summary>
    Laugh = 3,
}

/// <summary>Who made an appraisal.</summary>
public enum AppraisalSource
{
    /// <summary>The built-in word-and-rule appraiser (no model was usable, or it answered nonsense).</summary>
    Lexicon = 0,

    /// <summary>The chat model, through validated structured output.</summary>
    Model = 1,
}

/// <summary>How the person seemed in one turn.</summary>
/// <param name="Valence">Unpleasant (−1) to pleasant (+1).</param>
/// <param name="Arousal">Calm (0) to agitated or excited (1).</param>
/// <param name="Emotions">Named emotions, lower-case words from <see cref="Appraisal.KnownEmotions"/>, strongest first; at most three.</param>
/// <param name="Need">What they seem to need.</param>
/// <param name="Source">Who made the appraisal.</param>
public sealed record Appraisal(double Valence, double Arousal, IReadOnlyList<string> Emotions, PersonNeed Need, AppraisalSource Source)
{
    /// <summary>The emotion words an appraisal may name; anything else a model says is dropped.</summary>
    public static readonly IReadOnlySet<string> KnownEmotions = new HashSet<string>(StringComparer.Ordinal)
    {
        "happy", "excited", "grateful", "proud", "calm", "hopeful", "loving", "amused",
        "sad", "lonely", "tired", "anxious", "stressed", "angry", "frustrated", "afraid", "hurt", "bored", "confused",
    };

    /// <summary>A neutral appraisal: nothing in particular noticed.</summary>
    public static Appraisal Neutral(AppraisalSource source) => new(0, 0.3, [], PersonNeed.Company, source);

    /// <summary>True when the person seems to be sharing something hard (clearly unpleasant feelings).</summary>
    public bool IsHard => Valence <= -0.5;
}

/// <summary>An appraisal as stored with the person's turn: the emotional timeline is made of these.</summary>
public sealed record StoredAppraisal(long TurnId, DateTimeOffset At, Appraisal Appraisal);
