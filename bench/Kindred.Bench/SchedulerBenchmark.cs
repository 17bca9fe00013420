using System.Diagnostics;
using System.Text;
using Kindred.Models.Local;
using LLama;
using LLama.Batched;
using LLama.Native;
using LLama.Sampling;

namespace Kindred.Bench;

internal sealed record Measurement(int Conversations, string Runner, double TokensPerSecond, double FirstTokenMs);

/// <summary>
/// N conversation slots run at once; each slot runs conversations back to back (a new one joins as soon as its
/// previous one ends) until every slot has had its share of a fixed total of conversations, so every run does
/// the same amount of work whatever N is. Each conversation generates up to a fixed number of tokens (fewer if
/// the model ends its story). Aggregate tokens/s = generated tokens / wall time. Runners alternate, run by run,
/// so machine noise hits both alike; the table reports medians.
/// </summary>
internal static class SchedulerBenchmark
{
    private const int ContextPerConversation = 512;

    private static readonly string[] Openings =
    [
        "Once upon a time, there was a dog", "Tom had a red ball", "The sun was hot and the bird", "Lily found a box",
        "One day a big fish", "Sue and Ben went to the park", "The little car was sad", "A cat saw a tree",
    ];

    public static List<Measurement> Run(BenchOptions options)
    {
        var maxConversations = options.Concurrency.Max();
        var results = new List<Measurement>();
        var modelOptions = new LocalModelOptions
        {
            ModelPath = options.ModelPath,
            MaxConcurrentSequences = maxConversations,
            ContextLength = ContextPerConversation,
            Threads = options.Threads,
            MaxQueuedRequests = 0,
            FlashAttention = options.FlashAttention,
        };
        using var model = LocalModel.Load(modelOptions);

        // The same llama.cpp settings as LocalModel uses, so only the driving loop differs.
        var parameters = LocalModel.Parameters(modelOptions, ContextPerConversation);
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var executor = new BatchedExecutor(weights, parameters);

        foreach (var n in options.Concurrency)
        {
            var perSlot = Math.Max(1, options.TotalConversations / n);
            RunScheduler(model, n, 1, options.TokensPerConversation);
            RunBareLoop(executor, weights, n, 1, options.TokensPerConversation).GetAwaiter().GetResult();
            var bare = new List<(double Tps, double Ttft)>();
            var scheduled = new List<(double Tps, double Ttft)>();
            for (var rep = 0; rep < options.Repetitions; rep++)
            {
                bare.Add(RunBareLoop(executor, weights, n, perSlot, options.TokensPerConversation).GetAwaiter().GetResult());
                scheduled.Add(RunScheduler(model, n, perSlot, options.TokensPerConversation));
            }

            results.Add(new Measurement(n, "bare BatchedExecutor", Median(bare.Select(b => b.Tps)), Median(bare.Select(b => b.Ttft))));
            results.Add(new Measurement(n, "Kindred scheduler", Median(scheduled.Select(b => b.Tps)), Median(scheduled.Select(b => b.Ttft))));
        }

        return results;
    }

    private static (double Tps, double Ttft) RunScheduler(LocalModel model, int slots, int conversationsPerSlot, int tokens)
    {
        var settings = new GenerationSettings(new SamplingSettings { Temperature = 0.8f, RepeatPenalty = 1f, Seed = 1 }, tokens, []);
        var firstTokens = new List<double>();
        var generated = 0;
        var clock = Stopwatch.StartNew();
        var runs = Enumerable.Range(0, slots).Select(async slot =>
        {
            for (var c = 0; c < conversationsPerSlot; c++)
            {
                var prompt = model.TokenizePrompt(Openings[(slot + c) % Openings.Length]);
                var stats = new GenerationStats();
                var started = clock.Elapsed.TotalMilliseconds;
                var first = true;
                await foreach (var _ in model.Scheduler.GenerateAsync(prompt, settings, stats))
                {
                    if (first)
                    {
                        lock (firstTokens)
                        {
                            firstTokens.Add(clock.Elapsed.TotalMilliseconds - started);
                        }

                        first = false;
                    }
                }

                Interlocked.Add(ref generated, stats.GeneratedTokens);
            }
        }).ToArray();
        Task.WaitAll(runs);
        return (generated / clock.Elapsed.TotalSeconds, Median(firstTokens));
    }

    // The loop LLamaSharp's own examples use: prompt the conversations, then Infer / sample / prompt until done.
    private static async Task<(double Tps, double Ttft)> RunBareLoop(BatchedExecutor executor, LLamaWeights weights, int slots, int conversationsPerSlot, int tokens)
    {
        var vocab = weights.NativeHandle.Vocab;
        var clock = Stopwatch.StartNew();
        var firstTokens = new List<double>();
        var generated = 0;
        var remaining = Enumerable.Repeat(conversationsPerSlot, slots).ToArray();
        var active = new List<Slot>();
        for (var slot = 0; slot < slots; slot++)
        {
            active.Add(StartConversation(slot));
        }

        while (active.Count > 0)
        {
            var result = await executor.Infer();
            if (result != DecodeResult.Ok)
            {
                throw new InvalidOperationException($"Infer failed: {result}");
            }

            for (var i = active.Count - 1; i >= 0; i--)
            {
                var current = active[i];
                if (current.Conversation.RequiresInference)
                {
                    continue;
                }

                var token = current.Sampler.Sample(executor.Context.NativeHandle, current.Conversation.GetSampleIndex());
                if (current.Generated == 0)
                {
                    firstTokens.Add(clock.Elapsed.TotalMilliseconds - current.StartedMs);
                }

                var ended = token.IsEndOfGeneration(vocab);
                if (ended || current.Generated + 1 >= tokens)
                {
                    generated += ended ? current.Generated : current.Generated + 1;
                    current.Conversation.Dispose();
                    current.Sampler.Dispose();
                    active.RemoveAt(i);
                    if (--remaining[current.Index] > 0)
                    {
                        active.Add(StartConversation(current.Index));
                    }

                    continue;
                }

                current.Conversation.Prompt(token);
                current.Generated++;
            }
        }

        return (generated / clock.Elapsed.TotalSeconds, Median(firstTokens));

        Slot StartConversation(int slot)
        {
            var conversation = executor.Create();
            conversation.Prompt(weights.Tokenize(Openings[(slot + conversationsPerSlot - remaining[slot]) % Openings.Length], true, false, Encoding.UTF8));
            return new Slot(slot, conversation, new DefaultSamplingPipeline { Temperature = 0.8f, RepeatPenalty = 1f, Seed = 1 }, clock.Elapsed.TotalMilliseconds);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class Slot(int index, Conversation conversation, DefaultSamplingPipeline sampler, double startedMs)
    {
        public int Index { get; } = index;

        public Conversation Conversation { get; } = conversation;

        public DefaultSamplingPipeline Sampler { get; } = sampler;

        public double StartedMs { get; } = startedMs;

        public int Generated { get; set; }
    }
}
