using System.Diagnostics;
using System.Globalization;
using Kindred.Models.Local;
using Kindred.Voice.Conversation;
using Kindred.Voice.Recognition;
using Kindred.Voice.Synthesis;
using Kindred.Voice.TurnTaking;
using Microsoft.Extensions.AI;

namespace Kindred.Bench.Voice;

/// <summary>
/// From the end of the person's speech to the first byte of the companion's audio, stage by stage (VAD wait, STT after
/// the end, model time to first token, TTS first audio), through the pipeline the server's voice conversations use:
/// <see cref="VoiceListener"/> (resampling, turn detection, recognition while the person speaks) and
/// <see cref="SentenceSpeaker"/> (the first clause synthesised as soon as it is written). The microphone is a 48 kHz
/// stream fed in 20 ms frames at real-time pace, as a browser sends it, so a recogniser that cannot keep up with
/// speech would show here. Baseline in the same run: the turn detector as it was before continuation (500 ms of
/// silence ends a turn). Also measured: a turn continued after a pause, whose recognition restarts from its beginning.
/// </summary>
internal static class VoiceLatencyBenchmark
{
    private const string Question = "what time is it now";
    private const int MicrophoneRate = 48_000;
    private const int FrameSamples = MicrophoneRate / 50;

    private static readonly TurnDetectorOptions Early = new();
    private static readonly TurnDetectorOptions Before = new() { EndSilence = TimeSpan.FromMilliseconds(500), ContinuationWindow = TimeSpan.Zero };

    public static void Run(TextWriter output, string modelPath, int repetitions)
    {
        using var flite = new FliteSynthesizer();
        using var festival = new FestivalSynthesizer();
        using var espeak = new EspeakSynthesizer();
        var noise = new Random(9);
        short Quiet() => (short)noise.Next(-30, 31);
        short[] Spoken(string text) => flite.SynthesizeAsync(text, "slt", CancellationToken.None).GetAwaiter().GetResult().ResampledTo(MicrophoneRate).Samples;
        short[] Silence(double seconds) => [.. Enumerable.Range(0, (int)(MicrophoneRate * seconds)).Select(_ => Quiet())];
        short[] microphone = [.. Silence(0.3), .. Spoken(Question), .. Silence(2)];
        // The same question with a pause for breath in the middle, which the early end cuts and continuation mends.
        short[] paused = [.. Silence(0.3), .. Spoken("what time"), .. Silence(0.4), .. Spoken("is it now"), .. Silence(2)];

        using var model = LocalModel.Load(new LocalModelOptions { ModelPath = modelPath, ContextLength = 512, MaxConcurrentSequences = 1 });
        using var chat = model.AsChatClient();
        // As the server configures it (ServerVoices): no end-of-utterance second pass.
        using var pocketsphinx = new PocketSphinxRecognizer { SecondPass = false };
        pocketsphinx.WarmUpAsync().GetAwaiter().GetResult();
        var ears = new WatchedEars(pocketsphinx);

        var rows = new Dictionary<string, List<double>>();
        void Add(string stage, double ms) => (rows.TryGetValue(stage, out var list) ? list : rows[stage] = []).Add(ms);
        string firstPiece = "", firstSentence = "", continuedHeard = "";

        // One warm-up round so that first-call costs (JIT, native loads) are not counted.
        for (var rep = -1; rep < repetitions; rep++)
        {
            var measured = rep >= 0;

            // 1 + 2. Turn detection and recognition, as the server runs them: the new defaults, then as before.
            var early = Listen(ears, microphone, Early);
            var before = Listen(ears, microphone, Before);
            var continued = Listen(ears, paused, Early);
            continuedHeard = continued.Heard.Text;

            // 3. The model: first token, first piece to speak (first clause), first sentence, whole reply.
            var reply = Generate(chat, early.Heard.Text);
            firstPiece = reply.FirstPiece;
            firstSentence = reply.FirstSentence;

            // 4. Synthesis of the first piece through the speaker the server uses, in each voice.
            var fliteMs = FirstAudio(flite, reply.Tokens);
            var festivalMs = FirstAudio(festival, reply.Tokens);
            var espeakMs = FirstAudio(espeak, reply.Tokens);

            if (!measured)
            {
                continue;
            }

            foreach (var (name, run) in new[] { ("early", early), ("before", before), ("continued", continued) })
            {
                Add($"{name}_vad_wait", run.Heard.SilenceWaited.TotalMilliseconds);
                Add($"{name}_vad_decide", run.DecideMs);
                Add($"{name}_stt", run.Heard.RecognitionAfterEnd.TotalMilliseconds);
                Add($"{name}_backlog_audio", run.BacklogAudioMs);
                Add($"{name}_backlog_wait", run.BacklogWaitMs);
                Add($"{name}_end_pass", run.EndPassMs);
                Add($"{name}_ok", run.Heard.Text == Question ? 1 : 0);
            }

            Add("model_first_token", reply.FirstTokenMs);
            Add("model_first_piece", reply.FirstPieceMs);
            Add("model_first_sentence", reply.FirstSentenceMs);
            Add("model_whole", reply.WholeMs);
            Add("tts_flite", fliteMs);
            Add("tts_festival", festivalMs);
            Add("tts_espeak", espeakMs);
        }

        double M(string stage) => Median(rows[stage]);
        double Excluding(string name) => M($"{name}_vad_wait") + M($"{name}_vad_decide") + M($"{name}_stt") + M("tts_flite");
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"voice latency, end of speech -> first byte of reply audio; {Path.GetFileName(modelPath)}, {Environment.ProcessorCount} cores, median of {repetitions} runs"));
        output.WriteLine("microphone: 48 kHz PCM in 20 ms frames at real-time pace, through VoiceListener and SentenceSpeaker (the server's pipeline)");
        // This VM is shared; the load average says how much the wall-clock numbers below are inflated.
        output.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine(string.Create(inv, $"heard '{Question}' correctly: {rows["early_ok"].Sum():0}/{repetitions} ({Early.EndSilence.TotalMilliseconds:0} ms end), {rows["before_ok"].Sum():0}/{repetitions} (500 ms end), {rows["continued_ok"].Sum():0}/{repetitions} said with a 0.4 s pause and continued (last heard: \"{continuedHeard}\")"));
        output.WriteLine(string.Create(inv, $"first piece spoken: \"{firstPiece}\"; first sentence: \"{firstSentence}\""));
        output.WriteLine(string.Create(inv, $"{"stage",-58} | {$"{Early.EndSilence.TotalMilliseconds:0} ms end",10} | {"500 ms end",10} | {"new/old",7} | {"continued",9}"));
        void Row(string label, string stage)
        {
            var (early, before, continued) = (M($"early_{stage}"), M($"before_{stage}"), M($"continued_{stage}"));
            var ratio = before == 0 ? "-" : (early / before).ToString("0.00", inv);
            output.WriteLine(string.Create(inv, $"{label,-58} | {early,10:0.0} | {before,10:0.0} | {ratio,7} | {continued,9:0.0}"));
        }

        void Single(string label, double ms) => output.WriteLine(string.Create(inv, $"{label,-58} | {ms,10:0.0} |"));
        Row("VAD: silence wait (EndSilence)", "vad_wait");
        Row("VAD: deciding frame (resample + energy detector)", "vad_decide");
        Row("STT: pocketsphinx, after the end (decoded while spoken)", "stt");
        Row("  audio not yet decoded at the end (ms of audio)", "backlog_audio");
        Row("  from the end until the decoder had the last block", "backlog_wait");
        Row("  the end pass itself", "end_pass");
        Single("model: first token (stories260K)", M("model_first_token"));
        Single("model: first piece to speak (first clause)", M("model_first_piece"));
        Single("model: first whole sentence", M("model_first_sentence"));
        Single("model: whole reply", M("model_whole"));
        Single("TTS: first piece to first audio byte, flite (default)", M("tts_flite"));
        Single("TTS: first piece to first audio byte, festival", M("tts_festival"));
        Single("TTS: first piece to first audio byte, espeak-ng", M("tts_espeak"));
        var (now, then, mended) = (Excluding("early"), Excluding("before"), Excluding("continued"));
        output.WriteLine(string.Create(inv, $"end of speech -> first audio, excluding model time (VAD wait + decide + STT + flite): {now:0.0} ms; with the 500 ms end {then:0.0} ms (new/old {now / then:0.00}); a continued turn {mended:0.0} ms"));
        output.WriteLine(string.Create(inv, $"  the same without the VAD wait (what follows the decision):                     {now - M("early_vad_wait"):0.0} ms; with the 500 ms end {then - M("before_vad_wait"):0.0} ms"));
        output.WriteLine(string.Create(inv, $"end of speech -> first audio with stories260K (+ model first piece):              {now + M("model_first_piece"):0.0} ms; with the 500 ms end {then + M("model_first_piece"):0.0} ms"));
    }

    private sealed record Listened(HeardUtterance Heard, double DecideMs, double BacklogAudioMs, double BacklogWaitMs, double EndPassMs);

    // Feeds the microphone at real-time pace, as a browser would, until the listener ends the last turn in it.
    private static Listened Listen(WatchedEars ears, short[] microphone, TurnDetectorOptions turns)
    {
        var listener = new VoiceListener(ears, new EnergyVoiceActivityDetector(), MicrophoneRate, ListeningMode.HandsFree, turns);
        try
        {
            var clock = Stopwatch.StartNew();
            (HeardUtterance Heard, double DecideMs, PocketSphinxUtterance Recognition)? last = null;
            for (var offset = 0; offset + FrameSamples <= microphone.Length; offset += FrameSamples)
            {
                var due = TimeSpan.FromSeconds((double)(offset + FrameSamples) / MicrophoneRate);
                if (clock.Elapsed < due)
                {
                    Thread.Sleep(due - clock.Elapsed);
                }

                var watch = Stopwatch.StartNew();
                var events = listener.Push(microphone.AsSpan(offset, FrameSamples));
                var decideMs = watch.Elapsed.TotalMilliseconds;
                if (events.FirstOrDefault(e => e.Kind == ListenerEventKind.UtteranceEnded)?.Heard is { } heard)
                {
                    // Waited for at once, as the server's answer does; a later continuation replaces it.
                    last = (heard.GetAwaiter().GetResult(), decideMs, ears.Last!);
                }
            }

            if (last is not { } turn)
            {
                throw new InvalidOperationException("The turn detector never ended the turn.");
            }

            return new Listened(turn.Heard, turn.DecideMs, turn.Recognition.BacklogAtFinish / 16.0, turn.Recognition.BacklogDecoding.TotalMilliseconds, turn.Recognition.EndPass.TotalMilliseconds);
        }
        finally
        {
            listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The server's recogniser, remembering its last utterance so the benchmark can read where its time went.</summary>
    private sealed class WatchedEars(PocketSphinxRecognizer inner) : SpeechRecognizer("pocketsphinx", "en-us")
    {
        public PocketSphinxUtterance? Last { get; private set; }

        public override UtteranceRecognition StartUtterance() => Last = (PocketSphinxUtterance)inner.StartUtterance();

        protected override Task<string> RecognizeAt16kAsync(Kindred.Voice.Audio.PcmAudio audio, CancellationToken cancellationToken) =>
            inner.RecognizeAsync(audio, cancellationToken);
    }

    // From the moment the first piece is complete to the first byte of its audio, through SentenceSpeaker.
    private static double FirstAudio(SpeechSynthesizer voice, IReadOnlyList<string> tokens)
    {
        var speaker = new SentenceSpeaker(voice);
        double firstMs = -1;
        var watch = new Stopwatch();
        using var stop = new CancellationTokenSource();
        var speaking = speaker.SpeakAsync(
            (_, _) =>
            {
                if (firstMs < 0)
                {
                    firstMs = watch.Elapsed.TotalMilliseconds;
                    stop.Cancel();
                }

                return ValueTask.CompletedTask;
            },
            stop.Token);
        watch.Start();
        foreach (var token in tokens)
        {
            speaker.Append(token);
        }

        speaker.Complete();
        try
        {
            speaking.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopped after the first audio, as a barge-in would.
        }

        return firstMs;
    }

    private sealed record Reply(IReadOnlyList<string> Tokens, double FirstTokenMs, double FirstPieceMs, double FirstSentenceMs, double WholeMs, string FirstPiece, string FirstSentence);

    private static Reply Generate(IChatClient chat, string heard)
    {
        var watch = Stopwatch.StartNew();
        double firstToken = -1, firstPieceMs = -1, firstSentenceMs = -1;
        string? piece = null, sentence = null;
        var pieces = new SentenceSplitter { CutFirstClause = true };
        var sentences = new SentenceSplitter();
        var tokens = new List<string>();
        var messages = new[] { new ChatMessage(ChatRole.User, heard.Length > 0 ? heard : Question) };
        var options = new ChatOptions { MaxOutputTokens = 200, Temperature = 0.8f, Seed = 1 };
        foreach (var update in chat.GetStreamingResponseAsync(messages, options).ToBlockingEnumerable())
        {
            if (update.Text.Length == 0)
            {
                continue;
            }

            if (firstToken < 0)
            {
                firstToken = watch.Elapsed.TotalMilliseconds;
            }

            tokens.Add(update.Text);
            if (piece is null && pieces.Append(update.Text).FirstOrDefault() is { } p)
            {
                (piece, firstPieceMs) = (p, watch.Elapsed.TotalMilliseconds);
            }

            if (sentence is null && sentences.Append(update.Text).FirstOrDefault() is { } s)
            {
                (sentence, firstSentenceMs) = (s, watch.Elapsed.TotalMilliseconds);
            }
        }

        var whole = watch.Elapsed.TotalMilliseconds;
        if (tokens.Count == 0)
        {
            tokens.Add("Hello.");
        }

        piece ??= pieces.Flush() ?? string.Concat(tokens);
        sentence ??= sentences.Flush() ?? string.Concat(tokens);
        return new Reply(tokens, firstToken, firstPieceMs < 0 ? whole : firstPieceMs, firstSentenceMs < 0 ? whole : firstSentenceMs, whole, piece, sentence);
    }

    private static (T Result, double Ms) Time<T>(Func<T> action)
    {
        var watch = Stopwatch.StartNew();
        var result = action();
        return (result, watch.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
