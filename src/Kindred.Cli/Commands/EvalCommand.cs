using System.ComponentModel;
using System.Globalization;
using Kindred.Cli.Eval;
using Kindred.Memory.Recall;
using Kindred.Models.Embeddings;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary>
/// <c>kindred eval locomo FILE</c>: how well memory recalls the turns that answer LoCoMo's questions
/// (recall@k, overall and per category) and how fast it searches. Runs on any file in the LoCoMo format.
/// </summary>
public sealed class EvalLocomoCommand(IAnsiConsole console) : AsyncCommand<EvalLocomoCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("A LoCoMo JSON file (a list of conversations with their questions), e.g. ../shared/eval/locomo-dev.json.")]
        public string File { get; init; } = "";

        [CommandOption("-k|--cutoffs <LIST>")]
        [Description("Cut-offs to report recall at, comma-separated, each 1 to 1000 (default 5,10,25).")]
        public string K { get; init; } = "5,10,25";

        [CommandOption("--leave-one-out")]
        [Description("Also choose recall's weights on all conversations but one, measure on that one, for each in turn, and show how the shipped defaults do on each.")]
        public bool LeaveOneOut { get; init; }

        [CommandOption("--json <FILE>")]
        [Description("Also write the numbers to FILE as JSON.")]
        public string? Json { get; init; }

        /// <summary>The cut-offs, ascending and distinct; null when --k is not a list of numbers in range.</summary>
        public IReadOnlyList<int>? Cutoffs
        {
            get
            {
                var parts = K.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var values = new List<int>();
                foreach (var part in parts)
                {
                    if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 1000)
                    {
                        return null;
                    }

                    values.Add(value);
                }

                return values.Count == 0 ? null : [.. values.Distinct().Order()];
            }
        }

        public override ValidationResult Validate() =>
            Cutoffs is null
                ? ValidationResult.Error("--k must be a comma-separated list of numbers from 1 to 1000, e.g. 5,10,25.")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var cutoffs = settings.Cutoffs!;
        var conversations = LocomoParser.Load(settings.File);

        // Each conversation gets a throwaway store: in --data-dir when given (say, to measure on a particular disk),
        // otherwise in the temp folder. Nothing of it is kept.
        var scratch = Path.Combine(settings.DataDirectory ?? Path.GetTempPath(), "kindred-eval-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var embedder = new MiniLmEmbeddingGenerator();
            var options = RecallOptions.Default;
            var runner = new LocomoRunner(embedder, scratch, options);
            var outcomes = new List<ConversationOutcome>(conversations.Count);
            foreach (var conversation in conversations)
            {
                var outcome = await RunOneAsync(runner, conversation, cutoffs[^1], settings.LeaveOneOut, cancellationToken);
                outcomes.Add(outcome);
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"[grey]{conversation.SampleId.EscapeMarkup()}: {outcome.Turns} turns in {outcome.Ingestion.TotalSeconds:0.0} s, {outcome.Questions.Count} questions[/]"));
            }

            var summary = EvalSummary.From(outcomes, cutoffs);
            EvalReport.Write(console, summary);
            EvalReport.WritePerConversation(console, outcomes, cutoffs);
            if (settings.LeaveOneOut)
            {
                RecallTuning.Write(console, outcomes, cutoffs, options, minimumSimilarity: MemoryIndex.DefaultMinimumSimilarity);
            }
            if (settings.Json is { } json)
            {
                await EvalReport.WriteJsonAsync(json, summary, cancellationToken);
            }

            return 0;
        }
        finally
        {
            LocomoRunner.TryDelete(scratch);
        }
    }

    private Task<ConversationOutcome> RunOneAsync(LocomoRunner runner, LocomoConversation conversation, int depth, bool keepCandidates, CancellationToken cancellationToken)
    {
        // A spinner only where someone watches a terminal; redirected output gets the plain line per conversation.
        if (!console.Profile.Capabilities.Interactive)
        {
            return runner.RunAsync(conversation, depth, keepCandidates, cancellationToken);
        }

        return console.Status().StartAsync(
            $"{conversation.SampleId.EscapeMarkup()}: remembering and asking…",
            _ => runner.RunAsync(conversation, depth, keepCandidates, cancellationToken));
    }
}
