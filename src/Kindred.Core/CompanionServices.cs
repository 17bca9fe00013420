using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Kindred.Core;

/// <summary>What a companion needs from the world: its store, a language model, its tokenizer, recall and a clock.</summary>
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
}
