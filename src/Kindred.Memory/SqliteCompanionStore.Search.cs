using Microsoft.Data.Sqlite;

namespace Kindred.Memory;

public sealed partial class SqliteCompanionStore
{
    // Tokens of context a snippet shows around the matched words.
    private const int SnippetTokens = 16;

    // BM25 scores every turn that holds any searched word, and in a long history a common word is in thousands. The
    // rarest words, which carry most of BM25's weight, are searched first, and more common ones only while the turns
    // to score stay within this budget, so a search costs about the same at 100k turns as at 10k.
    private const int PostingBudget = 3_000;

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
        var terms = FtsQuery.TermsOf(query);
        if (terms.Count == 0 || limit == 0)
        {
            return Task.FromResult<IReadOnlyList<TextMatch>>([]);
        }

        return ReadAsync<IReadOnlyList<TextMatch>>(async connection =>
        {
            var match = FtsQuery.Build(await WithinBudgetAsync(connection, terms, cancellationToken).ConfigureAwait(false));

            // bm25() is negative and lower-is-better; negated it reads as a score. The companion filter sits on the
            // join, so another companion's turns can never be returned, only (for now) weigh on how rare a word is.
            // Snippets are made for the best rows only: SQLite computes a result column for every row it sorts, and a
            // snippet re-reads the turn's text, which over thousands of matches costs more than the search itself.
            using var command = connection.CreateCommand();
            command.CommandText =
                "WITH best AS MATERIALIZED (" +
                "SELECT t.id AS id, bm25(turns_fts) AS score FROM turns_fts JOIN turns t ON t.id = turns_fts.rowid " +
                "WHERE turns_fts MATCH $match AND t.companion_id = $companionId ORDER BY score, t.id DESC LIMIT $limit) " +
                $"SELECT best.id, -best.score, snippet(turns_fts, 0, '', '', '…', {SnippetTokens}) " +
                "FROM best JOIN turns_fts ON turns_fts.rowid = best.id WHERE turns_fts MATCH $match " +
                "ORDER BY best.score, best.id DESC;";
            command.Parameters.AddWithValue("$match", match!);
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

    /// <summary>The terms, rarest first, as many as fit <see cref="PostingBudget"/> (always the rarest one).</summary>
    private static async Task<IReadOnlyList<string>> WithinBudgetAsync(SqliteConnection connection, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        if (terms.Count == 1)
        {
            return terms;
        }

        // Counting a word's turns walks its posting list without scoring or sorting: far cheaper than the search.
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM turns_fts WHERE turns_fts MATCH $term;";
        var parameter = count.Parameters.Add("$term", SqliteType.Text);
        var counted = new List<(long Turns, int Order, string Term)>(terms.Count);
        for (var i = 0; i < terms.Count; i++)
        {
            parameter.Value = FtsQuery.Term(terms[i]);
            counted.Add(((long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!, i, terms[i]));
        }

        var kept = new List<(int Order, string Term)>(terms.Count);
        long total = 0;
        foreach (var (turns, order, term) in counted.OrderBy(c => c.Turns).ThenBy(c => c.Order))
        {
            if (kept.Count > 0 && total + turns > PostingBudget)
            {
                break;
            }

            kept.Add((order, term));
            total += turns;
        }

        return [.. kept.OrderBy(k => k.Order).Select(k => k.Term)];
    }
}
