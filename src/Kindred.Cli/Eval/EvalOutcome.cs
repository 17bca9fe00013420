namespace Kindred.Cli.Eval;

/// <summary>What one question retrieved: the dia_ids of the hits, best first, and how long the search took.</summary>
internal sealed record QuestionOutcome(int Category, IReadOnlyList<string> Evidence, IReadOnlyList<string> Retrieved, double LatencyMs);

/// <summary>One conversation's run: how many turns were ingested, in how long, and each question's outcome.</summary>
internal sealed record ConversationOutcome(string SampleId, int Turns, TimeSpan Ingestion, IReadOnlyList<QuestionOutcome> Questions);
