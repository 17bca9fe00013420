namespace Kindred.Cli.Eval;

/// <summary>One LoCoMo conversation: two speakers' sessions in time order, and the questions asked about it.</summary>
internal sealed record LocomoConversation(
    string SampleId,
    string SpeakerA,
    string SpeakerB,
    IReadOnlyList<LocomoSession> Sessions,
    IReadOnlyList<LocomoQuestion> Questions);

/// <summary>A session (<c>session_N</c>) and when it took place (<c>session_N_date_time</c>).</summary>
internal sealed record LocomoSession(int Number, DateTimeOffset At, IReadOnlyList<LocomoTurn> Turns);

/// <summary>One turn; <paramref name="BlipCaption"/> describes a photo the speaker shared, when there was one.</summary>
internal sealed record LocomoTurn(string DiaId, string Speaker, string Text, string? BlipCaption);

/// <summary>
/// A question with the dia_ids of the turns that answer it. <paramref name="Evidence"/> holds only well-formed,
/// distinct ids; <paramref name="AskedAt"/> is null when the file does not say when it is asked.
/// </summary>
internal sealed record LocomoQuestion(string Question, string? Answer, IReadOnlyList<string> Evidence, int Category, DateTimeOffset? AskedAt);
