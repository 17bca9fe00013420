namespace Kindred.Core;

/// <summary>Who a companion is. Written once at first wake; the name it chose is kept forever.</summary>
/// <param name="CompanionId">Stable id, unique within a store.</param>
/// <param name="Name">The name the companion chose for itself on first wake.</param>
/// <param name="WokeAt">When it first woke.</param>
/// <param name="Persona">A description of its character, used as the heart of every prompt.</param>
/// <param name="Traits">Short trait words (e.g. "curious", "warm").</param>
public sealed record CompanionIdentity(
    string CompanionId,
    string Name,
    DateTimeOffset WokeAt,
    string Persona,
    IReadOnlyList<string> Traits);
