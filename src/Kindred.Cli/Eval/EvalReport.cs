using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Kindred.Cli.Eval;

/// <summary>Shows an evaluation's numbers as a table, and writes them as JSON for scripts and the README.</summary>
internal static class EvalReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(IAnsiConsole console, EvalSummary summary)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(summary);
        var table = new Table().Title("Recall@k on LoCoMo").AddColumn("category").AddColumn(new TableColumn("questions").RightAligned());
        foreach (var k in summary.K)
        {
            table.AddColumn(new TableColumn($"R@{k.ToString(CultureInfo.InvariantCulture)}").RightAligned());
        }

        foreach (var row in summary.ByCategory)
        {
            table.AddRow(Cells(row, summary.K, bold: false));
        }

        table.AddRow(Cells(summary.Overall, summary.K, bold: true));
        console.Write(table);
        var ingestion = Invariant($"{summary.TurnsIngested} turns ingested in {summary.IngestionSeconds:0.0} s ({summary.IngestionTurnsPerSecond:0} turns/s, embedding included)");
        console.MarkupLine(Invariant($"{summary.Conversations} conversations · {ingestion} · {summary.QuestionsAsked} questions asked"));
        console.MarkupLine(Invariant($"search latency (query embedding included): p50 {summary.SearchP50Ms:0.0} ms · p99 {summary.SearchP99Ms:0.0} ms"));
    }

    /// <summary>Recall per conversation: how much the numbers vary from one life to the next.</summary>
    public static void WritePerConversation(IAnsiConsole console, IReadOnlyList<ConversationOutcome> conversations, IReadOnlyList<int> k)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentNullException.ThrowIfNull(k);
        var table = new Table().Title("Recall@k per conversation").AddColumn("conversation").AddColumn(new TableColumn("questions").RightAligned());
        foreach (var n in k)
        {
            table.AddColumn(new TableColumn($"R@{n.ToString(CultureInfo.InvariantCulture)}").RightAligned());
        }

        foreach (var conversation in conversations)
        {
            var cells = new List<string> { conversation.SampleId.EscapeMarkup(), conversation.Questions.Count.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(k.Select(n => (conversation.Questions.Count == 0 ? 0 : conversation.Questions.Average(q => RecallMetric.RecallAt(q.Retrieved, q.Evidence, n)))
                .ToString("0.000", CultureInfo.InvariantCulture)));
            table.AddRow([.. cells]);
        }

        console.Write(table);
    }

    /// <exception cref="ArgumentException">The file cannot be written.</exception>
    public static async Task WriteJsonAsync(string path, EvalSummary summary, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = File.Create(path);
            await JsonSerializer.SerializeAsync(file, summary, JsonOptions, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"Cannot write {path}: {ex.Message}", ex);
        }
    }

    private static string[] Cells(RecallRow row, IReadOnlyList<int> k, bool bold)
    {
        var cells = new List<string> { row.Group.EscapeMarkup(), row.Questions.ToString(CultureInfo.InvariantCulture) };
        cells.AddRange(k.Select(n => row.RecallAtK[n.ToString(CultureInfo.InvariantCulture)].ToString("0.000", CultureInfo.InvariantCulture)));
        return bold ? [.. cells.Select(c => $"[bold]{c}[/]")] : [.. cells];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
