using System.Diagnostics;
using Kindred.Core;
using Kindred.Memory;
using Kindred.Memory.Recall;
using Microsoft.Extensions.AI;

namespace Kindred.Cli.Eval;

/// <summary>
/// Runs one LoCoMo conversation through Kindred's memory exactly as a companion would live it: every turn of both
/// speakers appended in order with its session time, then each question searched at the moment it is asked.
/// The dataset's own observations and summaries are never read: a companion never gets them.
/// </summary>
internal sealed class LocomoRunner(IEmbeddingGenerator<string, Embedding<float>> embedder, string scratchFolder, RecallOptions options)
{
    private const string CompanionId = "locomo";

    /// <summary>Categories with an answer in the conversation; 5 (adversarial) asks about things never said.</summary>
    public static bool IsAsked(LocomoQuestion question) =>
        question.Category is >= 1 and <= 4 && question.Evidence.Count > 0;

    /// <summary>
    /// The conversation as turns: speaker_a is the person, speaker_b the companion; each text names its speaker (the
    /// questions do) and describes a shared photo. Turns are a second apart within a session, so order is kept.
    /// </summary>
    public static IReadOnlyList<(NewTurn Turn, string DiaId)> ToTurns(LocomoConversation conversation, string companionId)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var turns = new List<(NewTurn, string)>();
        foreach (var session in conversation.Sessions)
        {
            var sessionId = $"session_{session.Number}";
            for (var i = 0; i < session.Turns.Count; i++)
            {
                var turn = session.Turns[i];
                var speaker = string.Equals(turn.Speaker, conversation.SpeakerB, StringComparison.Ordinal) ? Speaker.Companion : Speaker.Person;
                var text = string.IsNullOrWhiteSpace(turn.BlipCaption)
                    ? $"{turn.Speaker}: {turn.Text}"
                    : $"{turn.Speaker}: {turn.Text} [shares a photo: {turn.BlipCaption}]";
                turns.Add((new NewTurn(companionId, sessionId, speaker, text, session.At.AddSeconds(i)), turn.DiaId));
            }
        }

        return turns;
    }

    /// <summary>When a question is asked: its own date if it has one, else just after the last turn.</summary>
    public static DateTimeOffset AskedAt(LocomoQuestion question, IReadOnlyList<(NewTurn Turn, string DiaId)> turns) =>
        question.AskedAt ?? (turns.Count == 0 ? DateTimeOffset.MaxValue : turns.Max(t => t.Turn.At).AddSeconds(1));

    /// <summary>
    /// Ingests the conversation into a fresh store, asks its questions, and removes the store. With
    /// <paramref name="keepCandidates"/>, each outcome also keeps what recall gathered, so other weights can be tried.
    /// </summary>
    public async Task<ConversationOutcome> RunAsync(LocomoConversation conversation, int depth, bool keepCandidates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var folder = Path.Combine(scratchFolder, Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = await SqliteCompanionStore.OpenAsync(Path.Combine(folder, "kindred.db"), TimeProvider.System, cancellationToken);
            using var memory = new MemoryIndex(store, embedder) { Options = options with { ContextTurns = 0 } };
            var turns = ToTurns(conversation, CompanionId);
            var wokeAt = turns.Count == 0 ? DateTimeOffset.UnixEpoch : turns[0].Turn.At;
            await store.CreateCompanionAsync(new CompanionIdentity(CompanionId, conversation.SpeakerB, wokeAt, "", []), cancellationToken);
            await store.SetPersonNameAsync(CompanionId, conversation.SpeakerA, cancellationToken);

            var clock = Stopwatch.StartNew();
            var stored = await store.AppendTurnsAsync([.. turns.Select(t => t.Turn)], cancellationToken);
            await memory.IndexTurnsAsync(stored, cancellationToken);
            var ingestion = clock.Elapsed;

            var diaIds = new Dictionary<long, string>();
            for (var i = 0; i < stored.Count; i++)
            {
                diaIds[stored[i].Id] = turns[i].DiaId;
            }

            var asked = conversation.Questions.Where(IsAsked).ToList();
            if (asked.Count > 0)
            {
                // One untimed search first, so the first timed one does not pay for JIT compilation and cold caches.
                await memory.SearchAsync(CompanionId, asked[0].Question, depth, AskedAt(asked[0], turns), cancellationToken);
            }

            var outcomes = new List<QuestionOutcome>(asked.Count);
            foreach (var question in asked)
            {
                var now = AskedAt(question, turns);
                clock.Restart();

                // What SearchAsync does (with no context turns), in its two steps, so the gathered candidates can be
                // kept for trying other weights without searching again.
                var gathered = await memory.GatherAsync(CompanionId, question.Question, null, Math.Max(depth, memory.Options.CandidatesPerRetriever), now, cancellationToken);
                var hits = RecallRanking.Rank(gathered, memory.Options, depth, memory.MinimumSimilarity);
                var latency = clock.Elapsed.TotalMilliseconds;
                outcomes.Add(new QuestionOutcome(question.Category, question.Evidence, [.. hits.Select(h => diaIds[h.Turn.Id])], latency, keepCandidates ? gathered : null));
            }

            return new ConversationOutcome(conversation.SampleId, stored.Count, ingestion, outcomes, keepCandidates ? diaIds : null);
        }
        finally
        {
            TryDelete(folder);
        }
    }

    /// <summary>Removes a scratch folder; one left behind in a temp folder is untidy, not wrong.</summary>
    public static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A failure to tidy up must not hide the numbers, or the error that ended the run.
        }
    }
}
