using Kindred.Memory.Recall;

namespace Kindred.Cli.Eval;

/// <summary>
/// What one question retrieved: the dia_ids of the hits, best first, and how long the search took; with
/// <paramref name="Gathered"/>, what recall gathered for it before weighing (kept only when tuning).
/// </summary>
internal sealed record QuestionOutcome(
    int Category, IReadOnlyList<string> Evidence, IReadOnlyList<string> Retrieved, double LatencyMs, RecallCandidates? Gathered = null);

/// <summary>
/// One conversation's run: how many turns were ingested, in how long, each question's outcome, and (when tuning)
/// the dia_id of each stored turn.
/// </summary>
internal sealed record ConversationOutcome(
    string SampleId, int Turns, TimeSpan Ingestion, IReadOnlyList<QuestionOutcome> Questions, IReadOnlyDictionary<long, string>? DiaIds = null);
