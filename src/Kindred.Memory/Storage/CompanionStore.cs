using Kindred.Core;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory.Storage;

/// <summary>
/// Everything a companion keeps (<see cref="IFullCompanionStore"/>), whichever database holds it: the arguments are
/// checked here, once, and the rules and statements are written once too (<see cref="TurnStore"/>,
/// <see cref="KnowledgeStore"/>, <see cref="InnerLifeStore"/>). A provider (<see cref="SqliteCompanionStore"/>,
/// <see cref="Postgres.PostgresCompanionStore"/>) opens its database and hands over only what it does its own way:
/// appends and vector saves (<see cref="ITurnWrites"/>), transactions (<see cref="IKnowledgeRows"/>), where single
/// statements run (<see cref="ISqlRunner"/>) and its SQL's differences (<see cref="StoreDialect"/>).
/// </summary>
public abstract partial class CompanionStore : IFullCompanionStore
{
    private readonly TurnStore _turns;
    private readonly KnowledgeStore _knowledge;
    private readonly InnerLifeStore _innerLife;

    /// <param name="turnWrites">How the provider appends turns and saves their vectors.</param>
    /// <param name="knowledge">How the provider runs the knowledge rules' transactions.</param>
    /// <param name="statements">Where the provider runs single statements.</param>
    /// <param name="dialect">Where the provider's SQL differs.</param>
    private protected CompanionStore(ITurnWrites turnWrites, IKnowledgeRows knowledge, ISqlRunner statements, StoreDialect dialect)
    {
        _turns = new TurnStore(statements, dialect, turnWrites);
        _knowledge = new KnowledgeStore(knowledge);
        _innerLife = new InnerLifeStore(statements, dialect);
    }

    /// <summary>Closes the database; in-flight writes finish first.</summary>
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    public Task<CompanionIdentity?> FindCompanionAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _turns.FindCompanionAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CompanionIdentity> CreateCompanionAsync(CompanionIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentException.ThrowIfNullOrWhiteSpace(identity.CompanionId, nameof(identity));
        ArgumentException.ThrowIfNullOrWhiteSpace(identity.Name, nameof(identity));
        ArgumentNullException.ThrowIfNull(identity.Persona, nameof(identity));
        ArgumentNullException.ThrowIfNull(identity.Traits, nameof(identity));
        if (identity.Traits.Any(trait => trait is null))
        {
            throw new ArgumentException("Traits must not contain null.", nameof(identity));
        }

        return _turns.CreateCompanionAsync(identity, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CompanionIdentity>> ListCompanionsAsync(CancellationToken cancellationToken) =>
        _turns.ListCompanionsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<Relationship> GetRelationshipAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _turns.GetRelationshipAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetPersonNameAsync(string companionId, string personName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(personName);
        return _turns.SetPersonNameAsync(companionId, personName, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Text may be empty only for an <see cref="TurnStatus.Interrupted"/> turn (a reply cut off before its first
    /// word); a complete turn must say something.
    /// </remarks>
    public Task<StoredTurn> AppendTurnAsync(NewTurn turn, CancellationToken cancellationToken)
    {
        CheckTurn(turn, nameof(turn));
        return _turns.AppendTurnAsync(turn, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> AppendTurnsAsync(IReadOnlyList<NewTurn> turns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        foreach (var turn in turns)
        {
            CheckTurn(turn, nameof(turns));
        }

        return turns.Count == 0 ? Task.FromResult<IReadOnlyList<StoredTurn>>([]) : _turns.AppendTurnsAsync(turns, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An unknown companion has no turns: the result is empty. <paramref name="count"/> must not be negative.</remarks>
    public Task<IReadOnlyList<StoredTurn>> GetRecentTurnsAsync(string companionId, int count, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count == 0 ? Task.FromResult<IReadOnlyList<StoredTurn>>([]) : _turns.GetRecentTurnsAsync(companionId, count, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An unknown companion has no turns: the result is empty. <paramref name="take"/> must not be negative.</remarks>
    public Task<IReadOnlyList<StoredTurn>> GetHistoryAsync(string companionId, long afterId, int take, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return take == 0 ? Task.FromResult<IReadOnlyList<StoredTurn>>([]) : _turns.GetHistoryAsync(companionId, afterId, take, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetTurnsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(turnIds);
        return turnIds.Count == 0 ? Task.FromResult<IReadOnlyList<StoredTurn>>([]) : _turns.GetTurnsAsync(companionId, turnIds, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTurn>> GetUnindexedTurnsAsync(string companionId, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return limit == 0 ? Task.FromResult<IReadOnlyList<StoredTurn>>([]) : _turns.GetUnindexedTurnsAsync(companionId, limit, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveTurnVectorsAsync(IReadOnlyList<(long TurnId, byte[] Vector)> vectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        foreach (var (_, vector) in vectors)
        {
            ArgumentNullException.ThrowIfNull(vector, nameof(vectors));
        }

        return vectors.Count == 0 ? Task.CompletedTask : _turns.SaveTurnVectorsAsync(vectors, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _turns.LoadTurnVectorsAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(long TurnId, byte[] Vector)>> LoadTurnVectorsAsync(string companionId, IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(turnIds);
        return _turns.LoadTurnVectorsAsync(companionId, turnIds, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ForgetTurnAsync(string companionId, long turnId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _knowledge.ForgetTurnAsync(companionId, turnId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ForgetCompanionAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _knowledge.ForgetCompanionAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<(string CompanionName, string? PersonName)> GetSpeakerNamesAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _turns.GetSpeakerNamesAsync(companionId, cancellationToken);
    }

    private static void CheckTurn(NewTurn turn, string paramName)
    {
        ArgumentNullException.ThrowIfNull(turn, paramName);
        ArgumentException.ThrowIfNullOrWhiteSpace(turn.CompanionId, paramName);
        ArgumentException.ThrowIfNullOrWhiteSpace(turn.SessionId, paramName);
        ArgumentNullException.ThrowIfNull(turn.Text, paramName);
        if (!Enum.IsDefined(turn.Speaker))
        {
            throw new ArgumentOutOfRangeException(paramName, turn.Speaker, "Unknown speaker.");
        }

        if (!Enum.IsDefined(turn.Status))
        {
            throw new ArgumentOutOfRangeException(paramName, turn.Status, "Unknown turn status.");
        }

        if (turn.Status == TurnStatus.Complete && turn.Text.Length == 0)
        {
            throw new ArgumentException("A complete turn must have text.", paramName);
        }
    }
}
