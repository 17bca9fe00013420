namespace Kindred.Server.Contracts;

/// <summary>A remembered turn a memory search found, in the words of the route that shows it: how well it matched and why.</summary>
[GenerateSerializer]
[Alias("Kindred.RememberedTurn")]
public sealed record RememberedTurn
{
    /// <summary>The turn's id.</summary>
    [Id(0)] public long Id { get; init; }

    /// <summary>The conversation it was said in.</summary>
    [Id(1)] public string SessionId { get; init; } = "";

    /// <summary>"person" or "companion".</summary>
    [Id(2)] public string Speaker { get; init; } = "";

    /// <summary>What was said.</summary>
    [Id(3)] public string Text { get; init; } = "";

    /// <summary>When it was said.</summary>
    [Id(4)] public DateTimeOffset At { get; init; }

    /// <summary>"complete", or "interrupted" for a reply that was cut off.</summary>
    [Id(5)] public string Status { get; init; } = "";

    /// <summary>How well it matched (higher is better).</summary>
    [Id(6)] public double Score { get; init; }

    /// <summary>How it matched: by its words, its meaning, or both.</summary>
    [Id(7)] public string Why { get; init; } = "";
}
