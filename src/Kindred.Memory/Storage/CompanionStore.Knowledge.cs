using Kindred.Core;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Storage;

// What the companion knows: the shared rules (KnowledgeStore) over the provider's SQL.
public abstract partial class CompanionStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFact>> GetFactsAsync(string companionId, bool includeSuperseded, CancellationToken cancellationToken) =>
        _knowledge.GetFactsAsync(companionId, includeSuperseded, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<KnownPerson>> GetPeopleAsync(string companionId, CancellationToken cancellationToken) =>
        _knowledge.GetPeopleAsync(companionId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionSummary>> GetSummariesAsync(string companionId, CancellationToken cancellationToken) =>
        _knowledge.GetSummariesAsync(companionId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Reflection>> GetReflectionsAsync(string companionId, CancellationToken cancellationToken) =>
        _knowledge.GetReflectionsAsync(companionId, cancellationToken);

    /// <inheritdoc />
    public Task<long> GetExtractedThroughAsync(string companionId, CancellationToken cancellationToken) =>
        _knowledge.GetExtractedThroughAsync(companionId, cancellationToken);

    /// <inheritdoc />
    public Task ApplyExtractionAsync(string companionId, IReadOnlyList<StoredTurn> turns, Extraction extraction, CancellationToken cancellationToken) =>
        _knowledge.ApplyExtractionAsync(companionId, turns, extraction, cancellationToken);

    /// <inheritdoc />
    public Task<StoredFact> CorrectFactAsync(string companionId, long factId, string text, DateTimeOffset at, CancellationToken cancellationToken) =>
        _knowledge.CorrectFactAsync(companionId, factId, text, at, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<UnsummarizedSession>> GetUnsummarizedSessionsAsync(string companionId, CancellationToken cancellationToken) =>
        _knowledge.GetUnsummarizedSessionsAsync(companionId, cancellationToken);

    /// <inheritdoc />
    public Task SaveSummaryAsync(SessionSummary summary, CancellationToken cancellationToken) =>
        _knowledge.SaveSummaryAsync(summary, cancellationToken);

    /// <inheritdoc />
    public Task<Reflection> AddReflectionAsync(string companionId, string? sessionId, string text, DateTimeOffset at, CancellationToken cancellationToken) =>
        _knowledge.AddReflectionAsync(companionId, sessionId, text, at, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ForgetFactAsync(string companionId, long factId, CancellationToken cancellationToken) =>
        _knowledge.ForgetFactAsync(companionId, factId, cancellationToken);

    /// <inheritdoc />
    public Task<int?> ForgetPersonAsync(string companionId, long personId, CancellationToken cancellationToken) =>
        _knowledge.ForgetPersonAsync(companionId, personId, cancellationToken);

    /// <inheritdoc />
    public Task<KnowledgeSnapshot> ExportKnowledgeAsync(string companionId, CancellationToken cancellationToken) =>
        _knowledge.ExportKnowledgeAsync(companionId, cancellationToken);

    /// <inheritdoc />
    public Task ImportKnowledgeAsync(string companionId, KnowledgeSnapshot snapshot, CancellationToken cancellationToken) =>
        _knowledge.ImportKnowledgeAsync(companionId, snapshot, cancellationToken);
}
