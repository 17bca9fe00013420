using Kindred.Core.Inner;
using Kindred.Memory.Storage;

namespace Kindred.Memory;

// The companion's reflections on its days (inner-life schema step).
internal sealed partial class SqliteInnerLife
{
    /// <inheritdoc />
    public Task<StoredReflection> AddReflectionAsync(NewReflection reflection, CancellationToken cancellationToken)
    {
        return database.WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO inner_reflections (companion_id, at, trigger_kind, covers_until_turn_id, summary, insights, about_herself, source, persona_version) " +
                "SELECT $companionId, $at, $trigger, $until, $summary, $insights, $about, $source, $version " +
                "WHERE EXISTS (SELECT 1 FROM companions WHERE id = $companionId) RETURNING id;";
            command.Parameters.AddWithValue("$companionId", reflection.CompanionId);
            command.Parameters.AddWithValue("$at", StoredTime.Format(reflection.At));
            command.Parameters.AddWithValue("$trigger", (int)reflection.Trigger);
            command.Parameters.AddWithValue("$until", reflection.CoversUntilTurnId);
            command.Parameters.AddWithValue("$summary", reflection.Summary);
            command.Parameters.AddWithValue("$insights", InnerJson.SerializeWords(reflection.Insights));
            command.Parameters.AddWithValue("$about", reflection.AboutHerself);
            command.Parameters.AddWithValue("$source", (int)reflection.Source);
            command.Parameters.AddWithValue("$version", (object?)reflection.PersonaVersion ?? DBNull.Value);
            var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?
                ?? throw StoreErrors.UnknownCompanion(reflection.CompanionId);
            return new StoredReflection(id, reflection with { At = reflection.At.ToUniversalTime() });
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredReflection>> GetInnerReflectionsAsync(string companionId, CancellationToken cancellationToken)
    {
        return QueryAsync(
            "SELECT id, at, trigger_kind, covers_until_turn_id, summary, insights, about_herself, source, persona_version " +
            "FROM inner_reflections WHERE companion_id = $companionId ORDER BY id;",
            command => command.Parameters.AddWithValue("$companionId", companionId),
            reader => new StoredReflection(
                reader.GetInt64(0),
                new NewReflection(
                    companionId,
                    StoredTime.Parse(reader.GetString(1)),
                    (ReflectionTrigger)reader.GetInt32(2),
                    reader.GetInt64(3),
                    reader.GetString(4),
                    InnerJson.DeserializeWords(reader.GetString(5)),
                    reader.GetString(6),
                    (AppraisalSource)reader.GetInt32(7),
                    reader.IsDBNull(8) ? null : reader.GetInt32(8))),
            cancellationToken);
    }
}
