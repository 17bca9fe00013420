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
/// From the end of the person's speech to the first byte of the companion's audio, stage by stage, through the
/// pipeline the server's voice conversations use: <see cref="VoiceListener"/> (resampling, turn detection,
/// recognition while the person speaks) and <see cref="SentenceSpeaker"/> (the first clause synthesised as soon as it
/// is written). The microphone is a 48 kHz stream fed in 20 ms frames at real-time pace, as a browser sends it, so a
/// recogniser that cannot keep up with speech would show here. Baselines in the same run: recognising the whole
/// utterance after it ended (Kindred before this pipeline) and synthesising the whole first sentence.
/// </summary>
internal static class VoiceLatencyBenchmark
{
    private const string Question = "what time is it now";
    private const int MicrophoneRate = 48_000;
    private const int FrameSamples = MicrophoneRate / 50;

    public static void Run(TextWriter output, string modelPath, int repetitions)
    {
        using var flite = new FliteSynthesizer();
        using var festival = new FestivalSynthesizer();
        using var espeak = new EspeakSynthesizer();
        var spoken = flite.SynthesizeAsync(Question, "slt", CancellationToken.None).GetAwaiter().GetResult().ResampledTo(MicrophoneRate);
        var noise = new Random(9);
        short Quiet() => (short)noise.Next(-30, 31);
        short[] microphone = [.. Enumerable.Range(0, MicrophoneRate * 3 / 10).Select(_ => Quiet()), .. spoken.Samples, .. Enumerable.Range(0, MicrophoneRate * 2).Select(_ => Quiet())];

        using var model = LocalModel.Load(new LocalModelOptions { ModelPath = modelPath, ContextLength = 512, MaxConcurrentSequences = 1 });
        using var chat = model.AsChatClient();
        // As the server configures it (ServerVoices): no end-of-utterance second pass.
        using var ears = new PocketSphinxRecognizer { SecondPass = false };
        ears.WarmUpAsync().GetAwaiter().GetResult();
        // Baseline: Kindred before this pipeline, the whole utterance decoded once it ended, with the second pass.
        using var wholeEars = new PocketSphinxRecognizer();
        wholeEars.WarmUpAsync().GetAwaiter().GetResult();

        var rows = new Dictionary<string, List<double>>();
        void Add(string stage, double ms) => (rows.TryGetValue(stage, out var list) ? list : rows[stage] = []).Add(ms);
        string firstPiece = "", firstSentence = "";

        // One warm-up round so that first-call costs (JIT, native loads) are not counted.
        for (var rep = -1; rep < repetitions; rep++)
        {
            var measured = rep >= 0;

            // 1 + 2. Turn detection and recognition, as the server runs them.
            var (heard, decideMs) = Listen(ears, microphone);

            // Baseline: the same utterance recognised whole once it has ended (warm decoder).
            var utterance = WholeUtterance(microphone);
            var (wholeHeard, sttWholeMs) = Time(() => wholeEars.RecognizeAsync(utterance, CancellationToken.None).GetAwaiter().GetResult());

            // 3. The model: first token, first piece to speak (first clause), first sentence, whole reply.
            var reply = Generate(chat, heard.Text);
            firstPiece = reply.FirstPiece;
            firstSentence = reply.FirstSentence;

            // 4. Synthesis of the first piece through the speaker the server uses, in each voice; baseline: the whole
            //    first sentence straight from the engine.
            var fliteMs = FirstAudio(flite, reply.Tokens);
            var festivalMs = FirstAudio(festival, reply.Tokens);
            var espeakMs = FirstAudio(espeak, reply.Tokens);
            var (_, fliteSentenceMs) = Time(() => flite.GetAudioAsync(firstSentence).GetAwaiter().GetResult());

            if (!measured)
            {
                continue;
            }

            Add("vad_wait", heard.SilenceWaited.TotalMilliseconds);
            Add("vad_decide", decideMs);
            Add("stt_after_end", heard.RecognitionAfterEnd.TotalMilliseconds);
            Add("stt_whole", sttWholeMs);
            Add("model_first_token", reply.FirstTokenMs);
            Add("model_first_piece", reply.FirstPieceMs);
            Add("model_first_sentence", reply.FirstSentenceMs);
            Add("model_whole", reply.WholeMs);
            Add("tts_flite", fliteMs);
            Add("tts_festival", festivalMs);
            Add("tts_espeak", espeakMs);
            Add("tts_flite_sentence", fliteSentenceMs);
            Add("heard_ok", heard.Text == Question ? 1 : 0);
            Add("heard_whole_ok", wholeHeard == Question ? 1 : 0);
        }

        double M(string stage) => Median(rows[stage]);
        var compute = M("vad_decide") + M("stt_after_end") + M("tts_flite");
        var baseline = M("vad_decide") + M("stt_whole") + M("tts_flite_sentence");
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"voice latency, end of speech -> first byte of reply audio; {Path.GetFileName(modelPath)}, {Environment.ProcessorCount} cores, median of {repetitions} runs"));
        output.WriteLine(string.Create(inv, $"microphone: 48 kHz PCM in 20 ms frames at real-time pace, through VoiceListener and SentenceSpeaker (the server's pipeline)"));
        // This VM is shared; the load average says how much the wall-clock numbers below are inflated.
        output.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine(string.Create(inv, $"heard '{Question}' correctly in {rows["heard_ok"].Sum():0}/{repetitions} runs while spoken, {rows["heard_whole_ok"].Sum():0}/{repetitions} decoded whole"));
        output.WriteLine(string.Create(inv, $"first piece spoken: \"{firstPiece}\"; first sentence: \"{firstSentence}\""));
        output.WriteLine("stage                                                  |      ms");
        void Row(string name, double ms) => output.WriteLine(string.Create(inv, $"{name,-54} | {ms,7:0.0}"));
        Row("VAD: silence wait (hangover, EndSilence 500 ms)", M("vad_wait"));
        Row("VAD: deciding frame (resample + energy detector)", M("vad_decide"));
        Row("STT: pocketsphinx, after the end (decoded while spoken)", M("stt_after_end"));
        Row("  baseline: whole utterance decoded after the end", M("stt_whole"));
        Row("model: first token (stories260K)", M("model_first_token"));
        Row("model: first piece to speak (first clause)", M("model_first_piece"));
        Row("model: first whole sentence", M("model_first_sentence"));
        Row("model: whole reply", M("model_whole"));
        Row("TTS: first piece to first audio byte, flite (default)", M("tts_flite"));
        Row("TTS: first piece to first audio byte, festival", M("tts_festival"));
        Row("TTS: first piece to first audio byte, espeak-ng", M("tts_espeak"));
        Row("  baseline: whole first sentence, flite", M("tts_flite_sentence"));
        output.WriteLine(string.Create(inv, $"end of speech -> first audio, excluding model time and the hangover (VAD decide + STT + TTS): {compute:0.0} ms"));
        output.WriteLine(string.Create(inv, $"  baseline (whole-utterance STT, whole first sentence TTS):                               {baseline:0.0} ms  (pipeline / baseline {compute / baseline:0.00})"));
        output.WriteLine(string.Create(inv, $"excluding model time, including the hangover:                                          {compute + M("vad_wait"):0.0} ms"));
        output.WriteLine(string.Create(inv, $"end of speech -> first audio with stories260K (hangover + compute + model first piece):   {compute + M("vad_wait") + M("model_first_piece"):0.0} ms"));
    }

    // Feeds the microphone at real-time pace, as a browser would, until the listener ends the turn.
    private static (HeardUtterance Heard, double DecideMs) Listen(SpeechRecognizer ears, short[] microphone)
    {
        var listener = new VoiceListener(ears, new EnergyVoiceActivityDetector(), MicrophoneRate, ListeningMode.HandsFree);
        try
        {
            var clock = Stopwatch.StartNew();
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
                    return (heard.GetAwaiter().GetResult(), decideMs);
                }
            }

            throw new InvalidOperationException("The turn detector never ended the turn.");
        }
        finally
        {
            listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static Kindred.Voice.Audio.PcmAudio WholeUtterance(short[] microphone)
    {
        var detector = new TurnDetector(new EnergyVoiceActivityDetector());
        var audio = new Kindred.Voice.Audio.PcmAudio(microphone, MicrophoneRate).ResampledTo(TurnDetector.SampleRate);
        return detector.Push(audio.Samples).First(e => e.Kind == TurnEventKind.SpeechEnded).Utterance!;
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
