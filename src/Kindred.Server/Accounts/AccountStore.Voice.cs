namespace Kindred.Server.Accounts;

public sealed partial class AccountStore
{
    /// <summary>The voice the companion speaks with; null when none was chosen (or there is no such companion).</summary>
    public Task<string?> GetVoiceAsync(string companionId, CancellationToken cancellationToken) =>
        IsStorable(companionId) ? _database.ReadVoiceAsync(companionId, cancellationToken) : Task.FromResult<string?>(null);

    /// <summary>Chooses the companion's voice, durably (committed before it returns); nothing happens for a companion nobody owns.</summary>
    public Task SetVoiceAsync(string companionId, string voice, CancellationToken cancellationToken) =>
        IsStorable(companionId) && IsStorable(voice) ? _database.WriteVoiceAsync(companionId, voice, cancellationToken) : Task.CompletedTask;
}
