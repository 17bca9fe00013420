namespace Kindred.Memory;

public sealed partial class SqliteCompanionStore
{
    // Tokens of context a snippet shows around the matched words.
    private const int SnippetTokens = 16;

    /// <summary>
    /// Finds the companion's turns whose words best match <paramref name="query"/>, ranked by BM25, best first.
    /// </summary>
    /// <param name="companionId">Only this companion's turns are searched; an unknown companion has none.</param>
    /// <param name="query">
    /// What a person typed, not FTS5 syntax: quotes, operators and punctuation are ignored, and a turn matching any
    /// of the words is a candidate (more of them, and rarer ones, rank higher). Words are matched ignoring case and
    /// accents, and by stem ("walked" finds "walking"). Text with no words finds nothing.
    /// </param>
    /// <param name="limit">At most this many matches; zero or more.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    public Task<IReadOnlyList<TextMatch>> SearchTurnsAsync(string companionId, string query, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var match = FtsQuery.FromPersonText(query);
        if (match is null || limit == 0)
        {
            return Task.FromResult<IReadOnlyList<TextMatch>>([]);
        }

        return ReadAsync<IReadOnlyList<TextMatch>>(async connection =>
        {
            // bm25() is negative and lower-is-better; negated it reads as a score. The companion filter sits on the
            // join, so another companion's turns can never be returned, only (for now) weigh on how rare a word is.
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT t.id, -bm25(turns_fts), " +
                $"snippet(turns_fts, 0, '', '', '…', {SnippetTokens}) " +
                "FROM turns_fts JOIN turns t ON t.id = turns_fts.rowid " +
                "WHERE turns_fts MATCH $match AND t.companion_id = $companionId " +
                "ORDER BY bm25(turns_fts), t.id DESC LIMIT $limit;";
            command.Parameters.AddWithValue("$match", match);
            command.Parameters.AddWithValue("$companionId", companionId);
            command.Parameters.AddWithValue("$limit", limit);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var matches = new List<TextMatch>(Math.Min(limit, 64));
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    matches.Add(new TextMatch(reader.GetInt64(0), reader.GetDouble(1), reader.GetString(2)));
                }

                return matches;
            }
        }, cancellationToken);
    }
}
