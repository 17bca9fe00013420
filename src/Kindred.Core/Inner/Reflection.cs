namespace Kindred.Core.Inner;

/// <summary>Why the companion reflected.</summary>
public enum ReflectionTrigger
{
    /// <summary>Enough had happened: the importance of what the person shared added up past the threshold.</summary>
    Importance = 0,

    /// <summary>A day had passed since the last reflection.</summary>
    Daily = 1,
}

/// <summary>A reflection to store.</summary>
/// <param name="CoversUntilTurnId">The last turn it took into account; the next reflection starts after it.</param>
/// <param name="Summary">The day, or the stretch, in a few sentences.</param>
/// <param name="Insights">What she has come to understand about the person.</param>
/// <param name="AboutHerself">What she has come to understand about herself.</param>
/// <param name="PersonaVersion">The persona version it produced, if it changed her.</param>
public sealed record NewReflection(
    string CompanionId,
    DateTimeOffset At,
    ReflectionTrigger Trigger,
    long CoversUntilTurnId,
    string Summary,
    IReadOnlyList<string> Insights,
    string AboutHerself,
    AppraisalSource Source,
    int? PersonaVersion);

/// <summary>A stored reflection.</summary>
public sealed record StoredReflection(long Id, NewReflection Reflection);

/// <summary>What reflecting produced: the reflection stored, and what it set in motion.</summary>
public sealed record ReflectionOutcome(StoredReflection Reflection, PersonaVersion? PersonaChange, OutreachItem? CheckIn);
