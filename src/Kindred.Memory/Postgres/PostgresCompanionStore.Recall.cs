namespace Kindred.Memory.Postgres;

public sealed partial class PostgresCompanionStore
{
    /// <inheritdoc />
    public async Task<(string CompanionName, string? PersonName)> GetSpeakerNamesAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        await using var command = Command("SELECT name, person_name FROM companions WHERE id = @id;");
        command.Parameters.AddWithValue("id", companionId);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1))
                : throw UnknownCompanion(companionId);
        }
    }
}
