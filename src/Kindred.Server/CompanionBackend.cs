using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Memory;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Recall;
using Kindred.Models.Local;
using Microsoft.Extensions.AI;

namespace Kindred.Server;

/// <summary>
/// What every companion on this silo shares: the store (turns, knowledge and inner life, on SQLite or PostgreSQL), long-term memory, and one language model (with its
/// batching scheduler, so each companion gets a fair share of it). The caller owns these and disposes them after
/// the server stops.
/// </summary>
/// <param name="Scheduler">The embedded model's scheduler, whose queue depth is reported; null for a remote model.</param>
/// <param name="ModelId">The model's name, as reported to API clients.</param>
/// <param name="Clock">The companions' clock: turns, moods, reminders and outreach (default the system's; tests bring a fake one).</param>
/// <param name="Inner">How the companions' inner life runs (default <see cref="InnerLifeOptions"/>'s defaults).</param>
/// <param name="Extractor">How facts, people and session summaries are learned after a turn, in the background (default
/// the built-in rules; the CLI passes a <see cref="ModelExtractor"/> when a remote chat model is configured).</param>
/// <param name="StoreSettings">Where <paramref name="Store"/> is, which is also where accounts are kept: in its PostgreSQL
/// database when the provider is "postgres" (no shared data folder for a cluster), otherwise in accounts.db in
/// <paramref name="DataDirectory"/> (also when null).</param>
public sealed record CompanionBackend(
    IFullCompanionStore Store,
    MemoryIndex Memory,
    IChatClient Chat,
    ITokenCounter Tokens,
    string ModelId,
    string DataDirectory,
    CompanionOptions Companion,
    BatchScheduler? Scheduler = null,
    TimeProvider? Clock = null,
    InnerLifeOptions? Inner = null,
    IKnowledgeExtractor? Extractor = null,
    StoreOptions? StoreSettings = null);
