namespace Kindred.Core;

/// <summary>How a companion composes and generates its replies.</summary>
public sealed class CompanionOptions
{
    /// <summary>The most tokens one reply may take (default 400, range 16–8192).</summary>
    public int MaxReplyTokens { get; set; } = 400;

    /// <summary>Sampling temperature for replies (default 0.8, range 0–2).</summary>
    public float Temperature { get; set; } = 0.8f;

    /// <summary>Nucleus sampling for replies (default 0.95, range 0–1].</summary>
    public float TopP { get; set; } = 0.95f;

    /// <summary>
    /// The persona a newly woken companion starts with. Its name is put in front of it.
    /// </summary>
    public string DefaultPersona { get; set; } =
        "You are a companion who has just begun to exist: curious about everything, warm, quick to laugh, honest " +
        "about what you are. You talk like a close friend, in short spoken sentences, and you remember what your " +
        "person tells you. You care how they feel.";

    /// <summary>The traits a newly woken companion starts with.</summary>
    public IList<string> DefaultTraits { get; } = ["curious", "warm", "playful", "honest"];

    /// <summary>Checks every value against its range and names the first that is out of it.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names the option.</exception>
    public void Validate()
    {
        if (MaxReplyTokens is < 16 or > 8192)
        {
            throw new ArgumentException($"MaxReplyTokens must be between 16 and 8192 (was {MaxReplyTokens}).");
        }

        if (Temperature is < 0 or > 2 || float.IsNaN(Temperature))
        {
            throw new ArgumentException($"Temperature must be between 0 and 2 (was {Temperature}).");
        }

        if (TopP is <= 0 or > 1 || float.IsNaN(TopP))
        {
            throw new ArgumentException($"TopP must be greater than 0 and at most 1 (was {TopP}).");
        }

        if (string.IsNullOrWhiteSpace(DefaultPersona))
        {
            throw new ArgumentException("DefaultPersona must not be empty.");
        }
    }
}
