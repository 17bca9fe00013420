using System.Text;
using Kindred.Memory.Knowledge;

namespace Kindred.Memory;

// Forgetting knowledge follows the same rules as forgetting turns (see SqliteCompanionStore.Forget): secure_delete
// zeroes the rows, the full-text index is merged when turns go, and the log is checkpointed and truncated.
public sealed partial class SqliteCompanionStore
{
    /// <inheritdoc />
    public async Task<bool> ForgetFactAsync(string companionId, long factId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        var fact = (await GetFactsAsync(companionId, includeSuperseded: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Id == factId);
        if (fact is null)
        {
            return false;
        }

        // A summary or reflection that repeats what the fact says would keep it: they go with it. The turns it was
        // learned from stay (forgetting those is forgetting a turn). The fact's own delete comes last: its count is
        // the result.
        var sql = new StringBuilder();
        var value = fact.Value.Trim();
        if (value.Length >= 3)
        {
            sql.Append("DELETE FROM summaries WHERE companion_id = $companionId AND text LIKE $like ESCAPE '\\';")
                .Append("DELETE FROM reflections WHERE companion_id = $companionId AND text LIKE $like ESCAPE '\\';");
        }

        sql.Append("DELETE FROM facts WHERE id = $factId AND companion_id = $companionId;");

        return await ForgetAsync(
            sql.ToString(),
            command =>
            {
                command.Parameters.AddWithValue("$companionId", companionId);
                command.Parameters.AddWithValue("$factId", factId);
                command.Parameters.AddWithValue("$like", "%" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int?> ForgetPersonAsync(string companionId, long personId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        var person = (await GetPeopleAsync(companionId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Id == personId);
        if (person is null)
        {
            return null;
        }

        // The turns that mention them: those extraction linked, and any the index finds by one of their names (said
        // before extraction read it, or missed by it).
        var turnIds = new HashSet<long>(person.TurnIds);
        foreach (var name in person.AllNames)
        {
            foreach (var match in await SearchTurnsAsync(companionId, name, int.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                var turn = (await GetTurnsAsync(companionId, [match.TurnId], cancellationToken).ConfigureAwait(false)).SingleOrDefault();
                if (turn is not null && Names.Mentions(turn.Text, name))
                {
                    turnIds.Add(turn.Id);
                }
            }
        }

        var sql = new StringBuilder();
        var names = person.AllNames.ToList();
        var mentionsAName = string.Join(" OR ", names.Select((_, i) => $"text LIKE $like{i} ESCAPE '\\'"));
        sql.Append("DELETE FROM facts WHERE companion_id = $companionId AND (person_id = $personId OR ")
            .Append(string.Join(" OR ", names.Select((_, i) => $"subject = $name{i} COLLATE NOCASE"))).Append(" OR ").Append(mentionsAName).Append(");");
        sql.Append("DELETE FROM summaries WHERE companion_id = $companionId AND (").Append(mentionsAName).Append(");");
        sql.Append("DELETE FROM reflections WHERE companion_id = $companionId AND (").Append(mentionsAName).Append(");");
        if (turnIds.Count > 0)
        {
            // Ids are longs formatted here, never a person's text.
            sql.Append("DELETE FROM turns WHERE companion_id = $companionId AND id IN (")
                .AppendJoin(',', turnIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Append(");");
        }

        sql.Append("DELETE FROM people WHERE id = $personId AND companion_id = $companionId;");
        var forgotten = await ForgetAsync(
            sql.ToString(),
            command =>
            {
                command.Parameters.AddWithValue("$companionId", companionId);
                command.Parameters.AddWithValue("$personId", personId);
                for (var i = 0; i < names.Count; i++)
                {
                    command.Parameters.AddWithValue($"$name{i}", names[i]);
                    command.Parameters.AddWithValue($"$like{i}", "%" + names[i].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
                }
            },
            cancellationToken).ConfigureAwait(false);
        return forgotten ? turnIds.Count : null;
    }
}
