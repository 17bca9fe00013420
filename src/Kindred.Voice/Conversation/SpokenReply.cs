namespace Kindred.Voice.Conversation;

/// <summary>How a spoken reply ended.</summary>
public enum SpokenReplyOutcome
{
    /// <summary>Written and spoken in full.</summary>
    Completed,

    /// <summary>The person spoke over it: playback stopped and generation was cancelled.</summary>
    Interrupted,
}

/// <summary>What a spoken reply did.</summary>
/// <param name="Sentences">The sentences whose audio went to the output, in order.</param>
/// <param name="FirstAudioAfter">From the start of the turn to the first audio handed to the output; null when none was.</param>
/// <param name="FirstTokenAfter">From the start of the turn to the model's first piece of text; null when it wrote none.</param>
public sealed record SpokenReply(SpokenReplyOutcome Outcome, IReadOnlyList<string> Sentences, TimeSpan? FirstTokenAfter, TimeSpan? FirstAudioAfter);
