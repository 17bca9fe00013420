using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Memory;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Recall;
using Microsoft.Extensions.AI;

namespace Kindred.Hosting;

/// <summary>What a host has opened for its companions' lives: the store, long-term memory and one language model.</summary>
/// <param name="Extractor">How facts, people and summaries are learned (the built-in rules, or a model).</param>
/// <param name="Time">The companions' clock (the system's; tests bring a fake one).</param>
public sealed record LifeParts(
    IFullCompanionStore Store,
    MemoryIndex Memory,
    IChatClient Chat,
    ITokenCounter Tokens,
    CompanionOptions Companion,
    InnerLifeOptions Inner,
    IKnowledgeExtractor Extractor,
    TimeProvider Time);
