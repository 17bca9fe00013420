namespace Kindred.Core.Life;

/// <summary>
/// Learning from what was said, after a turn: facts, people and summaries of finished sessions, read from the stored
/// turns past the companion's mark (memory keeps the mark, so a pass that is stopped loses nothing).
/// </summary>
public interface ILearning
{
    /// <summary>Reads every stored turn not learned from yet; <paramref name="openSessionId"/> is not summarised.</summary>
    /// <returns>How many turns were read.</returns>
    Task<int> LearnAsync(string companionId, string? openSessionId, CancellationToken cancellationToken);
}

/// <summary>What one learning pass for a companion came to.</summary>
public enum LearningOutcome
{
    /// <summary>Every stored turn was read (possibly none were new).</summary>
    Learned,

    /// <summary>The companion is switched off: nothing was read.</summary>
    Off,

    /// <summary>The store or the extractor failed; the turns stay past the mark and the next pass reads them.</summary>
    Failed,
}

/// <summary>One finished learning pass: ids and counts only.</summary>
public sealed record LearningPass(string CompanionId, LearningOutcome Outcome, int TurnsRead);

/// <summary>
/// What the lives on one host set in motion, for the host to act on: a learning pass ended, a message was planned that
/// the person should get when due. Ids only, never words.
/// </summary>
public sealed class LifeEvents
{
    /// <summary>Raised when a learning pass ends, however it ended; not when it was stopped (for a reply, or leaving).</summary>
    public event EventHandler<LearningPass>? LearningPassEnded;

    /// <summary>Raised with the companion's id when something was scheduled for its person (a check-in, a reminder).</summary>
    public event Action<string>? OutreachPlanned;

    internal void PassEnded(LearningPass pass) => LearningPassEnded?.Invoke(this, pass);

    internal void Planned(string companionId) => OutreachPlanned?.Invoke(companionId);
}
