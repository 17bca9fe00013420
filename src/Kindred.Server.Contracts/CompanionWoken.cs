namespace Kindred.Server.Contracts;

/// <summary>A companion that is awake.</summary>
/// <param name="CompanionId">Its id.</param>
/// <param name="Name">The name it chose for itself.</param>
/// <param name="WokeAt">When it first woke.</param>
/// <param name="Greeting">On its very first wake, how it introduced itself; otherwise null.</param>
[GenerateSerializer]
[Alias("Kindred.CompanionWoken")]
public sealed record CompanionWoken(
    [property: Id(0)] string CompanionId,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset WokeAt,
    [property: Id(3)] string? Greeting);
