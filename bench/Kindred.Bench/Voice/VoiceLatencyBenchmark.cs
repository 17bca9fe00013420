using System.Diagnostics;
using System.Globalization;
using Kindred.Models.Local;
using Kindred.Voice.Audio;
using Kindred.Voice.Conversation;
using Kindred.Voice.Recognition;
using Kindred.Voice.Synthesis;
using Kindred.Voice.TurnTaking;
using Microsoft.Extensions.AI;

namespace Kindred.Bench.Voice;

/// <summary>
/// From the end of the person's speech to the first byte of the companion's audio, stage by stage: the turn
/// detector's decision, recognition, the model's first token and first whole sentence, and synthesis of that
/// sentence. Baselines in the same run: a cold recogniser (decoder loaded on the critical path) against the warm one
/// Kindred uses, and speaking only once the whole reply is written against sentence streaming.
/// </summary>
internal static class VoiceLatencyBenchmark
{
    private const string Question = "what time is it now";

    public static void Run(TextWriter output, string modelPath, int repetitions)
    {
        using var flite = new FliteSynthesizer();
        using var festival = new FestivalSynthesizer();
        using var espeak = new EspeakSynthesizer();
        var spoken = flite.SynthesizeAsync(Question, "slt", CancellationToken.None).GetAwaiter().GetResult().ResampledTo(16_000);
        var noise = new Random(9);
        var microphone = spoken.Samples.Concat(Enumerable.Range(0, 16_000 * 2).Select(_ => (short)noise.Next(-30, 31))).ToArray();

        using var model = LocalModel.Load(new LocalModelOptions { ModelPath = modelPath, ContextLength = 512, MaxConcurrentSequences = 1 });
        using var chat = model.AsChatClient();
        var options = new TurnDetectorOptions();

        var rows = new Dictionary<string, List<double>>();
        void Add(string stage, double ms) => (rows.TryGetValue(stage, out var list) ? list : rows[stage] = []).Add(ms);
        string firstSentence = "";

        // One warm-up round so that first-call costs (JIT, native loads) are not counted.
        for (var rep = -1; rep < repetitions; rep++)
        {
            var measured = rep >= 0;

            // 1. Turn detection, fed in 20 ms frames as a microphone delivers them; only the frame that decides
            //    the turn is on the critical path (every earlier frame was processed while the person spoke).
            var detector = new TurnDetector(new EnergyVoiceActivityDetector(), options);
            TurnEvent? ended = null;
            double decideMs = 0;
            for (var offset = 0; offset + 320 <= microphone.Length && ended is null; offset += 320)
            {
                var watch = Stopwatch.StartNew();
                var events = detector.Push(microphone.AsSpan(offset, 320));
                watch.Stop();
                ended = events.FirstOrDefault(e => e.Kind == TurnEventKind.SpeechEnded);
                decideMs = watch.Elapsed.TotalMilliseconds;
            }

            if (ended?.Utterance is null)
            {
                throw new InvalidOperationException("The turn detector never ended the turn.");
            }

            // 2. Recognition: warm (the decoder was loaded in the background, as Kindred does) and cold.
            using var warm = new PocketSphinxRecognizer();
            warm.WarmUpAsync().GetAwaiter().GetResult();
            var (heard, sttMs) = Time(() => warm.RecognizeAsync(ended.Utterance, CancellationToken.None).GetAwaiter().GetResult());
            using var cold = new PocketSphinxRecognizer();
            var (_, coldMs) = Time(() => cold.RecognizeAsync(ended.Utterance, CancellationToken.None).GetAwaiter().GetResult());

            // 3. The model: first token and first whole sentence, then (baseline) the whole reply.
            var (firstTokenMs, firstSentenceMs, wholeMs, sentence, whole) = Generate(chat, heard);
            firstSentence = sentence;

            // 4. Synthesis of the first sentence in each voice; the baseline speaks the whole reply at once.
            var (_, fliteMs) = Time(() => flite.GetAudioAsync(sentence).GetAwaiter().GetResult());
            var (_, festivalMs) = Time(() => festival.GetAudioAsync(sentence).GetAwaiter().GetResult());
            var (_, espeakMs) = Time(() => espeak.GetAudioAsync(sentence).GetAwaiter().GetResult());
            var (_, fliteWholeMs) = Time(() => flite.GetAudioAsync(whole).GetAwaiter().GetResult());

            if (!measured)
            {
                continue;
            }

            Add("vad_wait", (ended.At - ended.SpeechEndedAt).TotalMilliseconds);
            Add("vad_decide", decideMs);
            Add("stt_warm", sttMs);
            Add("stt_cold", coldMs);
            Add("model_first_token", firstTokenMs);
            Add("model_first_sentence", firstSentenceMs);
            Add("model_whole", wholeMs);
            Add("tts_flite", fliteMs);
            Add("tts_festival", festivalMs);
            Add("tts_espeak", espeakMs);
            Add("tts_flite_whole", fliteWholeMs);
            Add("heard_ok", heard == Question ? 1 : 0);
        }

        double M(string stage) => Median(rows[stage]);
        var compute = M("vad_decide") + M("stt_warm") + M("tts_flite");
        var streamed = M("vad_wait") + compute + M("model_first_sentence");
        var unstreamed = M("vad_wait") + M("vad_decide") + M("stt_warm") + M("model_whole") + M("tts_flite_whole");
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"voice latency, end of speech -> first byte of reply audio; {Path.GetFileName(modelPath)}, {Environment.ProcessorCount} cores, median of {repetitions} runs"));
        // This VM is shared; the load average says how much the wall-clock numbers below are inflated.
        output.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine(string.Create(inv, $"heard '{Question}' correctly in {rows["heard_ok"].Sum():0}/{repetitions} runs; first sentence: \"{firstSentence}\""));
        output.WriteLine("stage                                        |      ms");
        void Row(string name, double ms) => output.WriteLine(string.Create(inv, $"{name,-44} | {ms,7:0.0}"));
        Row($"VAD: silence wait (EndSilence, configured)", M("vad_wait"));
        Row("VAD: deciding frame (energy detector)", M("vad_decide"));
        Row("STT: pocketsphinx, warm decoder (default)", M("stt_warm"));
        Row("  baseline: cold decoder (loaded on demand)", M("stt_cold"));
        Row("model: first token (stories260K)", M("model_first_token"));
        Row("model: first whole sentence", M("model_first_sentence"));
        Row("TTS: first sentence, flite (default)", M("tts_flite"));
        Row("TTS: first sentence, festival (warm server)", M("tts_festival"));
        Row("TTS: first sentence, espeak-ng (new process)", M("tts_espeak"));
        output.WriteLine(string.Create(inv, $"excluding model time and the silence wait (VAD decide + STT + TTS): {compute:0.0} ms"));
        output.WriteLine(string.Create(inv, $"excluding model time, including the silence wait:                {compute + M("vad_wait"):0.0} ms"));
        output.WriteLine(string.Create(inv, $"end of speech -> first audio, sentence streaming:                {streamed:0.0} ms"));
        output.WriteLine(string.Create(inv, $"  baseline: whole reply written, then spoken:                    {unstreamed:0.0} ms  (streaming / baseline {streamed / unstreamed:0.00})"));
        output.WriteLine(string.Create(inv, $"warm / cold recogniser: {M("stt_warm") / M("stt_cold"):0.00}"));
    }

    private static (double FirstToken, double FirstSentence, double Whole, string Sentence, string Text) Generate(IChatClient chat, string heard)
    {
        var watch = Stopwatch.StartNew();
        double firstToken = -1, firstSentence = -1;
        string? sentence = null;
        var splitter = new SentenceSplitter();
        var text = new System.Text.StringBuilder();
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

            text.Append(update.Text);
            if (sentence is null && splitter.Append(update.Text).FirstOrDefault() is { } first)
            {
                sentence = first;
                firstSentence = watch.Elapsed.TotalMilliseconds;
            }
        }

        var whole = watch.Elapsed.TotalMilliseconds;
        if (sentence is null)
        {
            sentence = splitter.Flush() ?? "Hello.";
            firstSentence = whole;
        }

        return (firstToken, firstSentence, whole, sentence, text.Length > 0 ? text.ToString() : "Hello.");
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
