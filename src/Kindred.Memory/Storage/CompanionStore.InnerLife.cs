using Kindred.Core.Inner;

namespace Kindred.Memory.Storage;

// The companion's inner life: checked here, stored by the provider's inner-life piece.
public abstract partial class CompanionStore
{
    /// <inheritdoc />
    public Task SaveAppraisalAsync(string companionId, long turnId, DateTimeOffset at, Appraisal appraisal, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(appraisal);
        return _innerLife.SaveAppraisalAsync(companionId, turnId, at, appraisal, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredAppraisal>> GetAppraisalsAsync(string companionId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.GetAppraisalsAsync(companionId, since, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PersonaVersion>> GetPersonaHistoryAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.GetPersonaHistoryAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> AppendPersonaVersionAsync(string companionId, PersonaVersion version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(version);
        return _innerLife.AppendPersonaVersionAsync(companionId, version, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> AddMilestoneAsync(string companionId, Milestone milestone, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(milestone);
        return _innerLife.AddMilestoneAsync(companionId, milestone, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Milestone>> GetMilestonesAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.GetMilestonesAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<OpenThread> AddThreadAsync(string companionId, string about, DateTimeOffset raisedAt, DateTimeOffset followUpAt, long? sourceTurnId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(about);
        return _innerLife.AddThreadAsync(companionId, about, raisedAt, followUpAt, sourceTurnId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OpenThread>> GetOpenThreadsAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.GetOpenThreadsAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CloseThreadAsync(string companionId, long threadId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.CloseThreadAsync(companionId, threadId, at, cancellationToken);
    }

    /// <inheritdoc />
    public Task<OutreachItem> AddOutreachAsync(NewOutreach outreach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outreach);
        ArgumentException.ThrowIfNullOrWhiteSpace(outreach.CompanionId, nameof(outreach));
        ArgumentException.ThrowIfNullOrWhiteSpace(outreach.Text, nameof(outreach));
        if (!Enum.IsDefined(outreach.Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(outreach), outreach.Kind, "Unknown outreach kind.");
        }

        return _innerLife.AddOutreachAsync(outreach, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutreachItem>> GetPendingOutreachAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.GetPendingOutreachAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutreachItem>> GetOutreachAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.GetOutreachAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> MarkOutreachDeliveredAsync(string companionId, long outreachId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.MarkOutreachDeliveredAsync(companionId, outreachId, at, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CancelOutreachAsync(string companionId, long outreachId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.CancelOutreachAsync(companionId, outreachId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> CountUnpromptedDeliveredSinceAsync(string companionId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.CountUnpromptedDeliveredSinceAsync(companionId, since, cancellationToken);
    }

    /// <inheritdoc />
    public Task<OutreachPolicy?> GetOutreachPolicyAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.GetOutreachPolicyAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetOutreachPolicyAsync(string companionId, OutreachPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        return _innerLife.SetOutreachPolicyAsync(companionId, policy, cancellationToken);
    }

    /// <inheritdoc />
    public Task<SwitchState> GetSwitchAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.GetSwitchAsync(companionId, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetSwitchAsync(string companionId, SwitchState state, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(state);
        return _innerLife.SetSwitchAsync(companionId, state, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredReflection> AddReflectionAsync(NewReflection reflection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reflection);
        ArgumentException.ThrowIfNullOrWhiteSpace(reflection.CompanionId, nameof(reflection));
        ArgumentNullException.ThrowIfNull(reflection.Summary, nameof(reflection));
        ArgumentNullException.ThrowIfNull(reflection.Insights, nameof(reflection));
        ArgumentNullException.ThrowIfNull(reflection.AboutHerself, nameof(reflection));
        return _innerLife.AddReflectionAsync(reflection, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredReflection>> GetInnerReflectionsAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return _innerLife.GetInnerReflectionsAsync(companionId, cancellationToken);
    }
}
