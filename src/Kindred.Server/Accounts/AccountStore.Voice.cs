namespace Kindred.Server.Accounts;

public sealed partial class AccountStore
{
    /// <summary>The voice the companion speaks with; null when none was chosen (or there is no such companion).</summary>
    public async Task<string?> GetVoiceAsync(string companionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT voice FROM companion_owners WHERE companion_id = $c;";
        command.Parameters.AddWithValue("$c", companionId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>Chooses the companion's voice, durably (committed before it returns).</summary>
    public async Task SetVoiceAsync(string companionId, string voice, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE companion_owners SET voice = $v WHERE companion_id = $c;";
        command.Parameters.AddWithValue("$c", companionId);
        command.Parameters.AddWithValue("$v", voice);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
