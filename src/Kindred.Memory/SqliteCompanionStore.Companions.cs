using Kindred.Core;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

public sealed partial class SqliteCompanionStore
{
    private const string CompanionColumns = "id, name, woke_at, persona, traits";

    /// <inheritdoc />
    public Task<CompanionIdentity?> FindCompanionAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {CompanionColumns} FROM companions WHERE id = $id;";
            command.Parameters.AddWithValue("$id", companionId);
            return await ReadCompanionOrNullAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
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

        return WriteAsync(async connection =>
        {
            // Insert-if-absent and read back in one statement batch under the write lock: whoever woke the companion
            // first keeps the name, and every caller gets that stored identity.
            using var command = connection.CreateCommand();
            command.CommandText =
                $"INSERT INTO companions ({CompanionColumns}) VALUES ($id, $name, $wokeAt, $persona, $traits) " +
                "ON CONFLICT (id) DO NOTHING;" +
                $"SELECT {CompanionColumns} FROM companions WHERE id = $id;";
            command.Parameters.AddWithValue("$id", identity.CompanionId);
            command.Parameters.AddWithValue("$name", identity.Name);
            command.Parameters.AddWithValue("$wokeAt", StoredTime.Format(identity.WokeAt));
            command.Parameters.AddWithValue("$persona", identity.Persona);
            command.Parameters.AddWithValue("$traits", TraitsJson.Serialize(identity.Traits));
            return await ReadCompanionOrNullAsync(command, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Companion '{identity.CompanionId}' was not found right after being stored.");
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CompanionIdentity>> ListCompanionsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<CompanionIdentity>>(async connection =>
        {
            using var command = connection.CreateCommand();
            // rowid breaks ties between companions that woke in the same tick, in the order they were stored.
            command.CommandText = $"SELECT {CompanionColumns} FROM companions ORDER BY woke_at, rowid;";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var companions = new List<CompanionIdentity>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    companions.Add(ReadCompanion(reader));
                }

                return companions;
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task<Relationship> GetRelationshipAsync(string companionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        return ReadAsync(async connection =>
        {
            // One statement, so the count and the last time come from the same snapshot.
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT c.person_name, c.woke_at, " +
                "(SELECT COUNT(*) FROM turns t WHERE t.companion_id = c.id), " +
                "(SELECT MAX(t.at) FROM turns t WHERE t.companion_id = c.id) " +
                "FROM companions c WHERE c.id = $id;";
            command.Parameters.AddWithValue("$id", companionId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw UnknownCompanion(companionId);
                }

                return new Relationship(
                    companionId,
                    reader.IsDBNull(0) ? null : reader.GetString(0),
                    StoredTime.Parse(reader.GetString(1)),
                    checked((int)reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : StoredTime.Parse(reader.GetString(3)));
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetPersonNameAsync(string companionId, string personName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(personName);
        return WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE companions SET person_name = $personName WHERE id = $id;";
            command.Parameters.AddWithValue("$id", companionId);
            command.Parameters.AddWithValue("$personName", personName);
            var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return changed == 0 ? throw UnknownCompanion(companionId) : changed;
        }, cancellationToken);
    }

    private static async Task<CompanionIdentity?> ReadCompanionOrNullAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadCompanion(reader) : null;
        }
    }

    private static CompanionIdentity ReadCompanion(SqliteDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            StoredTime.Parse(reader.GetString(2)),
            reader.GetString(3),
            TraitsJson.Deserialize(reader.GetString(4)));

    private static KeyNotFoundException UnknownCompanion(string companionId) =>
        new($"No companion with id '{companionId}' exists in this store.");
}
