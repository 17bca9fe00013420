using System.Text;
using System.Text.RegularExpressions;

namespace Kindred.Memory.Postgres;

public sealed partial class PostgresCompanionStore
{
    // More words than this add little to the ranking but make every search slower (as for FTS5).
    private const int MaxQueryTerms = 32;

    /// <inheritdoc />
    /// <remarks>
    /// Ranked by PostgreSQL's <c>ts_rank</c>: how many of the query's words a turn holds and how often. Unlike the
    /// SQLite store's BM25 it does not weigh rare words above common ones; English stop words ("the", "not") are not
    /// searched at all.
    /// </remarks>
    public async Task<IReadOnlyList<TextMatch>> SearchTurnsAsync(string companionId, string query, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(companionId);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var tsQuery = ToTsQuery(query);
        if (tsQuery is null || limit == 0)
        {
            return [];
        }

        // The snippet is made for the top matches only: ts_headline re-reads the whole text. "…" marks where it cuts.
        await using var command = Command(
            "SELECT top.id, top.score, " +
            "CASE WHEN starts_with(top.text, h.snippet) THEN '' ELSE '…' END || h.snippet || " +
            "CASE WHEN right(top.text, length(h.snippet)) = h.snippet THEN '' ELSE '…' END " +
            "FROM (SELECT t.id, t.text, ts_rank(t.words, q) AS score, q FROM turns t, to_tsquery('kindred', @query) q " +
            "      WHERE t.companion_id = @companionId AND t.words @@ q ORDER BY score DESC, t.id DESC LIMIT @limit) top, " +
            "LATERAL (SELECT ts_headline('kindred', top.text, top.q, 'StartSel=\"\", StopSel=\"\", MaxWords=16, MinWords=6, ShortWord=0') AS snippet) h " +
            "ORDER BY top.score DESC, top.id DESC;");
        command.Parameters.AddWithValue("query", tsQuery);
        command.Parameters.AddWithValue("companionId", companionId);
        command.Parameters.AddWithValue("limit", limit);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var matches = new List<TextMatch>(Math.Min(limit, 64));
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                matches.Add(new TextMatch(reader.GetInt64(0), reader.GetFloat(1), reader.GetString(2)));
            }

            return matches;
        }
    }

    /// <summary>
    /// What a person typed as a tsquery that cannot fail to parse: each run of letters and digits becomes a quoted
    /// term (no quote, backslash or operator can be inside one) and the terms are ORed, so a turn matching some of the
    /// words is still found. Null when the text has no words.
    /// </summary>
    internal static string? ToTsQuery(string text)
    {
        var query = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var match in Words().EnumerateMatches(text))
        {
            var word = text.Substring(match.Index, match.Length);
            if (!seen.Add(word))
            {
                continue;
            }

            query.Append(query.Length > 0 ? " | '" : "'").Append(word).Append('\'');
            if (seen.Count == MaxQueryTerms)
            {
                break;
            }
        }

        return query.Length == 0 ? null : query.ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{N}\p{M}\p{Co}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
