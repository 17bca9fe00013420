using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Kindred.Core;

/// <summary>What a companion needs from the world: its store, a language model, its tokenizer, memory, a clock, and what runs after a turn.</summary>
public sealed record CompanionServices(
    ICompanionStore Store,
    IChatClient Chat,
    ITokenCounter Tokens,
    IRecall Recall,
    TimeProvider Time,
    CompanionOptions Options,
    ILogger Logger)
{
    /// <summary>
    /// The companion's inner life (appraisal, evolving persona, relationship, reminders, the on/off switch); null runs
    /// the plain turn pipeline.
    /// </summary>
    public Inner.InnerLife? Inner { get; init; }

    /// <summary>
    /// Opens the memory of one companion, held by its life (which disposes it, if disposable) and used for its turns
    /// instead of <see cref="Recall"/>; null: the life recalls through <see cref="Recall"/>.
    /// </summary>
    public Func<string, IRecall>? OpenRecall { get; init; }

    /// <summary>Learning facts, people and summaries after each turn; null learns nothing.</summary>
    public Life.ILearning? Learning { get; init; }

    /// <summary>Reflection after turns, when one is due; null never reflects.</summary>
    public Inner.Reflector? Reflector { get; init; }

    /// <summary>Where the lives on this host report what they set in motion (default: nobody listens).</summary>
    public Life.LifeEvents Events { get; init; } = new();
}
