using Kindred.Core.Inner;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory;

/// <summary>
/// Everything a companion keeps, in one store: its turns and long-term memory, what it knows (facts, people,
/// summaries) and its inner life. Both stores implement all of it and pass the same contract tests, so a companion on
/// PostgreSQL has everything one on SQLite has.
/// </summary>
public interface IFullCompanionStore : IMemoryStore, IKnowledgeStore, IInnerLifeStore, IReflectionStore;
