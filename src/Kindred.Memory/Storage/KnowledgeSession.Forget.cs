using Kindred.Core.Inner;

namespace Kindred.Memory.Storage;

// The deletes a forget is made of (KnowledgeStore decides which); the provider's ForgetAsync clears their traces after.
internal sealed partial class KnowledgeSession
{
    /// <inheritdoc />
    public async Task<bool> DeleteFactAsync(long factId, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM facts WHERE id = @f AND companion_id = @c;", cancellationToken, ("f", factId)).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public Task DeleteFactsAboutAsync(long personId, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"DELETE FROM facts WHERE companion_id = @c AND (person_id = @p OR {dialect.ContainsAnyLike("text")}" +
            string.Concat(names.Select((_, i) => $" OR {dialect.SameText("subject", $"@name{i}")}")) + ");",
            cancellationToken,
            [("p", personId), ("likes", dialect.Likes(names)), .. names.Select((name, i) => ($"name{i}", (object?)name))]);

    /// <inheritdoc />
    public async Task DeleteSummariesAndReflectionsContainingAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        await ExecuteAsync($"DELETE FROM summaries WHERE companion_id = @c AND {dialect.ContainsAnyLike("text")};", cancellationToken, ("likes", dialect.Likes(texts))).ConfigureAwait(false);
        await ExecuteAsync($"DELETE FROM reflections WHERE companion_id = @c AND {dialect.ContainsAnyLike("text")};", cancellationToken, ("likes", dialect.Likes(texts))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(long Id, string Text)>> ReadTurnsThatMayNameAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        QueryAsync(dialect.TurnsThatMayName, reader => (reader.GetInt64(0), reader.GetString(1)), cancellationToken, ("likes", dialect.Likes(names)));

    /// <inheritdoc />
    public Task<int> DeleteTurnsAsync(IReadOnlyCollection<long> turnIds, CancellationToken cancellationToken) =>
        ExecuteAsync($"DELETE FROM turns WHERE companion_id = @c AND id {dialect.InIds};", cancellationToken, ("ids", dialect.Ids(turnIds)));

    /// <inheritdoc />
    public Task DeletePeopleKnownOnlyFromAsync(long turnId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "DELETE FROM people WHERE companion_id = @c AND id IN (SELECT person_id FROM person_episodes WHERE turn_id = @t) " +
            "AND NOT EXISTS (SELECT 1 FROM person_episodes e WHERE e.person_id = people.id AND e.turn_id <> @t) " +
            "AND EXISTS (SELECT 1 FROM turns WHERE id = @t AND companion_id = @c);",
            cancellationToken,
            ("t", turnId));

    /// <inheritdoc />
    /// <remarks>
    /// Everything else the companion has goes by cascade. On PostgreSQL deleting the row first locks it, so an append
    /// racing this either lands before (and goes with it) or finds no companion.
    /// </remarks>
    public async Task<bool> DeleteCompanionAsync(CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM companions WHERE id = @c;", cancellationToken).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public async Task<bool> DeletePersonAsync(long personId, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM people WHERE id = @p AND companion_id = @c;", cancellationToken, ("p", personId)).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public async Task<IReadOnlyList<InnerLifeText>> ReadInnerLifeTextsAsync(CancellationToken cancellationToken) =>
    [
        .. await QueryAsync("SELECT id, text FROM inner_outreach WHERE companion_id = @c;", r => new InnerLifeText(InnerLifeTable.Outreach, r.GetInt64(0), [r.GetString(1)]), cancellationToken).ConfigureAwait(false),
        .. await QueryAsync("SELECT id, about FROM inner_threads WHERE companion_id = @c;", r => new InnerLifeText(InnerLifeTable.Threads, r.GetInt64(0), [r.GetString(1)]), cancellationToken).ConfigureAwait(false),
        .. await QueryAsync(
            "SELECT id, summary, insights, about_herself FROM inner_reflections WHERE companion_id = @c;",
            r => new InnerLifeText(InnerLifeTable.Reflections, r.GetInt64(0), [r.GetString(1), .. dialect.ReadWords(r, 2), r.GetString(3)]),
            cancellationToken).ConfigureAwait(false),
    ];

    /// <inheritdoc />
    public Task DeleteInnerLifeRowsAsync(InnerLifeTable table, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var name = table switch
        {
            InnerLifeTable.Outreach => "inner_outreach",
            InnerLifeTable.Threads => "inner_threads",
            InnerLifeTable.Reflections => "inner_reflections",
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Unknown inner-life table."),
        };
        return ExecuteAsync($"DELETE FROM {name} WHERE companion_id = @c AND id {dialect.InIds};", cancellationToken, ("ids", dialect.Ids(ids)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(int Version, Persona Persona, string Reason)>> ReadPersonaVersionsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT version, persona, reason FROM inner_persona_versions WHERE companion_id = @c;",
            r => (r.GetInt32(0), InnerJson.DeserializePersona(r.GetString(1)), r.GetString(2)),
            cancellationToken);

    /// <inheritdoc />
    public Task UpdatePersonaVersionAsync(int version, Persona persona, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE inner_persona_versions SET persona = @persona, reason = @reason WHERE companion_id = @c AND version = @v;",
            cancellationToken,
            ("v", version),
            ("persona", InnerJson.SerializePersona(persona)),
            ("reason", reason));
}
